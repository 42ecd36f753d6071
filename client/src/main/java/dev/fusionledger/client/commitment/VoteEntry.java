package dev.fusionledger.client.commitment;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A verifier's evaluation of one contributor (docs/ledger-api.md, "Vote commitment").
 *
 * @param contributor     the contributor's account id
 * @param fitnessBps      accuracy of the fused model including this contributor's model on the
 *                        verification data, basis points 0..10000
 * @param contributionBps fitness gain this model brings, basis points -10000..10000
 * @throws IllegalArgumentException naming the field and its range when a value is out of range
 */
@JsonPropertyOrder({"contributor", "fitnessBps", "contributionBps"})
public record VoteEntry(String contributor, int fitnessBps, int contributionBps) {
    public VoteEntry {
        if (contributor == null || contributor.isEmpty()) {
            throw new IllegalArgumentException("contributor: required account id");
        }
        if (fitnessBps < 0 || fitnessBps > 10_000) {
            throw new IllegalArgumentException("fitnessBps: must be in 0..10000, got " + fitnessBps);
        }
        if (contributionBps < -10_000 || contributionBps > 10_000) {
            throw new IllegalArgumentException("contributionBps: must be in -10000..10000, got " + contributionBps);
        }
    }
}
