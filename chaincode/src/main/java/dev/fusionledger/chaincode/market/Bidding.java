package dev.fusionledger.chaincode.market;

import dev.fusionledger.ledger.Bid;
import dev.fusionledger.ledger.BidStatus;
import dev.fusionledger.ledger.Checks;
import dev.fusionledger.ledger.Limits;
import dev.fusionledger.ledger.MarketException;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskSpec;
import dev.fusionledger.ledger.TaskState;
import dev.fusionledger.ledger.Verifier;
import dev.fusionledger.ledger.VerifierStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Announcement, bids, verifier registration, resolution and cancellation (docs/ledger-api.md,
 * "Tasks" and "Resolution rule"; Chamatidis et al. bidding, escrow and stake; Fadaeddini et al.
 * stake × (1 + strikes)).
 */
final class Bidding {
    private final Tx tx;

    Bidding(Tx tx) {
        this.tx = tx;
    }

    Task announceTask(String specJson) {
        TaskSpec spec = TaskSpec.parse(specJson);
        long escrow = spec.escrowRequired();
        String taskId = tx.ledger.txId();
        if (tx.store.get(tx.keys.task(taskId), Task.class) != null) {
            throw MarketException.exists("taskId", "task " + taskId + " exists");
        }
        String me = tx.me();
        tx.debit(me, escrow, "rewardBudget");
        long now = tx.now();
        Task t = Task.announced(taskId, me, spec, now, Checks.add("biddingSeconds", now, spec.biddingSeconds()), escrow);
        tx.put(t);
        return tx.emit("AnnounceTask", t);
    }

    Task cancelTask(String taskId) {
        Task t = tx.task(taskId);
        if (!t.initiator().equals(tx.me())) {
            throw MarketException.denied("caller", "only the initiator may cancel task " + t.taskId());
        }
        Tx.requireState(t, TaskState.BIDDING);
        return tx.emit("CancelTask", cancel(t));
    }

    Bid submitBid(String taskId, String dataPoints, String pricePerPoint) {
        long dp = Checks.parseLong("dataPoints", dataPoints, Limits.DATA_POINTS);
        long price = Checks.parseLong("pricePerPoint", pricePerPoint, Limits.AMOUNT);
        long maxEarnings = Checks.mul("pricePerPoint", dp, price);
        Task t = tx.task(taskId);
        requireBiddingOpen(t);
        String me = tx.me();
        if (t.initiator().equals(me)) {
            throw MarketException.denied("caller", "the initiator cannot bid on its own task");
        }
        if (tx.store.get(tx.keys.verifier(t.taskId(), me), Verifier.class) != null) {
            throw MarketException.denied("caller", "a registered verifier of the task cannot bid on it");
        }
        if (tx.store.get(tx.keys.bid(t.taskId(), me), Bid.class) != null) {
            throw MarketException.exists("bid", "one bid per account per task; withdraw it first");
        }
        if (maxEarnings > t.spec().rewardBudget()) {
            throw MarketException.invalid("pricePerPoint", "dataPoints x pricePerPoint = " + maxEarnings
                    + " must be at most rewardBudget " + t.spec().rewardBudget());
        }
        long strikes = tx.reputation(me).strikes();
        long stake = Checks.mul("stake", maxEarnings, Checks.add("stake", 1, strikes));
        tx.debit(me, stake, "stake");
        Bid b = new Bid(t.taskId(), me, dp, price, maxEarnings, stake, tx.now(), BidStatus.PENDING);
        tx.store.put(tx.keys.bid(t.taskId(), me), b);
        return tx.emit("SubmitBid", b);
    }

    Bid withdrawBid(String taskId) {
        Task t = tx.task(taskId);
        String me = tx.me();
        Bid b = tx.store.get(tx.keys.bid(t.taskId(), me), Bid.class);
        if (b == null) {
            throw MarketException.notFound("bid", "the caller has no bid on task " + t.taskId());
        }
        Tx.requireState(t, TaskState.BIDDING);
        tx.credit(me, b.stake());
        tx.store.delete(tx.keys.bid(t.taskId(), me));
        return tx.emit("WithdrawBid", b.withStatus(BidStatus.WITHDRAWN));
    }

