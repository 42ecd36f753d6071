package dev.fusionledger.chaincode.market;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** An account's balance in credits (key {@code account[accountId]}). */
@JsonPropertyOrder({"accountId", "balance"})
public final class Account {
    public String accountId;
    public long balance;

    public Account() {
    }

    public Account(String accountId, long balance) {
        this.accountId = accountId;
        this.balance = balance;
    }
}
