package dev.fusionledger.ledger;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A sealed artifact's data key, wrapped for one recipient (key
 * {@code keydelivery[taskId, contributor, recipient]}; written by {@code DeliverKey}, never changed).
 * The chaincode cannot read the key: it checks who may deliver to whom and when, the recipient
 * unwraps it with its enrolment key and checks it against {@code keyCommitment}
 * (docs/model-store.md, "Key delivery").
 *
 * @param recipientRole {@link #VERIFIER} (a drawn verifier of the task) or {@link #INITIATOR}
 * @param epoch         the checkpoint's epoch (the contributor's final one)
 * @param modelHash     SHA-256 of the ciphertext, as in the checkpoint
 * @param keyCommitment SHA-256 of the data key, as in the checkpoint
 * @param wrappedKey    the wrapped key, base64 (at most {@link Limits#MAX_WRAPPED_KEY} characters)
 * @param deliveredAt   epoch seconds
 */
@JsonPropertyOrder({"taskId", "contributor", "recipient", "recipientRole", "epoch", "modelHash", "keyCommitment",
    "wrappedKey", "deliveredAt"})
public record KeyDelivery(String taskId, String contributor, String recipient, String recipientRole, int epoch,
                          String modelHash, String keyCommitment, String wrappedKey, long deliveredAt) {
    /** {@code recipientRole} of a drawn verifier. */
    public static final String VERIFIER = "VERIFIER";
    /** {@code recipientRole} of the task's initiator. */
    public static final String INITIATOR = "INITIATOR";
}
