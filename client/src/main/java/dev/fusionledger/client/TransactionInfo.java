package dev.fusionledger.client;

/**
 * What the ledger records about a transaction itself (from the channel's {@code qscc}
 * {@code GetTransactionByID}): who submitted it and whether it was valid.
 *
 * @param transactionId  the id
 * @param creatorMspId   MSP id of the identity that signed it
 * @param creatorSubject X.509 subject of the signer's certificate ({@code null} if not X.509)
 * @param timestamp      transaction timestamp, epoch seconds
 * @param timestampNanos the same timestamp in epoch nanoseconds (the precision Fabric records; orders
 *                       transactions within one second)
 * @param validationCode Fabric {@code TxValidationCode} name, {@code VALID} for committed ones
 */
public record TransactionInfo(String transactionId, String creatorMspId, String creatorSubject, long timestamp,
                              long timestampNanos, String validationCode) {
}
