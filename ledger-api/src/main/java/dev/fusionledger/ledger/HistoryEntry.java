package dev.fusionledger.ledger;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One version of a ledger key ({@code GetHistory}).
 *
 * @param txId      the transaction that wrote it
 * @param timestamp its time, epoch seconds
 * @param deleted   whether it deleted the key
 * @param value     the state object after it, {@code null} when deleted
 */
@JsonPropertyOrder({"txId", "timestamp", "deleted", "value"})
public record HistoryEntry(String txId, long timestamp, boolean deleted, JsonNode value) {
}
