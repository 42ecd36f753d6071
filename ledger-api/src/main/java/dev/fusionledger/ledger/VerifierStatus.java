package dev.fusionledger.ledger;

/** Status of a registered verifier; the stake is held while {@code REGISTERED} or {@code DRAWN}. */
public enum VerifierStatus {
    REGISTERED, DRAWN, NOT_DRAWN, PAID, FORFEITED, REFUNDED;

    /** @return whether a verifier in this status holds its stake */
    public boolean holdsStake() {
        return this == REGISTERED || this == DRAWN;
    }
}
