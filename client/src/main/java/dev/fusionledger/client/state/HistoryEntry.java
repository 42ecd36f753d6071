package dev.fusionledger.client.state;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One version of a ledger key ({@code GetHistory}): the transaction that wrote it, its timestamp
 * in epoch seconds, and the value after it ({@code null} when deleted).
 */
public record HistoryEntry(String txId, long timestamp, boolean deleted, JsonNode value) {
}
