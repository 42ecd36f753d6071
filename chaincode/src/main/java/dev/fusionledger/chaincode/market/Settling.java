package dev.fusionledger.chaincode.market;

import dev.fusionledger.ledger.Bid;
import dev.fusionledger.ledger.BidStatus;
import dev.fusionledger.ledger.Checkpoint;
import dev.fusionledger.ledger.Checks;
import dev.fusionledger.ledger.ContributorOutcome;
import dev.fusionledger.ledger.KeyEscrow;
import dev.fusionledger.ledger.KeyEscrowStatus;
import dev.fusionledger.ledger.MarketException;
import dev.fusionledger.ledger.Reputation;
import dev.fusionledger.ledger.Settlement;
import dev.fusionledger.ledger.SettlementOutcome;
import dev.fusionledger.ledger.SettlementRule;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskState;
import dev.fusionledger.ledger.Verifier;
import dev.fusionledger.ledger.VerifierOutcome;
import dev.fusionledger.ledger.VerifierStatus;
import dev.fusionledger.ledger.Vote;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code Settle}: load the task's records, compute with the ledger-api {@link SettlementRule}
 * (docs/ledger-api.md, "Settlement rule"), store the result: statuses, reputations, credits,
 * the task and the settlement. The payment of an accepted contributor whose final checkpoint is
 * sealed is not credited but held in a {@link KeyEscrow} (and in the task's escrow) until its key
 * for the initiator is on the ledger ({@link Sealing}; docs/ledger-api.md, "Key escrow").
 */
final class Settling {
    private final Tx tx;
    private final Voting voting;

    Settling(Tx tx, Voting voting) {
        this.tx = tx;
        this.voting = voting;
    }

    Settlement settle(String taskId) {
        // load
        Task t = tx.task(taskId);
        Tx.requireState(t, TaskState.VERIFYING);
        long now = tx.now();
        if (now <= t.revealDeadline() && !voting.allDrawn(t, false)) {
            throw MarketException.precondition("revealDeadline", "settle once every drawn verifier revealed or after "
                    + t.revealDeadline() + ", now " + now);
        }
        List<Bid> bids = tx.store.range(Bid.class, Keys.BID, t.taskId());
        List<Verifier> verifiers = tx.store.range(Verifier.class, Keys.VERIFIER, t.taskId());
        List<Checkpoint> checkpoints = tx.store.range(Checkpoint.class, Keys.CHECKPOINT, t.taskId());
        List<Vote> votes = tx.store.range(Vote.class, Keys.VOTE, t.taskId());
        // compute
        Settlement s = SettlementRule.settle(t, bids, verifiers, checkpoints, votes, now);
        // store
        boolean refunded = s.outcome() == SettlementOutcome.REFUNDED;
        Map<String, Bid> bidOf = new HashMap<>();
        bids.forEach(b -> bidOf.put(b.bidder(), b));
        for (ContributorOutcome c : s.contributors()) {
            BidStatus status = refunded ? BidStatus.REFUNDED : c.accepted() ? BidStatus.ACCEPTED : BidStatus.REJECTED;
            if (!refunded) {
                Reputation rep = tx.reputation(c.contributor());
                tx.store.put(tx.keys.reputation(c.contributor()), c.accepted() ? rep.afterAccepted() : rep.afterSlashed());
            }
            tx.store.put(tx.keys.bid(t.taskId(), c.contributor()), bidOf.get(c.contributor()).withStatus(status));
        }
        Map<String, Verifier> verifierOf = new HashMap<>();
        verifiers.forEach(v -> verifierOf.put(v.verifier(), v));
        for (VerifierOutcome v : s.verifiers()) {
            VerifierStatus status = refunded ? VerifierStatus.REFUNDED : v.revealed() ? VerifierStatus.PAID : VerifierStatus.FORFEITED;
            if (status == VerifierStatus.FORFEITED) {
                tx.store.put(tx.keys.reputation(v.verifier()), tx.reputation(v.verifier()).afterForfeit());
            }
            tx.store.put(tx.keys.verifier(t.taskId(), v.verifier()), verifierOf.get(v.verifier()).withStatus(status));
        }
        Map<String, Long> payouts = new java.util.TreeMap<>(SettlementRule.payouts(t.initiator(), s));
        long held = 0;
        long keyDeadline = Checks.add("revealSeconds", now, t.spec().revealSeconds());
        for (ContributorOutcome c : s.contributors()) {
            if (!refunded && c.accepted() && c.payment() > 0 && sealedFinal(checkpoints, c.contributor(), s.epochsCompleted()) != null) {
                payouts.merge(c.contributor(), -c.payment(), Math::addExact);
                held = Checks.add("escrow", held, c.payment());
                tx.store.put(tx.keys.keyEscrow(t.taskId(), c.contributor()), new KeyEscrow(t.taskId(), c.contributor(),
                        c.payment(), keyDeadline, KeyEscrowStatus.HELD, 0));
            }
        }
        for (Map.Entry<String, Long> p : payouts.entrySet()) {
            if (p.getValue() > 0) {
                tx.credit(p.getKey(), p.getValue());
            }
        }
        tx.put(t.withEscrow(held).withState(TaskState.SETTLED, now));
        tx.store.put(tx.keys.settlement(t.taskId()), s);
        return tx.emit("Settle", s);
    }

    /** @return {@code contributor}'s checkpoint of {@code epoch} (its final one) when sealed, else {@code null} */
    static Checkpoint sealedFinal(List<Checkpoint> checkpoints, String contributor, int epoch) {
        for (Checkpoint cp : checkpoints) {
            if (cp.contributor().equals(contributor) && cp.epoch() == epoch && cp.sealed()) {
                return cp;
            }
        }
        return null;
    }
}
