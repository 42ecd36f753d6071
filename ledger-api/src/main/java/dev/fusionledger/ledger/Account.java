package dev.fusionledger.ledger;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An account's balance (key {@code account[accountId]}).
 *
 * @param accountId {@code <mspId>::<identity>}
 * @param balance   credits, never negative
 */
@JsonPropertyOrder({"accountId", "balance"})
public record Account(String accountId, long balance) {

    /** @return this account with {@code balance} credits */
    public Account withBalance(long balance) {
        return new Account(accountId, balance);
    }
}
