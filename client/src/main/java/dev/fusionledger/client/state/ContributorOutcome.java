package dev.fusionledger.client.state;

/**
 * How one selected contributor was settled; amounts in credits.
 *
 * @param reason one of ACCEPTED, REJECTED_BY_VOTE, NO_FINAL_MODEL, REFUNDED
 */
public record ContributorOutcome(String contributor, boolean accepted, String reason, String finalModelHash,
                                 int lateEpochs, int positiveVotes, long payment, long stakeReturned,
                                 long slashed, long slashShare) {
}
