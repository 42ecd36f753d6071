package dev.fusionledger.ledger;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Ledger-wide credit totals computed by range scans ({@code GetTotals}); all in credits.
 * Invariant: {@code balances + escrow + stakes = minted}.
 */
@JsonPropertyOrder({"minted", "balances", "escrow", "stakes"})
public record Totals(long minted, long balances, long escrow, long stakes) {

    /**
     * @return whether the credit invariant holds
     * @throws ArithmeticException when the sum overflows a long (it cannot on a consistent ledger)
     */
    public boolean conserved() {
        return Math.addExact(Math.addExact(balances, escrow), stakes) == minted;
    }
}
