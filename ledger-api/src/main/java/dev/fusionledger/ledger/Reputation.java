package dev.fusionledger.ledger;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An account's track record (key {@code reputation[accountId]}). {@code strikes} multiplies later
 * bid stakes: stake = maxEarnings × (1 + strikes) (Fadaeddini et al.: misbehaving participants
 * stake more).
 *
 * @param strikes  rejections as a contributor, plus keys withheld from the initiator
 * @param accepted acceptances as a contributor
 * @param slashed  stakes slashed as a contributor
 * @param forfeits stakes forfeited as a silent verifier
 */
@JsonPropertyOrder({"accountId", "strikes", "accepted", "slashed", "forfeits"})
public record Reputation(String accountId, long strikes, long accepted, long slashed, long forfeits) {

    /** @return the record of an account never settled: all zeros */
    public static Reputation none(String accountId) {
        return new Reputation(accountId, 0, 0, 0, 0);
    }

    /** @return this record after an accepted contribution: {@code accepted + 1} */
    public Reputation afterAccepted() {
        return new Reputation(accountId, strikes, Math.addExact(accepted, 1), slashed, forfeits);
    }

    /** @return this record after a rejected contribution: {@code strikes + 1}, {@code slashed + 1} */
    public Reputation afterSlashed() {
        return new Reputation(accountId, Math.addExact(strikes, 1), accepted, Math.addExact(slashed, 1), forfeits);
    }

    /**
     * @return this record after an accepted contributor withheld its key for the initiator past the
     *     deadline ({@code ReclaimKeyEscrow}): {@code strikes + 1}
     */
    public Reputation afterWithheldKey() {
        return new Reputation(accountId, Math.addExact(strikes, 1), accepted, slashed, forfeits);
    }

    /** @return this record after a silent drawn verifier's stake was forfeited: {@code forfeits + 1} */
    public Reputation afterForfeit() {
        return new Reputation(accountId, strikes, accepted, slashed, Math.addExact(forfeits, 1));
    }
}
