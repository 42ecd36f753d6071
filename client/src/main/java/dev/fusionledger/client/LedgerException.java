package dev.fusionledger.client;

/**
 * Base of every failure of a ledger call. Carries the Fabric transaction id of the proposal or
 * transaction that failed (its {@code taskId} when the call was {@code AnnounceTask}) and the
 * {@link Phase} it failed in, so endorsement, submit and commit failures stay distinguishable.
 *
 * <p>Subclasses: {@link MarketRuleException} (the chaincode rejected the call with one of its error
 * codes), {@link EvaluateException}, {@link EndorseFailedException}, {@link SubmitFailedException},
 * {@link CommitStatusFailedException}, {@link CommitFailedException}.
 */
public class LedgerException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String transactionId;
    private final Phase phase;

    public LedgerException(String message, String transactionId, Phase phase, Throwable cause) {
        super(message, cause);
        this.transactionId = transactionId;
        this.phase = phase;
    }

    /** Fabric transaction id of the failed call (never {@code null} for calls that reached a peer). */
    public String transactionId() {
        return transactionId;
    }

    /** The step that failed. */
    public Phase phase() {
        return phase;
    }
}
