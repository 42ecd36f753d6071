package dev.fusionledger.ledger;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The initiator's claim that a contributor's delivered key does not open its model (key
 * {@code keydispute[taskId, contributor]}; written once by {@code DisputeKey}). The chaincode cannot
 * decide it (it never sees the unwrapped key); the record puts the claim, its time and the
 * delivery it is about on the ledger for the consortium's arbitration (docs/security.md, "Key delivery").
 *
 * @param reason   the initiator's reason, 1..{@link Limits#MAX_DISPUTE_REASON} printable characters
 * @param raisedAt epoch seconds
 */
@JsonPropertyOrder({"taskId", "contributor", "initiator", "modelHash", "keyCommitment", "reason", "raisedAt"})
public record KeyDispute(String taskId, String contributor, String initiator, String modelHash, String keyCommitment,
                         String reason, long raisedAt) {
}
