package dev.fusionledger.client;

/** The transaction was submitted but its commit status could not be obtained (deadline exceeded, peer unreachable): it may or may not have committed; check by transaction id before retrying. */
public class CommitStatusFailedException extends LedgerException {
    private static final long serialVersionUID = 1L;

    public CommitStatusFailedException(String message, String transactionId, Throwable cause) {
        super(message, transactionId, Phase.COMMIT_STATUS, cause);
    }
}
