package dev.fusionledger.client;

/**
 * Key kinds of {@code GetHistory(kind, id)} (docs/ledger-api.md). Ids: {@code TASK}/{@code SETTLEMENT}
 * take a task id; {@code BID}/{@code VERIFIER} take {@code taskId|accountId}; {@code VOTE} takes
 * {@code taskId|verifierAccountId}; {@code CHECKPOINT} takes {@code taskId|contributorAccountId|epoch}
 * (epoch 1..1000, decimal); {@code ACCOUNT}/{@code REPUTATION} take an account id. A malformed id is
 * rejected by the chaincode with {@code INVALID_ARGUMENT} naming the field and the format.
 */
public enum HistoryKind {
    TASK, BID, VERIFIER, ACCOUNT, SETTLEMENT, REPUTATION, CHECKPOINT, VOTE;

    /** The kind as the chaincode spells it (lower case). */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code taskId|accountId}: the id of a {@link #BID}, {@link #VERIFIER} or {@link #VOTE} key. */
    public static String id(String taskId, String accountId) {
        return taskId + "|" + accountId;
    }

    /** {@code taskId|accountId|epoch}: the id of a {@link #CHECKPOINT} key (epoch 1..1000). */
    public static String checkpointId(String taskId, String contributorAccountId, int epoch) {
        return taskId + "|" + contributorAccountId + "|" + epoch;
    }
}
