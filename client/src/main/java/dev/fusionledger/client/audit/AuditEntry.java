package dev.fusionledger.client.audit;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One write to one of a task's ledger keys.
 *
 * @param transactionId the transaction that wrote it
 * @param timestamp     transaction time, epoch seconds
 * @param creatorMspId  MSP of the identity that signed the transaction ({@code null} when the
 *                      transaction record could not be read)
 * @param kind          key kind: task, bid, verifier, checkpoint, vote or settlement for a task;
 *                      account or reputation for an account
 * @param key           the key's id ({@code taskId}, {@code taskId|accountId},
 *                      {@code taskId|accountId|epoch} for a checkpoint, or an account id)
 * @param deleted       whether the write deleted the key
 * @param stateAfter    the key's value after the transaction ({@code null} when deleted)
 */
@JsonPropertyOrder({"transactionId", "timestamp", "creatorMspId", "kind", "key", "deleted", "stateAfter"})
public record AuditEntry(String transactionId, long timestamp, String creatorMspId, String kind, String key,
                         boolean deleted, JsonNode stateAfter) {
}
