package dev.fusionledger.client.state;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A contributor's model for one epoch: its content hash in the model store and its metrics.
 *
 * @param late whether it was submitted after the epoch deadline
 */
public record Checkpoint(String taskId, String contributor, int epoch, String modelHash, JsonNode metrics,
                         long submittedAt, boolean late) {
}
