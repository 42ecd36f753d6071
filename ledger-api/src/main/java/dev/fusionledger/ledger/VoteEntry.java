package dev.fusionledger.ledger;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A verifier's evaluation of one contributor's final model (docs/ledger-api.md, "Vote commitment";
 * the tally in {@link SettlementRule#tally}).
 *
 * @param contributor     the contributor's account id {@code <mspId>::<identity>}
 * @param fitnessBps      accuracy of the fused model including this contributor's model on the
 *                        verification data (compared with MAFR, Mendis et al. Sec. III-C), basis points 0..10000
 * @param contributionBps fitness this model adds, basis points -10000..10000
 * @param ownAccuracyBps  the model's own accuracy on its declared labels (Mendis et al. Fig. 6/8),
 *                        basis points 0..10000
 * @throws MarketException INVALID_ARGUMENT naming the field and its range when a value is out of range
 */
@JsonPropertyOrder({"contributor", "fitnessBps", "contributionBps", "ownAccuracyBps"})
public record VoteEntry(String contributor, int fitnessBps, int contributionBps, int ownAccuracyBps) {
    public VoteEntry {
        Checks.accountId("contributor", contributor);
        Limits.BPS.check("fitnessBps", fitnessBps);
        Limits.SIGNED_BPS.check("contributionBps", contributionBps);
        Limits.BPS.check("ownAccuracyBps", ownAccuracyBps);
    }
}
