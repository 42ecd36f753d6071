package dev.fusionledger.ledger;

/**
 * Every limit of the market, in one place (docs/ledger-api.md, "Transactions" and "TaskSpec").
 * Amounts are whole credits, rates and accuracies basis points, durations seconds.
 */
public final class Limits {
    /** Largest amount of credits one argument may carry: 10^15. */
    public static final long MAX_AMOUNT = 1_000_000_000_000_000L;
    /** Largest number of data points: 10^12. */
    public static final long MAX_DATA_POINTS = 1_000_000_000_000L;
    /** Longest account id, characters. */
    public static final int MAX_ACCOUNT_ID = 1024;
    /** Longest task id, characters. */
    public static final int MAX_TASK_ID = 128;
    /** Longest MSP id, characters. */
    public static final int MAX_MSP_ID = 128;
    /** Longest duration, seconds (one year). */
    public static final long MAX_SECONDS = 31_536_000L;
    /** Largest task spec JSON, bytes. */
    public static final int MAX_SPEC_BYTES = 16 * 1024;
    /** Largest votes JSON of a reveal, bytes. */
    public static final int MAX_VOTES_BYTES = 64 * 1024;
    /** Largest metrics JSON of a checkpoint, bytes. */
    public static final int MAX_METRICS_BYTES = 4096;
    /** Longest salt, characters. */
    public static final int MAX_SALT = 128;
    /** Most labels of a task. */
    public static final int MAX_LABELS = 1000;
    /** Longest label, characters. */
    public static final int MAX_LABEL_CHARS = 64;
    /** Longest wrapped data key of {@code DeliverKey}, base64 characters. */
    public static final int MAX_WRAPPED_KEY = 1024;
    /** Longest IPFS CID of a checkpoint, characters. */
    public static final int MAX_CID = 128;
    /** Longest reason of {@code DisputeKey}, characters. */
    public static final int MAX_DISPUTE_REASON = 512;
    /** Most dimensions of an input shape. */
    public static final int MAX_SHAPE_DIMS = 8;

    /** Credits of a payment, mint or transfer: 1..10^15. */
    public static final Range AMOUNT = new Range(1, MAX_AMOUNT);
    /** Credits that may be zero (fees, stakes): 0..10^15. */
    public static final Range AMOUNT_OR_ZERO = new Range(0, MAX_AMOUNT);
    /** Data points of a bid or a task: 1..10^12. */
    public static final Range DATA_POINTS = new Range(1, MAX_DATA_POINTS);
    /** Basis points of a rate, accuracy or fitness: 0..10000. */
    public static final Range BPS = new Range(0, 10_000);
    /** Basis points of a signed contribution: -10000..10000. */
    public static final Range SIGNED_BPS = new Range(-10_000, 10_000);
    /** Verifiers drawn per task: 1..100. */
    public static final Range QUORUM = new Range(1, 100);
    /** Training epochs of a task, and the epoch of a checkpoint: 1..1000. */
    public static final Range EPOCHS = new Range(1, 1000);
    /** A phase length, seconds: 1..31536000. */
    public static final Range SECONDS = new Range(1, MAX_SECONDS);
    /** One input dimension: 1..1000000. */
    public static final Range DIMENSION = new Range(1, 1_000_000);

    private Limits() {
    }
}
