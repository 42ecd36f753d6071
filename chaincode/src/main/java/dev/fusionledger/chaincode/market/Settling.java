package dev.fusionledger.chaincode.market;

import dev.fusionledger.ledger.Bid;
import dev.fusionledger.ledger.BidStatus;
import dev.fusionledger.ledger.Checkpoint;
import dev.fusionledger.ledger.ContributorOutcome;
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
 * the task and the settlement.
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
        for (Map.Entry<String, Long> p : SettlementRule.payouts(t.initiator(), s).entrySet()) {
            if (p.getValue() > 0) {
                tx.credit(p.getKey(), p.getValue());
            }
        }
        tx.put(t.withEscrow(0).withState(TaskState.SETTLED, now));
        tx.store.put(tx.keys.settlement(t.taskId()), s);
        return tx.emit("Settle", s);
    }
}
