package dev.fusionledger.client;

/** The endorsed transaction could not be sent to the orderer; it was not committed. */
public class SubmitFailedException extends LedgerException {
    private static final long serialVersionUID = 1L;

    public SubmitFailedException(String message, String transactionId, Throwable cause) {
        super(message, transactionId, Phase.SUBMIT, cause);
    }
}