    Verifier registerVerifier(String taskId) {
        Task t = tx.task(taskId);
        if (t.state() != TaskState.BIDDING && t.state() != TaskState.TRAINING) {
            throw MarketException.precondition("state", "verifiers register in BIDDING or TRAINING, task is " + t.state());
        }
        String me = tx.me();
        if (t.initiator().equals(me)) {
            throw MarketException.denied("caller", "the initiator cannot verify its own task");
        }
        if (tx.store.get(tx.keys.bid(t.taskId(), me), Bid.class) != null) {
            throw MarketException.denied("caller", "a bidder cannot verify a task it bid on");
        }
        if (tx.store.get(tx.keys.verifier(t.taskId(), me), Verifier.class) != null) {
            throw MarketException.exists("verifier", "the caller is registered already");
        }
        tx.debit(me, t.spec().verifierStake(), "verifierStake");
        Verifier v = new Verifier(t.taskId(), me, t.spec().verifierStake(), tx.now(), VerifierStatus.REGISTERED, null, 0, 0);
        tx.store.put(tx.keys.verifier(t.taskId(), me), v);
        return tx.emit("RegisterVerifier", v);
    }

    Task resolveBidding(String taskId) {
        Task t = tx.task(taskId);
        Tx.requireState(t, TaskState.BIDDING);
        List<Bid> bids = tx.store.range(Bid.class, Keys.BID, t.taskId());
        long now = tx.now();
        if (t.initiator().equals(tx.me())) {
            if (bids.isEmpty() && now <= t.biddingDeadline()) {
                throw MarketException.precondition("bids", "the initiator may resolve once a bid exists (or after the deadline "
                        + t.biddingDeadline() + ")");
            }
        } else if (now <= t.biddingDeadline()) {
            throw MarketException.precondition("biddingDeadline", "bidding ends at " + t.biddingDeadline() + ", now " + now);
        }
        List<Bid> order = new ArrayList<>(bids);
        order.sort(Comparator.comparingLong(Bid::pricePerPoint)
                .thenComparing(Comparator.comparingLong(Bid::dataPoints).reversed())
                .thenComparingLong(Bid::submittedAt)
                .thenComparing(Bid::bidder));
        long spent = 0;
        long covered = 0;
        List<String> selected = new ArrayList<>();
        for (Bid b : order) {
            if (covered >= t.spec().requiredDataPoints()) {
                break;
            }
            if (b.maxEarnings() <= t.spec().rewardBudget() - spent) {
                spent += b.maxEarnings();
                covered += b.dataPoints();
                selected.add(b.bidder());
            }
        }
        if (selected.isEmpty()) {
            return tx.emit("ResolveBidding", cancel(t));
        }
        Set<String> sel = new HashSet<>(selected);
        for (Bid b : bids) {
            if (!sel.contains(b.bidder())) {
                tx.credit(b.bidder(), b.stake());
            }
            tx.store.put(tx.keys.bid(t.taskId(), b.bidder()),
                    b.withStatus(sel.contains(b.bidder()) ? BidStatus.SELECTED : BidStatus.NOT_SELECTED));
        }
        long unused = t.spec().rewardBudget() - spent;
        if (unused > 0) {
            tx.credit(t.initiator(), unused);
        }
        Task r = t.withEscrow(t.escrow() - unused).withSelectedBidders(selected).withState(TaskState.TRAINING, now)
                .withEpoch(1, Checks.add("epochSeconds", now, t.spec().epochSeconds()), 0);
        tx.put(r);
        return tx.emit("ResolveBidding", r);
    }

    /** Refunds every stake and the escrow; the task becomes CANCELLED. */
    private Task cancel(Task t) {
        for (Bid b : tx.store.range(Bid.class, Keys.BID, t.taskId())) {
            if (b.holdsStake()) {
                tx.credit(b.bidder(), b.stake());
            }
            tx.store.put(tx.keys.bid(t.taskId(), b.bidder()), b.withStatus(BidStatus.REFUNDED));
        }
        for (Verifier v : tx.store.range(Verifier.class, Keys.VERIFIER, t.taskId())) {
            if (v.holdsStake()) {
                tx.credit(v.verifier(), v.stake());
            }
            tx.store.put(tx.keys.verifier(t.taskId(), v.verifier()), v.withStatus(VerifierStatus.REFUNDED));
        }
        if (t.escrow() > 0) {
            tx.credit(t.initiator(), t.escrow());
        }
        Task c = t.withEscrow(0).withState(TaskState.CANCELLED, tx.now());
        tx.put(c);
        return c;
    }

    private void requireBiddingOpen(Task t) {
        Tx.requireState(t, TaskState.BIDDING);
        long now = tx.now();
        if (now > t.biddingDeadline()) {
            throw MarketException.precondition("biddingDeadline", "bidding closed at " + t.biddingDeadline() + ", now " + now);
        }
    }
}
