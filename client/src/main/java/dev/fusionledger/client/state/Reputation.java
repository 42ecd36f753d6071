package dev.fusionledger.client.state;

/** An account's track record: strikes double-count into later stakes (Fadaeddini et al.). */
public record Reputation(String accountId, int strikes, int accepted, int slashed, int forfeits) {
}
