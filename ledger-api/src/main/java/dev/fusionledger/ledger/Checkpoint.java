package dev.fusionledger.ledger;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A contributor's model for one epoch (key {@code checkpoint[taskId, contributor, epoch]}).
 *
 * @param epoch       1..maxEpochs
 * @param modelHash   SHA-256 of the model bytes in the model store, 64 lowercase hex
 * @param metrics     the submitted metrics object, keys sorted
 * @param submittedAt epoch seconds
 * @param late        submitted after the epoch deadline
 */
@JsonPropertyOrder({"taskId", "contributor", "epoch", "modelHash", "metrics", "submittedAt", "late"})
public record Checkpoint(String taskId, String contributor, int epoch, String modelHash, JsonNode metrics,
                         long submittedAt, boolean late) {
}
