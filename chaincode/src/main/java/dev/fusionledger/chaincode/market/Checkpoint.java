package dev.fusionledger.chaincode.market;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/** A contributor's checkpoint for one epoch (key {@code checkpoint[taskId, contributor, epoch]}). */
@JsonPropertyOrder({"taskId", "contributor", "epoch", "modelHash", "metrics", "submittedAt", "late"})
public final class Checkpoint {
    public String taskId;
    public String contributor;
    public int epoch;
    /** SHA-256 of the model bytes in the model store, 64 lowercase hex. */
    public String modelHash;
    /** The submitted metrics object, keys sorted. */
    public JsonNode metrics;
    public long submittedAt;
    /** Submitted after the epoch deadline. */
    public boolean late;
}
