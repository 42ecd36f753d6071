package dev.fusionledger.chaincode.market;

import dev.fusionledger.ledger.Account;
import dev.fusionledger.ledger.Checks;
import dev.fusionledger.ledger.LedgerJson;
import dev.fusionledger.ledger.MarketException;
import dev.fusionledger.ledger.Reputation;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskState;

/**
 * One running transaction: the ledger port, its typed store and keys, and the helpers every
 * concern shares (time and caller from the stub, task lookup and state checks, credits, the one
 * event). Amounts in credits with checked arithmetic.
 */
final class Tx {
    final Ledger ledger;
    final Store store;
    final Keys keys;

    Tx(Ledger ledger) {
        this.ledger = ledger;
        this.store = new Store(ledger);
        this.keys = new Keys(ledger);
    }

    /** @return the transaction time, epoch seconds */
    long now() {
        return ledger.txTime();
    }

    /** @return the caller's account id */
    String me() {
        return ledger.caller().accountId();
    }

    /** @throws MarketException INVALID_ARGUMENT on a malformed id, NOT_FOUND for an unknown task */
    Task task(String taskId) {
        String id = Checks.taskId(taskId);
        Task t = store.get(keys.task(id), Task.class);
        if (t == null) {
            throw MarketException.notFound("taskId", "no task " + id);
        }
        return t;
    }

    void put(Task t) {
        store.put(keys.task(t.taskId()), t);
    }

    /** @throws MarketException FAILED_PRECONDITION on {@code state} unless the task is in {@code s} */
    static void requireState(Task t, TaskState s) {
        if (t.state() != s) {
            throw MarketException.precondition("state", "task " + t.taskId() + " must be " + s + ", is " + t.state());
        }
    }

    /** @return the account of {@code id} (balance 0 when unknown) */
    Account account(String id) {
        Account a = store.get(keys.account(id), Account.class);
        return a == null ? new Account(id, 0) : a;
    }

    /** @return the reputation of {@code id} (zeros when unknown) */
    Reputation reputation(String id) {
        Reputation r = store.get(keys.reputation(id), Reputation.class);
        return r == null ? Reputation.none(id) : r;
    }

    /** Adds {@code amount} credits to {@code id}'s balance. */
    Account credit(String id, long amount) {
        Account a = account(id);
        a = a.withBalance(Checks.add("amount", a.balance(), amount));
        store.put(keys.account(id), a);
        return a;
    }

    /** @throws MarketException INSUFFICIENT_FUNDS on {@code field} when the balance is below {@code amount} */
    Account debit(String id, long amount, String field) {
        Account a = account(id);
        if (a.balance() < amount) {
            throw MarketException.funds(field, "needs " + amount + " credits, balance is " + a.balance());
        }
        if (amount == 0) {
            return a;
        }
        a = a.withBalance(a.balance() - amount);
        store.put(keys.account(id), a);
        return a;
    }

    /** Sets the transaction's one event, named {@code name} with {@code result}'s JSON; returns it. */
    <T> T emit(String name, T result) {
        ledger.setEvent(name, LedgerJson.bytes(result));
        return result;
    }
}
