package dev.fusionledger.client.cli;

/** Exit codes of {@code fusionledger}. */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** Unexpected failure. */
    public static final int ERROR = 1;
    /** Bad usage or bad input (unknown option, non-numeric amount, value out of range, INVALID_ARGUMENT). */
    public static final int USAGE = 2;
    /** Unknown task, account record, settlement or model (NOT_FOUND). */
    public static final int NOT_FOUND = 3;
    /** The caller may not do this (PERMISSION_DENIED). */
    public static final int DENIED = 4;
    /** Rejected by a market rule: wrong phase, already done, not enough credits. */
    public static final int REJECTED = 5;
    /** Missing or wrong connection profile, organisation, user or identity files. */
    public static final int CONFIG = 6;
    /** The network failed: endorsement, submit, commit or query could not complete. */
    public static final int NETWORK = 7;
    /** Integrity failure: tampered model, or an audit found mismatches. */
    public static final int INTEGRITY = 8;

    private ExitCodes() {
    }

    /** The help footer listing the codes. */
    static final String[] FOOTER = {
        "",
        "Exit codes: 0 ok, 1 unexpected error, 2 bad usage or input, 3 not found, 4 permission denied,",
        "  5 rejected by a market rule (phase, duplicate, funds), 6 profile/org/user problem,",
        "  7 network failure, 8 integrity failure (tampered model, audit mismatch)."
    };
}
