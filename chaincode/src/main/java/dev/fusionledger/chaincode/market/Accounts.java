package dev.fusionledger.chaincode.market;

import dev.fusionledger.ledger.Account;
import dev.fusionledger.ledger.Bid;
import dev.fusionledger.ledger.Checks;
import dev.fusionledger.ledger.LedgerConfig;
import dev.fusionledger.ledger.Limits;
import dev.fusionledger.ledger.MarketException;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.Totals;
import dev.fusionledger.ledger.TransferResult;
import dev.fusionledger.ledger.Verifier;

/** Credits: {@code Initialize}, {@code Mint}, {@code Transfer}, {@code BalanceOf}, {@code GetTotals} (docs/ledger-api.md, "Credits"). */
final class Accounts {
    private final Tx tx;

    Accounts(Tx tx) {
        this.tx = tx;
    }

    LedgerConfig initialize(String treasurerMspId) {
        if (treasurerMspId == null || treasurerMspId.isEmpty() || treasurerMspId.length() > Limits.MAX_MSP_ID
                || treasurerMspId.indexOf('\u0000') >= 0) {
            throw MarketException.invalid("treasurerMspId", "must be an MSP id of 1.." + Limits.MAX_MSP_ID + " characters");
        }
        if (tx.store.get(tx.keys.config(), LedgerConfig.class) != null) {
            throw MarketException.exists("config", "the market is already initialized");
        }
        Ledger.Caller c = tx.ledger.caller();
        if (!c.admin() || !c.mspId().equals(treasurerMspId)) {
            throw MarketException.denied("caller", "must be an admin of " + treasurerMspId + ", is "
                    + (c.admin() ? "an admin" : "a non-admin") + " of " + c.mspId());
        }
        LedgerConfig cfg = new LedgerConfig(treasurerMspId, 0);
        tx.store.put(tx.keys.config(), cfg);
        return tx.emit("Initialize", cfg);
    }

    Account mint(String amount) {
        long a = Checks.parseLong("amount", amount, Limits.AMOUNT);
        LedgerConfig cfg = config();
        Ledger.Caller c = tx.ledger.caller();
        if (!c.admin() || !c.mspId().equals(cfg.treasurerMspId())) {
            throw MarketException.denied("caller", "only an admin of the treasurer MSP " + cfg.treasurerMspId() + " may mint");
        }
        tx.store.put(tx.keys.config(), cfg.withMinted(Checks.add("amount", cfg.minted(), a)));
        return tx.emit("Mint", tx.credit(c.accountId(), a));
    }

    TransferResult transfer(String toAccountId, String amount) {
        String to = Checks.accountId("toAccountId", toAccountId);
        long a = Checks.parseLong("amount", amount, Limits.AMOUNT);
        String from = tx.me();
        if (from.equals(to)) {
            throw MarketException.invalid("toAccountId", "must differ from the caller's account");
        }
        Account f = tx.debit(from, a, "amount");
        tx.credit(to, a);
        return tx.emit("Transfer", new TransferResult(from, to, a, f.balance()));
    }

    Account balanceOf(String accountId) {
        return tx.account(Checks.accountId("accountId", accountId));
    }

    Totals totals() {
        LedgerConfig cfg = tx.store.get(tx.keys.config(), LedgerConfig.class);
        long balances = 0;
        long escrow = 0;
        long stakes = 0;
        for (Account a : tx.store.range(Account.class, Keys.ACCOUNT)) {
            balances = Math.addExact(balances, a.balance());
        }
        for (Task task : tx.store.range(Task.class, Keys.TASK)) {
            escrow = Math.addExact(escrow, task.escrow());
        }
        for (Bid b : tx.store.range(Bid.class, Keys.BID)) {
            if (b.holdsStake()) {
                stakes = Math.addExact(stakes, b.stake());
            }
        }
        for (Verifier v : tx.store.range(Verifier.class, Keys.VERIFIER)) {
            if (v.holdsStake()) {
                stakes = Math.addExact(stakes, v.stake());
            }
        }
        return new Totals(cfg == null ? 0 : cfg.minted(), balances, escrow, stakes);
    }

    private LedgerConfig config() {
        LedgerConfig cfg = tx.store.get(tx.keys.config(), LedgerConfig.class);
        if (cfg == null) {
            throw MarketException.precondition("config", "the market is not initialized (call Initialize)");
        }
        return cfg;
    }
}
