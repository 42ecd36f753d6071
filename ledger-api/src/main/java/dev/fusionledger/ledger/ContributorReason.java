package dev.fusionledger.ledger;

/**
 * Why a selected contributor was paid or slashed (the tally of {@link SettlementRule#tally}).
 * A rejection names the first criterion, in the order fitness, contribution, own accuracy, that
 * no strict majority of the revealed votes meets; {@link #REJECTED_BY_VOTE} when each criterion
 * has its own majority but no majority of votes meets all three at once.
 */
public enum ContributorReason {
    /** A strict majority of revealed votes meets every criterion. */
    ACCEPTED,
    /** No strict majority of votes has {@code fitnessBps ≥ mafrBps}. */
    REJECTED_BY_FITNESS,
    /** No strict majority of votes has {@code contributionBps ≥ minContributionBps}. */
    REJECTED_BY_CONTRIBUTION,
    /** No strict majority of votes has {@code ownAccuracyBps ≥ minOwnAccuracyBps}. */
    REJECTED_BY_OWN_ACCURACY,
    /** Each criterion has a majority, but no majority of votes meets all three. */
    REJECTED_BY_VOTE,
    /** No checkpoint for the last completed epoch. */
    NO_FINAL_MODEL,
    /** No drawn verifier revealed: the task was refunded. */
    REFUNDED;

    /** @return whether this reason slashes the contributor's stake */
    public boolean rejected() {
        return this != ACCEPTED && this != REFUNDED;
    }
}
