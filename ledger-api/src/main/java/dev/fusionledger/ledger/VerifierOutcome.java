package dev.fusionledger.ledger;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * How one drawn verifier was settled; amounts in credits.
 *
 * @param revealed       whether it revealed its vote
 * @param feePaid        the task's verifier fee (revealing verifiers)
 * @param stakeReturned  stake refunded
 * @param stakeForfeited stake forfeited (silent verifiers)
 * @param slashShare     its share of the slash pool
 * @param forfeitShare   its share of the silent verifiers' stakes
 */
@JsonPropertyOrder({"verifier", "revealed", "feePaid", "stakeReturned", "stakeForfeited", "slashShare",
    "forfeitShare"})
public record VerifierOutcome(String verifier, boolean revealed, long feePaid, long stakeReturned,
                              long stakeForfeited, long slashShare, long forfeitShare) {
}
