package dev.fusionledger.client;

/**
 * The transaction was ordered into a block but marked invalid by the peers; nothing it wrote took
 * effect. {@code MVCC_READ_CONFLICT} is retried by the client (bounded) before this is thrown.
 */
public class CommitFailedException extends LedgerException {
    private static final long serialVersionUID = 1L;
    private final String validationCode;
    private final int attempts;

    public CommitFailedException(String validationCode, String transactionId, int attempts, Throwable cause) {
        super("transaction " + transactionId + " failed validation with " + validationCode
                + (attempts > 1 ? " after " + attempts + " attempts" : ""), transactionId, Phase.COMMIT, cause);
        this.validationCode = validationCode;
        this.attempts = attempts;
    }

    /** Fabric's {@code TxValidationCode} name, e.g. {@code MVCC_READ_CONFLICT}. */
    public String validationCode() {
        return validationCode;
    }

    /** How many times the transaction was tried (1 unless it was an MVCC read conflict). */
    public int attempts() {
        return attempts;
    }
}
