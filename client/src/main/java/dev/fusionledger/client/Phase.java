package dev.fusionledger.client;

/** The step of a ledger call in which a {@link LedgerException} happened. */
public enum Phase {
    /** A query evaluated on a peer ({@code evaluateTransaction}). */
    EVALUATE,
    /** Collecting endorsements for a submit transaction. */
    ENDORSE,
    /** Sending the endorsed transaction to the orderer. */
    SUBMIT,
    /** Waiting for the commit status of the submitted transaction. */
    COMMIT_STATUS,
    /** The transaction was ordered into a block but failed validation (e.g. MVCC read conflict). */
    COMMIT
}
