package dev.fusionledger.ledger;

/** How a task was settled: {@code SETTLED} tallied and paid; {@code REFUNDED} no verifier revealed, everything refunded. */
public enum SettlementOutcome {
    SETTLED, REFUNDED
}
