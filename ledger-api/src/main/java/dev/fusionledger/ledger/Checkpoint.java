package dev.fusionledger.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A contributor's model for one epoch (key {@code checkpoint[taskId, contributor, epoch]}).
 *
 * @param epoch       1..maxEpochs
 * @param modelHash   SHA-256 of the model bytes in the model store, 64 lowercase hex; for a sealed
 *                    (encrypted) artifact the SHA-256 of its ciphertext
 * @param keyCommitment SHA-256 (64 lowercase hex) of the artifact's 32-byte AES-256 data key for a
 *                    sealed checkpoint ({@code SubmitSealedCheckpoint}), {@code null} for an artifact
 *                    stored in clear (docs/model-store.md, "Encrypted artifacts")
 * @param artifactCid the IPFS CID under which the artifact's bytes can be fetched from any node of
 *                    the consortium's private swarm, {@code null} when the contributor's store has
 *                    no CID (a local directory store); both left out of the JSON when null, so a
 *                    checkpoint in clear is stored exactly as before
 * @param metrics     the submitted metrics object, keys sorted
 * @param submittedAt epoch seconds
 * @param late        submitted after the epoch deadline
 */
@JsonPropertyOrder({"taskId", "contributor", "epoch", "modelHash", "keyCommitment", "artifactCid", "metrics", "submittedAt", "late"})
public record Checkpoint(String taskId, String contributor, int epoch, String modelHash,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String keyCommitment,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String artifactCid,
                         JsonNode metrics,
                         long submittedAt, boolean late) {

    /** Whether the artifact is encrypted and its data key is delivered through {@code DeliverKey}. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean sealed() {
        return keyCommitment != null;
    }
}
