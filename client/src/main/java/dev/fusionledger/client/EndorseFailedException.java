package dev.fusionledger.client;

/**
 * Endorsement failed for a reason other than a market rule (peers unreachable, endorsements differ,
 * deadline exceeded). {@link #peersOutOfStep()} tells the transient case where the endorsing peers
 * were at different block heights (Fabric: "ProposalResponsePayloads do not match"); retrying after a
 * short pause usually succeeds (see {@link FusionLedgerClient.Builder#endorseRetries}).
 */
public class EndorseFailedException extends LedgerException {
    private static final long serialVersionUID = 1L;
    private final boolean peersOutOfStep;

    public EndorseFailedException(String message, String transactionId, Throwable cause) {
        this(message, transactionId, false, cause);
    }

    public EndorseFailedException(String message, String transactionId, boolean peersOutOfStep, Throwable cause) {
        super(message, transactionId, Phase.ENDORSE, cause);
        this.peersOutOfStep = peersOutOfStep;
    }

    /** Whether the endorsing peers returned different results because one was behind. */
    public boolean peersOutOfStep() {
        return peersOutOfStep;
    }
}
