package dev.fusionledger.client;

/** Endorsement failed for a reason other than a market rule (peers unreachable, endorsements differ, deadline exceeded). */
public class EndorseFailedException extends LedgerException {
    private static final long serialVersionUID = 1L;

    public EndorseFailedException(String message, String transactionId, Throwable cause) {
        super(message, transactionId, Phase.ENDORSE, cause);
    }
}
