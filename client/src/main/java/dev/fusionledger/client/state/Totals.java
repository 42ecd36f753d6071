package dev.fusionledger.client.state;

/** Ledger-wide credit totals; invariant {@code balances + escrow + stakes = minted}. */
public record Totals(long minted, long balances, long escrow, long stakes) {

    /** Whether the credit invariant holds. */
    public boolean conserved() {
        return balances + escrow + stakes == minted;
    }
}
