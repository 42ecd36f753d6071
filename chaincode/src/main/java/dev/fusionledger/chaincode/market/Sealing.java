package dev.fusionledger.chaincode.market;

import dev.fusionledger.ledger.Checkpoint;
import dev.fusionledger.ledger.Checks;
import dev.fusionledger.ledger.KeyDelivery;
import dev.fusionledger.ledger.KeyDispute;
import dev.fusionledger.ledger.KeyEscrow;
import dev.fusionledger.ledger.KeyEscrowStatus;
import dev.fusionledger.ledger.MarketException;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskState;

/**
 * Sealed artifacts' keys (docs/ledger-api.md, "Key delivery" and "Key escrow"): a selected
 * contributor delivers its final model's data key, wrapped, to each drawn verifier once the draw is
 * on the ledger and to the initiator once settled and accepted; the latter releases its held payment.
 * After the deadline a withheld key returns the payment to the initiator with a strike; the
 * initiator may record a dispute about a delivered key. The chaincode never sees a key in clear.
 */
final class Sealing {
    private final Tx tx;

    Sealing(Tx tx) {
        this.tx = tx;
    }

    KeyDelivery deliverKey(String taskId, String recipient, String wrappedKey) {
        String to = Checks.accountId("recipient", recipient);
        String wrapped = Checks.wrappedKey(wrappedKey);
        Task t = tx.task(taskId);
        String me = tx.me();
        if (!t.selectedBidders().contains(me)) {
            throw MarketException.denied("caller", "only a selected contributor of the task delivers its keys");
        }
        String role;
        KeyEscrow escrow = null;
        if (t.drawnVerifiers().contains(to)) {
            role = KeyDelivery.VERIFIER;
            if (t.state() != TaskState.VERIFYING && t.state() != TaskState.SETTLED) {
                throw MarketException.precondition("state", "keys go to drawn verifiers once drawn (VERIFYING or SETTLED), task "
                        + t.taskId() + " is " + t.state());
            }
        } else if (to.equals(t.initiator())) {
            role = KeyDelivery.INITIATOR;
            if (t.state() != TaskState.SETTLED) {
                throw MarketException.denied("recipient", "the initiator gets keys only after Settle, task " + t.taskId()
                        + " is " + t.state());
            }
            escrow = tx.store.get(tx.keys.keyEscrow(t.taskId(), me), KeyEscrow.class);
            if (escrow == null) {
                throw MarketException.denied("recipient", "the initiator gets keys only of accepted sealed models; "
                        + "no payment of this contributor is held for task " + t.taskId());
            }
        } else {
            throw MarketException.denied("recipient", "must be a drawn verifier of task " + t.taskId()
                    + " or, after settlement, its initiator");
        }
        Checkpoint cp = Settling.sealedFinal(tx.store.range(Checkpoint.class, Keys.CHECKPOINT, t.taskId()), me,
                t.epochsCompleted());
        if (cp == null) {
            throw MarketException.precondition("checkpoint", "no sealed checkpoint of epoch " + t.epochsCompleted()
                    + " (the final one) by the caller");
        }
        String key = tx.keys.keyDelivery(t.taskId(), me, to);
        if (tx.store.get(key, KeyDelivery.class) != null) {
            throw MarketException.exists("recipient", "a key for this recipient is on the ledger already");
        }
        long now = tx.now();
        if (escrow != null) {
            if (escrow.status() != KeyEscrowStatus.HELD) {
                throw MarketException.precondition("keyEscrow", "the payment is " + escrow.status() + " already");
            }
            if (now > escrow.deadline()) {
                throw MarketException.precondition("keyEscrow", "the key deadline " + escrow.deadline() + " passed, now "
                        + now + " (the payment returns to the initiator with ReclaimKeyEscrow)");
            }
            tx.credit(me, escrow.amount());
            tx.put(t.withEscrow(Math.subtractExact(t.escrow(), escrow.amount())));
            tx.store.put(tx.keys.keyEscrow(t.taskId(), me), escrow.closed(KeyEscrowStatus.RELEASED, now));
        }
        KeyDelivery d = new KeyDelivery(t.taskId(), me, to, role, cp.epoch(), cp.modelHash(), cp.keyCommitment(),
                wrapped, now);
        tx.store.put(key, d);
        return tx.emit("DeliverKey", d);
    }

    KeyEscrow reclaimKeyEscrow(String taskId, String contributor) {
        String who = Checks.accountId("contributor", contributor);
        Task t = tx.task(taskId);
        Tx.requireState(t, TaskState.SETTLED);
        KeyEscrow escrow = tx.store.get(tx.keys.keyEscrow(t.taskId(), who), KeyEscrow.class);
        if (escrow == null) {
            throw MarketException.notFound("contributor", "no payment of this contributor is held for task " + t.taskId());
        }
        if (escrow.status() != KeyEscrowStatus.HELD) {
            throw MarketException.precondition("keyEscrow", "the payment is " + escrow.status() + " already");
        }
        long now = tx.now();
        if (now <= escrow.deadline()) {
            throw MarketException.precondition("keyEscrow", "the contributor may deliver its key until "
                    + escrow.deadline() + ", now " + now);
        }
        tx.credit(t.initiator(), escrow.amount());
        tx.put(t.withEscrow(Math.subtractExact(t.escrow(), escrow.amount())));
        tx.store.put(tx.keys.reputation(who), tx.reputation(who).afterWithheldKey());
        KeyEscrow r = escrow.closed(KeyEscrowStatus.RETURNED, now);
        tx.store.put(tx.keys.keyEscrow(t.taskId(), who), r);
        return tx.emit("ReclaimKeyEscrow", r);
    }

    KeyDispute disputeKey(String taskId, String contributor, String reason) {
        String who = Checks.accountId("contributor", contributor);
        String why = Checks.reason(reason);
        Task t = tx.task(taskId);
        if (!t.initiator().equals(tx.me())) {
            throw MarketException.denied("caller", "only the task's initiator disputes a key delivered to it");
        }
        Tx.requireState(t, TaskState.SETTLED);
        KeyDelivery d = tx.store.get(tx.keys.keyDelivery(t.taskId(), who, t.initiator()), KeyDelivery.class);
        if (d == null) {
            throw MarketException.precondition("contributor", "no key of this contributor was delivered to the initiator"
                    + " (a withheld key is reclaimed with ReclaimKeyEscrow after the deadline)");
        }
        String key = tx.keys.keyDispute(t.taskId(), who);
        if (tx.store.get(key, KeyDispute.class) != null) {
            throw MarketException.exists("contributor", "this key is disputed already");
        }
        KeyDispute k = new KeyDispute(t.taskId(), who, t.initiator(), d.modelHash(), d.keyCommitment(), why, tx.now());
        tx.store.put(key, k);
        return tx.emit("DisputeKey", k);
    }
}
