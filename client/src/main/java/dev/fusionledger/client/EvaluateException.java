package dev.fusionledger.client;

/** A query could not be evaluated for a reason other than a market rule (peer unreachable, deadline exceeded, malformed result). */
public class EvaluateException extends LedgerException {
    private static final long serialVersionUID = 1L;

    public EvaluateException(String message, String transactionId, Throwable cause) {
        super(message, transactionId, Phase.EVALUATE, cause);
    }
}
