package dev.fusionledger.ledger;

/** Status of a bid; the stake is held while {@code PENDING} or {@code SELECTED}. */
public enum BidStatus {
    PENDING, WITHDRAWN, SELECTED, NOT_SELECTED, ACCEPTED, REJECTED, REFUNDED;

    /** @return whether a bid in this status holds its stake */
    public boolean holdsStake() {
        return this == PENDING || this == SELECTED;
    }
}
