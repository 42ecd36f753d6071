package dev.fusionledger.chaincode.market;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An account's record (key {@code reputation[accountId]}). {@code strikes} multiplies later bid
 * stakes: stake = maxEarnings x (1 + strikes) (Fadaeddini et al.: misbehaving participants stake more).
 */
@JsonPropertyOrder({"accountId", "strikes", "accepted", "slashed", "forfeits"})
public final class Reputation {
    public String accountId;
    public long strikes;
    public long accepted;
    public long slashed;
    public long forfeits;

    public Reputation() {
    }

    public Reputation(String accountId) {
        this.accountId = accountId;
    }
}
