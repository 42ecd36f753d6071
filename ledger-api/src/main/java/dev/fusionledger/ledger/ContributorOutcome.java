package dev.fusionledger.ledger;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * How one selected contributor was settled; amounts in credits.
 *
 * @param finalModelHash its checkpoint's model for epoch {@code epochsCompleted}, {@code null} when none
 * @param lateEpochs     epochs 1..epochsCompleted whose checkpoint is late or missing
 * @param positiveVotes  revealed votes meeting every criterion
 * @param payment        reward paid
 * @param stakeReturned  stake refunded
 * @param slashed        stake slashed into the slash pool
 * @param slashShare     its share of the slash pool (accepted contributors)
 */
@JsonPropertyOrder({"contributor", "accepted", "reason", "finalModelHash", "lateEpochs", "positiveVotes",
    "payment", "stakeReturned", "slashed", "slashShare"})
public record ContributorOutcome(String contributor, boolean accepted, ContributorReason reason, String finalModelHash,
                                 int lateEpochs, int positiveVotes, long payment, long stakeReturned,
                                 long slashed, long slashShare) {
}
