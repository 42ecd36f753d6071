package dev.fusionledger.client;

/**
 * The outcome of a committed submit transaction.
 *
 * @param transactionId Fabric transaction id (the task id for {@code AnnounceTask})
 * @param blockNumber   block that committed it ({@code -1} when the transport does not know)
 * @param value         the transaction's result
 * @param attempts      1, or more when MVCC read conflicts made the client retry
 */
public record Submitted<T>(String transactionId, long blockNumber, T value, int attempts) {
}
