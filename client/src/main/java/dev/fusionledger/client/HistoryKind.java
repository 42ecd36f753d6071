package dev.fusionledger.client;

/**
 * Key kinds of {@code GetHistory(kind, id)}. Ids: {@code TASK}/{@code SETTLEMENT} take a task id;
 * {@code BID}/{@code VERIFIER} take {@code taskId|accountId}; {@code ACCOUNT}/{@code REPUTATION}
 * take an account id.
 */
public enum HistoryKind {
    TASK, BID, VERIFIER, ACCOUNT, SETTLEMENT, REPUTATION;

    /** The kind as the chaincode spells it (lower case). */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
