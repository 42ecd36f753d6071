package dev.fusionledger.chaincode.market;

import dev.fusionledger.chaincode.market.Settlement.ContributorResult;
import dev.fusionledger.chaincode.market.Settlement.VerifierResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The cooperative-learning market rules (DESIGN.md §3; Mendis et al. roles and majority vote over
 * MAFR; Chamatidis et al. bidding, escrow, stake, slash and per-epoch pay; Fadaeddini et al. higher
 * stakes after misbehaviour), on a {@link Ledger} port. One instance per transaction. Every submit
 * method emits exactly one event named after the transaction with its result JSON as payload.
 * All amounts are credits, rates basis points, times epoch seconds from the transaction timestamp.
 * Every method throws {@link MarketException} with the code and field documented in
 * {@code docs/ledger-api.md}; a rejected transaction writes nothing.
 */
public final class Market {
    static final String CONFIG = "config";
    static final String ACCOUNT = "account";
    static final String REPUTATION = "reputation";
    static final String TASK = "task";
    static final String BID = "bid";
    static final String VERIFIER = "verifier";
    static final String CHECKPOINT = "checkpoint";
    static final String VOTE = "vote";
    static final String SETTLEMENT = "settlement";
    /** Largest metrics JSON in a checkpoint, bytes. */
    public static final int MAX_METRICS_BYTES = 4096;
    /** Largest epoch a checkpoint history id may name: the largest {@code maxEpochs} of a task. */
    static final int MAX_HISTORY_EPOCH = 1000;

    private final Ledger ledger;
    private final Store store;

    /** @param ledger the port of the running transaction */
    public Market(Ledger ledger) {
        this.ledger = ledger;
        this.store = new Store(ledger);
    }

    // ------------------------------------------------------------------ credits

    /**
     * Names the treasurer MSP, once.
     *
     * @throws MarketException ALREADY_EXISTS when initialized, PERMISSION_DENIED unless the caller is
     *     an admin of {@code treasurerMspId}, INVALID_ARGUMENT for an id outside 1..128 chars
     */
    public Results.Config initialize(String treasurerMspId) {
        if (treasurerMspId == null || treasurerMspId.isEmpty() || treasurerMspId.length() > 128
                || treasurerMspId.indexOf('\u0000') >= 0) {
            throw MarketException.invalid("treasurerMspId", "must be an MSP id of 1..128 characters");
        }
        if (store.get(configKey(), Results.Config.class) != null) {
            throw MarketException.exists("config", "the market is already initialized");
        }
        Ledger.Caller c = ledger.caller();
        if (!c.admin() || !c.mspId().equals(treasurerMspId)) {
            throw MarketException.denied("caller", "must be an admin of " + treasurerMspId + ", is "
                    + (c.admin() ? "an admin" : "a non-admin") + " of " + c.mspId());
        }
        Results.Config cfg = new Results.Config();
        cfg.treasurerMspId = treasurerMspId;
        store.put(configKey(), cfg);
        return emit("Initialize", cfg);
    }

    /**
     * Mints {@code amount} (1..10^15) credits to the treasurer's own account.
     *
     * @throws MarketException FAILED_PRECONDITION before {@code Initialize}, PERMISSION_DENIED
     *     unless an admin of the treasurer MSP, INVALID_ARGUMENT on amount or total overflow
     */
    public Account mint(String amount) {
        long a = Args.parseLong("amount", amount, 1, Args.MAX_AMOUNT);
        Results.Config cfg = config();
        Ledger.Caller c = ledger.caller();
        if (!c.admin() || !c.mspId().equals(cfg.treasurerMspId)) {
            throw MarketException.denied("caller", "only an admin of the treasurer MSP " + cfg.treasurerMspId + " may mint");
        }
        cfg.minted = Args.add("amount", cfg.minted, a);
        store.put(configKey(), cfg);
        Account acct = credit(c.accountId(), a);
        return emit("Mint", acct);
    }

    /**
     * Moves {@code amount} (1..10^15) credits from the caller to {@code toAccountId}.
     *
     * @throws MarketException INVALID_ARGUMENT on amount or recipient (malformed or the caller),
     *     INSUFFICIENT_FUNDS when the balance is lower
     */
    public Results.Transfer transfer(String toAccountId, String amount) {
        String to = Args.accountId("toAccountId", toAccountId);
        long a = Args.parseLong("amount", amount, 1, Args.MAX_AMOUNT);
        String from = ledger.caller().accountId();
        if (from.equals(to)) {
            throw MarketException.invalid("toAccountId", "must differ from the caller's account");
        }
        Account f = debit(from, a, "amount");
        credit(to, a);
        Results.Transfer t = new Results.Transfer();
        t.from = from;
        t.to = to;
        t.amount = a;
        t.fromBalance = f.balance;
        return emit("Transfer", t);
    }

    /** @return the balance of {@code accountId} (0 when unknown) */
    public Account balanceOf(String accountId) {
        String id = Args.accountId("accountId", accountId);
        return account(id);
    }

    /** @return the caller's account id {@code <mspId>::<identity>} */
    public String clientAccountId() {
        return ledger.caller().accountId();
    }

    /** @return credit totals from range scans; invariant balances + escrow + stakes = minted */
    public Results.Totals totals() {
        Results.Totals t = new Results.Totals();
        Results.Config cfg = store.get(configKey(), Results.Config.class);
        t.minted = cfg == null ? 0 : cfg.minted;
        for (Account a : store.range(Account.class, ACCOUNT)) {
            t.balances = Math.addExact(t.balances, a.balance);
        }
        for (Task task : store.range(Task.class, TASK)) {
            t.escrow = Math.addExact(t.escrow, task.escrow);
        }
        for (Bid b : store.range(Bid.class, BID)) {
            if (b.holdsStake()) {
                t.stakes = Math.addExact(t.stakes, b.stake);
            }
        }
        for (Verifier v : store.range(Verifier.class, VERIFIER)) {
            if (v.holdsStake()) {
                t.stakes = Math.addExact(t.stakes, v.stake);
            }
        }
        return t;
    }

    // ------------------------------------------------------------------ tasks

    /**
     * Announces a task; {@code taskId} = the transaction id; escrows rewardBudget + k x verifierFee.
     *
     * @throws MarketException INVALID_ARGUMENT on the spec (see {@link TaskSpec#parse}),
     *     ALREADY_EXISTS on a reused transaction id, INSUFFICIENT_FUNDS when the balance is lower
     */
    public Task announceTask(String specJson) {
        TaskSpec spec = TaskSpec.parse(specJson);
        long escrow = spec.escrowAtAnnounce();
        String taskId = ledger.txId();
        if (store.get(taskKey(taskId), Task.class) != null) {
            throw MarketException.exists("taskId", "task " + taskId + " exists");
        }
        String me = ledger.caller().accountId();
        debit(me, escrow, "rewardBudget");
        long now = ledger.txTime();
        Task t = new Task();
        t.taskId = taskId;
        t.initiator = me;
        t.spec = spec;
        t.state = Task.State.BIDDING;
        t.announcedAt = now;
        t.biddingDeadline = Args.add("biddingSeconds", now, spec.biddingSeconds);
        t.escrow = escrow;
        t.updatedAt = now;
        store.put(taskKey(taskId), t);
        return emit("AnnounceTask", t);
    }

    /**
     * Cancels a task in BIDDING; refunds escrow, bid stakes and verifier stakes.
     *
     * @throws MarketException NOT_FOUND, PERMISSION_DENIED unless the initiator,
     *     FAILED_PRECONDITION after resolution
     */
    public Task cancelTask(String taskId) {
        Task t = task(taskId);
        if (!t.initiator.equals(ledger.caller().accountId())) {
            throw MarketException.denied("caller", "only the initiator may cancel task " + t.taskId);
        }
        requireState(t, Task.State.BIDDING);
        cancel(t);
        return emit("CancelTask", t);
    }

    /**
     * Bids {@code dataPoints} (1..10^12) at {@code pricePerPoint} (1..10^15) credits; stakes
     * maxEarnings x (1 + strikes).
     *
     * @throws MarketException INVALID_ARGUMENT on ranges/overflow or maxEarnings over the budget,
     *     NOT_FOUND, FAILED_PRECONDITION outside bidding, PERMISSION_DENIED for the initiator or a
     *     registered verifier, ALREADY_EXISTS for a second bid, INSUFFICIENT_FUNDS
     */
    public Bid submitBid(String taskId, String dataPoints, String pricePerPoint) {
        long dp = Args.parseLong("dataPoints", dataPoints, 1, Args.MAX_DATA_POINTS);
        long price = Args.parseLong("pricePerPoint", pricePerPoint, 1, Args.MAX_AMOUNT);
        long maxEarnings = Args.mul("pricePerPoint", dp, price);
        Task t = task(taskId);
        requireBiddingOpen(t);
        String me = ledger.caller().accountId();
        if (t.initiator.equals(me)) {
            throw MarketException.denied("caller", "the initiator cannot bid on its own task");
        }
        if (store.get(verifierKey(t.taskId, me), Verifier.class) != null) {
            throw MarketException.denied("caller", "a registered verifier of the task cannot bid on it");
        }
        if (store.get(bidKey(t.taskId, me), Bid.class) != null) {
            throw MarketException.exists("bid", "one bid per account per task; withdraw it first");
        }
        if (maxEarnings > t.spec.rewardBudget) {
            throw MarketException.invalid("pricePerPoint", "dataPoints x pricePerPoint = " + maxEarnings
                    + " must be at most rewardBudget " + t.spec.rewardBudget);
        }
        long strikes = reputation(me).strikes;
        long stake = Args.mul("stake", maxEarnings, Args.add("stake", 1, strikes));
        debit(me, stake, "stake");
        Bid b = new Bid();
        b.taskId = t.taskId;
        b.bidder = me;
        b.dataPoints = dp;
        b.pricePerPoint = price;
        b.maxEarnings = maxEarnings;
        b.stake = stake;
        b.submittedAt = ledger.txTime();
        b.status = Bid.Status.PENDING;
        store.put(bidKey(t.taskId, me), b);
        return emit("SubmitBid", b);
    }

    /**
     * Withdraws the caller's bid before resolution; refunds its stake; the bid key is deleted.
     *
     * @throws MarketException NOT_FOUND (task or bid), FAILED_PRECONDITION after resolution
     */
    public Bid withdrawBid(String taskId) {
        Task t = task(taskId);
        String me = ledger.caller().accountId();
        Bid b = store.get(bidKey(t.taskId, me), Bid.class);
        if (b == null) {
            throw MarketException.notFound("bid", "the caller has no bid on task " + t.taskId);
        }
        requireState(t, Task.State.BIDDING);
        credit(me, b.stake);
        store.delete(bidKey(t.taskId, me));
        b.status = Bid.Status.WITHDRAWN;
        return emit("WithdrawBid", b);
    }

    /**
     * Registers the caller as a verifier candidate, staking verifierStake.
     *
     * @throws MarketException NOT_FOUND, FAILED_PRECONDITION unless BIDDING or TRAINING,
     *     PERMISSION_DENIED for the initiator or a bidder, ALREADY_EXISTS, INSUFFICIENT_FUNDS
     */
    public Verifier registerVerifier(String taskId) {
        Task t = task(taskId);
        if (t.state != Task.State.BIDDING && t.state != Task.State.TRAINING) {
            throw MarketException.precondition("state", "verifiers register in BIDDING or TRAINING, task is " + t.state);
        }
        String me = ledger.caller().accountId();
        if (t.initiator.equals(me)) {
            throw MarketException.denied("caller", "the initiator cannot verify its own task");
        }
        if (store.get(bidKey(t.taskId, me), Bid.class) != null) {
            throw MarketException.denied("caller", "a bidder cannot verify a task it bid on");
        }
        if (store.get(verifierKey(t.taskId, me), Verifier.class) != null) {
            throw MarketException.exists("verifier", "the caller is registered already");
        }
        debit(me, t.spec.verifierStake, "verifierStake");
        Verifier v = new Verifier();
        v.taskId = t.taskId;
        v.verifier = me;
        v.stake = t.spec.verifierStake;
        v.registeredAt = ledger.txTime();
        v.status = Verifier.Status.REGISTERED;
        store.put(verifierKey(t.taskId, me), v);
        return emit("RegisterVerifier", v);
    }

    /**
     * Resolves the bidding (Chamatidis et al.): cheapest price per point first (ties: more data
     * points, earlier bid, account id), whole bids within the budget until the required points are
     * covered; unselected bids and unused budget refunded; no selected bid cancels the task.
     *
     * @throws MarketException NOT_FOUND, FAILED_PRECONDITION outside BIDDING, before the deadline
     *     for non-initiators, or without bids for the initiator
     */
    public Task resolveBidding(String taskId) {
        Task t = task(taskId);
        requireState(t, Task.State.BIDDING);
        List<Bid> bids = store.range(Bid.class, BID, t.taskId);
        long now = ledger.txTime();
        boolean initiator = t.initiator.equals(ledger.caller().accountId());
        if (initiator) {
            if (bids.isEmpty() && now <= t.biddingDeadline) {
                throw MarketException.precondition("bids", "the initiator may resolve once a bid exists (or after the deadline "
                        + t.biddingDeadline + ")");
            }
        } else if (now <= t.biddingDeadline) {
            throw MarketException.precondition("biddingDeadline", "bidding ends at " + t.biddingDeadline + ", now " + now);
        }
        List<Bid> order = new ArrayList<>(bids);
        order.sort(Comparator.<Bid>comparingLong(b -> b.pricePerPoint)
                .thenComparing(Comparator.<Bid>comparingLong(b -> b.dataPoints).reversed())
                .thenComparingLong(b -> b.submittedAt)
                .thenComparing(b -> b.bidder));
        long spent = 0;
        long covered = 0;
        List<String> selected = new ArrayList<>();
        for (Bid b : order) {
            if (covered >= t.spec.requiredDataPoints) {
                break;
            }
            if (b.maxEarnings <= t.spec.rewardBudget - spent) {
                spent += b.maxEarnings;
                covered += b.dataPoints;
                selected.add(b.bidder);
            }
        }
        t.updatedAt = now;
        if (selected.isEmpty()) {
            cancel(t);
            return emit("ResolveBidding", t);
        }
        Set<String> sel = new HashSet<>(selected);
        for (Bid b : bids) {
            if (sel.contains(b.bidder)) {
                b.status = Bid.Status.SELECTED;
            } else {
                b.status = Bid.Status.NOT_SELECTED;
                credit(b.bidder, b.stake);
            }
            store.put(bidKey(t.taskId, b.bidder), b);
        }
        long unused = t.spec.rewardBudget - spent;
        if (unused > 0) {
            credit(t.initiator, unused);
        }
        t.escrow -= unused;
        selected.sort(Comparator.naturalOrder());
        t.selectedBidders = selected;
        t.state = Task.State.TRAINING;
        t.currentEpoch = 1;
        t.epochDeadline = Args.add("epochSeconds", now, t.spec.epochSeconds);
        store.put(taskKey(t.taskId), t);
        return emit("ResolveBidding", t);
    }

    /**
     * Records a selected contributor's checkpoint for the current epoch; late after the deadline.
     *
     * @throws MarketException INVALID_ARGUMENT on epoch (1..1000), hash, metrics (a JSON object of at
     *     most 4096 bytes), NOT_FOUND, FAILED_PRECONDITION outside TRAINING or for another epoch,
     *     PERMISSION_DENIED unless selected, ALREADY_EXISTS for a second checkpoint of the epoch
     */
    public Checkpoint submitCheckpoint(String taskId, String epoch, String modelHash, String metricsJson) {
        int e = (int) Args.parseLong("epoch", epoch, 1, 1000);
        String hash = Args.hash("modelHash", modelHash);
        var metrics = Json.parse("metricsJson", metricsJson, MAX_METRICS_BYTES);
        if (!metrics.isObject()) {
            throw MarketException.invalid("metricsJson", "must be a JSON object");
        }
        Task t = task(taskId);
        requireState(t, Task.State.TRAINING);
        String me = ledger.caller().accountId();
        if (!t.selectedBidders.contains(me)) {
            throw MarketException.denied("caller", "only selected contributors submit checkpoints");
        }
        if (e != t.currentEpoch) {
            throw MarketException.precondition("epoch", "the current epoch is " + t.currentEpoch + ", got " + e);
        }
        String key = checkpointKey(t.taskId, me, e);
        if (store.get(key, Checkpoint.class) != null) {
            throw MarketException.exists("checkpoint", "epoch " + e + " has a checkpoint already");
        }
        Checkpoint c = new Checkpoint();
        c.taskId = t.taskId;
        c.contributor = me;
        c.epoch = e;
        c.modelHash = hash;
        c.metrics = Json.sorted(metrics);
        c.submittedAt = ledger.txTime();
        c.late = c.submittedAt > t.epochDeadline;
        store.put(key, c);
        return emit("SubmitCheckpoint", c);
    }

    /**
     * Ends the current epoch (initiator). Continue: next epoch. Back-off or last epoch:
     * VERIFYING, k verifiers drawn by a shuffle seeded from the transaction id, others refunded.
     * So that an absent initiator cannot lock stakes, anyone may back off once
     * {@code now > epochDeadline + epochSeconds}.
     *
     * @throws MarketException INVALID_ARGUMENT on continueTraining, NOT_FOUND, FAILED_PRECONDITION
     *     outside TRAINING, PERMISSION_DENIED for others than the initiator (except the late back-off)
     */
    public Task endEpoch(String taskId, String continueTraining) {
        boolean cont = Args.parseBool("continueTraining", continueTraining);
        Task t = task(taskId);
        requireState(t, Task.State.TRAINING);
        long now = ledger.txTime();
        if (!t.initiator.equals(ledger.caller().accountId())) {
            long grace = Args.add("epochSeconds", t.epochDeadline, t.spec.epochSeconds);
            if (cont || now <= grace) {
                throw MarketException.denied("caller", "only the initiator ends epochs; anyone may back off (continueTraining=false)"
                        + " once the initiator let a full epoch pass after the deadline, i.e. after " + grace);
            }
        }
        t.epochsCompleted = t.currentEpoch;
        t.updatedAt = now;
        if (cont && t.currentEpoch < t.spec.maxEpochs) {
            t.currentEpoch++;
            t.epochDeadline = Args.add("epochSeconds", now, t.spec.epochSeconds);
        } else {
            List<Verifier> vs = store.range(Verifier.class, VERIFIER, t.taskId);
            List<String> ids = new ArrayList<>();
            for (Verifier v : vs) {
                ids.add(v.verifier);
            }
            List<String> drawn = Commitments.draw(ids, t.spec.verifierQuorum, ledger.txId());
            Set<String> d = new HashSet<>(drawn);
            for (Verifier v : vs) {
                if (d.contains(v.verifier)) {
                    v.status = Verifier.Status.DRAWN;
                } else {
                    v.status = Verifier.Status.NOT_DRAWN;
                    credit(v.verifier, v.stake);
                }
                store.put(verifierKey(t.taskId, v.verifier), v);
            }
            t.drawnVerifiers = drawn;
            t.state = Task.State.VERIFYING;
            t.commitDeadline = Args.add("commitSeconds", now, t.spec.commitSeconds);
            t.revealDeadline = Args.add("revealSeconds", t.commitDeadline, t.spec.revealSeconds);
        }
        store.put(taskKey(t.taskId), t);
        return emit("EndEpoch", t);
    }

    /**
     * Records a drawn verifier's commitment (see {@link Commitments}).
     *
     * @throws MarketException INVALID_ARGUMENT on the commitment format, NOT_FOUND,
     *     FAILED_PRECONDITION outside VERIFYING or after the commit deadline, PERMISSION_DENIED
     *     unless drawn, ALREADY_EXISTS for a second commit
     */
    public Verifier commitVote(String taskId, String commitment) {
        String cm = Args.hash("commitment", commitment);
        Task t = task(taskId);
        requireState(t, Task.State.VERIFYING);
        Verifier v = drawnVerifier(t);
        if (v.commitment != null) {
            throw MarketException.exists("commitment", "the verifier committed already");
        }
        long now = ledger.txTime();
        if (now > t.commitDeadline) {
            throw MarketException.precondition("commitDeadline", "commits closed at " + t.commitDeadline + ", now " + now);
        }
        v.commitment = cm;
        v.committedAt = now;
        store.put(verifierKey(t.taskId, v.verifier), v);
        return emit("CommitVote", v);
    }

    /**
     * Reveals a committed vote once the commit phase closed (all drawn committed or deadline
     * passed) and before the reveal deadline.
     *
     * @throws MarketException INVALID_ARGUMENT on votes/salt or a commitment mismatch or a
     *     contributor that was not selected, NOT_FOUND, FAILED_PRECONDITION outside the reveal
     *     phase or without a commitment, PERMISSION_DENIED unless drawn, ALREADY_EXISTS
     */
    public Vote revealVote(String taskId, String votesJson, String salt) {
        String s = Args.salt(salt);
        List<Vote.Entry> votes = Commitments.parseVotes(votesJson);
        Task t = task(taskId);
        requireState(t, Task.State.VERIFYING);
        Verifier v = drawnVerifier(t);
        if (v.commitment == null) {
            throw MarketException.precondition("commitment", "the verifier did not commit");
        }
        if (v.revealedAt > 0) {
            throw MarketException.exists("vote", "the verifier revealed already");
        }
        long now = ledger.txTime();
        if (now <= t.commitDeadline && !allDrawn(t, true)) {
            throw MarketException.precondition("commitDeadline", "reveals open when every drawn verifier committed or at "
                    + t.commitDeadline + ", now " + now);
        }
        if (now > t.revealDeadline) {
            throw MarketException.precondition("revealDeadline", "reveals closed at " + t.revealDeadline + ", now " + now);
        }
        for (Vote.Entry e : votes) {
            if (!t.selectedBidders.contains(e.contributor)) {
                throw MarketException.invalid("votesJson", "'" + Args.clip(e.contributor) + "' is not a selected contributor");
            }
        }
        String expected = Commitments.commitment(t.taskId, v.verifier, votes, s);
        if (!expected.equals(v.commitment)) {
            throw MarketException.invalid("votesJson", "votes and salt do not match the commitment " + v.commitment);
        }
        v.revealedAt = now;
        store.put(verifierKey(t.taskId, v.verifier), v);
        Vote vote = new Vote();
        vote.taskId = t.taskId;
        vote.verifier = v.verifier;
        vote.votes = votes;
        vote.salt = s;
        vote.commitment = v.commitment;
        vote.revealedAt = now;
        store.put(voteKey(t.taskId, v.verifier), vote);
        return emit("RevealVote", vote);
    }

    /**
     * Tallies and settles (DESIGN.md §3.7, rules in {@code docs/ledger-api.md}).
     *
     * @throws MarketException NOT_FOUND, FAILED_PRECONDITION outside VERIFYING or before the
     *     reveal phase ended
     */
    public Settlement settle(String taskId) {
        Task t = task(taskId);
        requireState(t, Task.State.VERIFYING);
        long now = ledger.txTime();
        if (now <= t.revealDeadline && !allDrawn(t, false)) {
            throw MarketException.precondition("revealDeadline", "settle once every drawn verifier revealed or after "
                    + t.revealDeadline + ", now " + now);
        }
        Map<String, Bid> bids = new TreeMap<>();
        for (Bid b : store.range(Bid.class, BID, t.taskId)) {
            if (b.status == Bid.Status.SELECTED) {
                bids.put(b.bidder, b);
            }
        }
        Map<String, Verifier> drawn = new TreeMap<>();
        for (Verifier v : store.range(Verifier.class, VERIFIER, t.taskId)) {
            if (v.status == Verifier.Status.DRAWN) {
                drawn.put(v.verifier, v);
            }
        }
        Map<String, Map<Integer, Checkpoint>> cps = new HashMap<>();
        for (Checkpoint c : store.range(Checkpoint.class, CHECKPOINT, t.taskId)) {
            cps.computeIfAbsent(c.contributor, k -> new HashMap<>()).put(c.epoch, c);
        }
        Map<String, Vote> votes = new TreeMap<>();
        for (Vote v : store.range(Vote.class, VOTE, t.taskId)) {
            votes.put(v.verifier, v);
        }
        Map<String, Long> pay = new TreeMap<>();
        Settlement s = new Settlement();
        s.taskId = t.taskId;
        s.settledAt = now;
        s.epochsCompleted = t.epochsCompleted;
        for (Verifier v : drawn.values()) {
            (v.revealedAt > 0 ? s.revealedVerifiers : s.silentVerifiers).add(v.verifier);
        }
        long escrowLeft = t.escrow;
        if (s.revealedVerifiers.isEmpty()) {
            s.outcome = Settlement.Outcome.REFUNDED;
            for (Bid b : bids.values()) {
                ContributorResult r = new ContributorResult();
                r.contributor = b.bidder;
                r.reason = Settlement.Reason.REFUNDED;
                r.finalModelHash = finalModel(cps, b.bidder, t.epochsCompleted);
                r.stakeReturned = b.stake;
                add(pay, b.bidder, b.stake);
                b.status = Bid.Status.REFUNDED;
                store.put(bidKey(t.taskId, b.bidder), b);
                s.contributors.add(r);
            }
            for (Verifier v : drawn.values()) {
                VerifierResult r = new VerifierResult();
                r.verifier = v.verifier;
                r.stakeReturned = v.stake;
                add(pay, v.verifier, v.stake);
                v.status = Verifier.Status.REFUNDED;
                store.put(verifierKey(t.taskId, v.verifier), v);
                s.verifiers.add(r);
            }
            s.initiatorRefund = escrowLeft;
        } else {
            s.outcome = Settlement.Outcome.SETTLED;
            int revealed = s.revealedVerifiers.size();
            List<ContributorResult> accepted = new ArrayList<>();
            for (Bid b : bids.values()) {
                ContributorResult r = new ContributorResult();
                r.contributor = b.bidder;
                r.finalModelHash = finalModel(cps, b.bidder, t.epochsCompleted);
                Map<Integer, Checkpoint> mine = cps.getOrDefault(b.bidder, Map.of());
                for (int e = 1; e <= t.epochsCompleted; e++) {
                    Checkpoint c = mine.get(e);
                    if (c == null || c.late) {
                        r.lateEpochs++;
                    }
                }
                for (String vid : s.revealedVerifiers) {
                    Vote vote = votes.get(vid);
                    if (vote == null) {
                        continue;
                    }
                    for (Vote.Entry e : vote.votes) {
                        if (e.contributor.equals(b.bidder) && e.fitnessBps >= t.spec.mafrBps
                                && e.contributionBps >= t.spec.minContributionBps) {
                            r.positiveVotes++;
                        }
                    }
                }
                Reputation rep = reputation(b.bidder);
                if (r.finalModelHash == null) {
                    r.reason = Settlement.Reason.NO_FINAL_MODEL;
                } else if (r.positiveVotes * 2 > revealed) {
                    r.reason = Settlement.Reason.ACCEPTED;
                    r.accepted = true;
                } else {
                    r.reason = Settlement.Reason.REJECTED_BY_VOTE;
                }
                if (r.accepted) {
                    long base = Math.multiplyExact(b.maxEarnings, (long) t.epochsCompleted) / t.spec.maxEpochs;
                    long rate = Math.min(10_000L, (long) t.spec.latePenaltyBps * r.lateEpochs);
                    // floor(base * rate / 10000) without overflow (base <= 10^15, rate <= 10^4)
                    long penalty = base / 10_000L * rate + base % 10_000L * rate / 10_000L;
                    r.payment = base - penalty;
                    r.stakeReturned = b.stake;
                    escrowLeft -= r.payment;
                    add(pay, b.bidder, Math.addExact(r.payment, b.stake));
                    b.status = Bid.Status.ACCEPTED;
                    rep.accepted++;
                    accepted.add(r);
                    s.accessGrants.add(new Settlement.AccessGrant(b.bidder, r.finalModelHash));
                } else {
                    r.slashed = b.stake;
                    s.slashPool = Math.addExact(s.slashPool, b.stake);
                    b.status = Bid.Status.REJECTED;
                    rep.strikes++;
                    rep.slashed++;
                }
                store.put(reputationKey(b.bidder), rep);
                store.put(bidKey(t.taskId, b.bidder), b);
                s.contributors.add(r);
            }
            for (Verifier v : drawn.values()) {
                if (v.revealedAt == 0) {
                    s.forfeitPool = Math.addExact(s.forfeitPool, v.stake);
                }
            }
            long recipients = (long) accepted.size() + revealed;
            s.slashShare = s.slashPool / recipients;
            s.forfeitShare = s.forfeitPool / revealed;
            long remainder = (s.slashPool - s.slashShare * recipients) + (s.forfeitPool - s.forfeitShare * revealed);
            for (ContributorResult r : accepted) {
                r.slashShare = s.slashShare;
                add(pay, r.contributor, s.slashShare);
            }
            for (Verifier v : drawn.values()) {
                VerifierResult r = new VerifierResult();
                r.verifier = v.verifier;
                Reputation rep = reputation(v.verifier);
                if (v.revealedAt > 0) {
                    r.revealed = true;
                    r.feePaid = t.spec.verifierFee;
                    r.stakeReturned = v.stake;
                    r.slashShare = s.slashShare;
                    r.forfeitShare = s.forfeitShare;
                    escrowLeft -= r.feePaid;
                    add(pay, v.verifier, Math.addExact(Math.addExact(r.feePaid, r.stakeReturned),
                            Math.addExact(r.slashShare, r.forfeitShare)));
                    v.status = Verifier.Status.PAID;
                } else {
                    r.stakeForfeited = v.stake;
                    v.status = Verifier.Status.FORFEITED;
                    rep.forfeits++;
                    store.put(reputationKey(v.verifier), rep);
                }
                store.put(verifierKey(t.taskId, v.verifier), v);
                s.verifiers.add(r);
            }
            s.initiatorRefund = Math.addExact(escrowLeft, remainder);
        }
        if (escrowLeft < 0) {
            throw new IllegalStateException("escrow of task " + t.taskId + " would go negative");
        }
        add(pay, t.initiator, s.initiatorRefund);
        for (Map.Entry<String, Long> p : pay.entrySet()) {
            if (p.getValue() > 0) {
                credit(p.getKey(), p.getValue());
            }
        }
        t.escrow = 0;
        t.state = Task.State.SETTLED;
        t.updatedAt = now;
        store.put(taskKey(t.taskId), t);
        store.put(settlementKey(t.taskId), s);
        return emit("Settle", s);
    }

    // ------------------------------------------------------------------ queries

    /** @throws MarketException NOT_FOUND, INVALID_ARGUMENT on the id */
    public Task getTask(String taskId) {
        return task(taskId);
    }

    /** @return tasks sorted by id, all when {@code state} is empty; INVALID_ARGUMENT on an unknown state */
    public List<Task> listTasks(String state) {
        Task.State want = null;
        if (state != null && !state.isEmpty()) {
            try {
                want = Task.State.valueOf(state);
            } catch (IllegalArgumentException e) {
                throw MarketException.invalid("state", "must be empty or one of BIDDING, TRAINING, VERIFYING, SETTLED, CANCELLED");
            }
        }
        List<Task> out = new ArrayList<>();
        for (Task t : store.range(Task.class, TASK)) {
            if (want == null || t.state == want) {
                out.add(t);
            }
        }
        out.sort(Comparator.comparing(t -> t.taskId));
        return out;
    }

    /** @return the task's bids sorted by bidder */
    public List<Bid> getBids(String taskId) {
        Task t = task(taskId);
        List<Bid> out = store.range(Bid.class, BID, t.taskId);
        out.sort(Comparator.comparing(b -> b.bidder));
        return out;
    }

    /** @return the task's verifiers sorted by account */
    public List<Verifier> getVerifiers(String taskId) {
        Task t = task(taskId);
        List<Verifier> out = store.range(Verifier.class, VERIFIER, t.taskId);
        out.sort(Comparator.comparing(v -> v.verifier));
        return out;
    }

    /** @return the task's checkpoints sorted by contributor, then epoch */
    public List<Checkpoint> getCheckpoints(String taskId) {
        Task t = task(taskId);
        List<Checkpoint> out = store.range(Checkpoint.class, CHECKPOINT, t.taskId);
        out.sort(Comparator.<Checkpoint, String>comparing(c -> c.contributor).thenComparingInt(c -> c.epoch));
        return out;
    }

    /** @return the revealed votes sorted by verifier */
    public List<Vote> getVotes(String taskId) {
        Task t = task(taskId);
        List<Vote> out = store.range(Vote.class, VOTE, t.taskId);
        out.sort(Comparator.comparing(v -> v.verifier));
        return out;
    }

    /** @throws MarketException NOT_FOUND before settlement */
    public Settlement getSettlement(String taskId) {
        Task t = task(taskId);
        Settlement s = store.get(settlementKey(t.taskId), Settlement.class);
        if (s == null) {
            throw MarketException.notFound("settlement", "task " + t.taskId + " is not settled");
        }
        return s;
    }

    /** @return the account's reputation (zeros when unknown) */
    public Reputation getReputation(String accountId) {
        return reputation(Args.accountId("accountId", accountId));
    }

    /**
     * History of one key, oldest first. {@code kind}: task, bid, verifier, checkpoint, vote, account,
     * settlement, reputation. {@code id}: a task id for task and settlement; an account id for
     * account and reputation; {@code taskId|accountId} for bid, verifier and vote (the vote's account
     * is the verifier's); {@code taskId|accountId|epoch} for checkpoint (the contributor's account,
     * epoch 1..1000 as a decimal integer). A key never written gives an empty list.
     *
     * @throws MarketException INVALID_ARGUMENT on kind (naming the allowed kinds) or id (naming the
     *                         expected format), or on a malformed task id, account id or epoch
     */
    public List<Results.HistoryEntry> getHistory(String kind, String id) {
        String key;
        switch (kind == null ? "" : kind) {
            case "task" -> key = taskKey(Args.taskId(id));
            case "settlement" -> key = settlementKey(Args.taskId(id));
            case "account" -> key = accountKey(Args.accountId("id", id));
            case "reputation" -> key = reputationKey(Args.accountId("id", id));
            case "bid", "verifier", "vote" -> {
                int bar = id == null ? -1 : id.indexOf('|');
                if (bar < 0) {
                    throw MarketException.invalid("id", "must be 'taskId|accountId' for kind " + kind);
                }
                String task = Args.taskId(id.substring(0, bar));
                String acct = Args.accountId("id", id.substring(bar + 1));
                key = switch (kind) {
                    case "bid" -> bidKey(task, acct);
                    case "verifier" -> verifierKey(task, acct);
                    default -> voteKey(task, acct);
                };
            }
            case "checkpoint" -> {
                int first = id == null ? -1 : id.indexOf('|');
                int last = id == null ? -1 : id.lastIndexOf('|');
                if (first < 0 || last == first) {
                    throw MarketException.invalid("id", "must be 'taskId|accountId|epoch' for kind checkpoint");
                }
                String task = Args.taskId(id.substring(0, first));
                String acct = Args.accountId("id", id.substring(first + 1, last));
                int epoch = (int) Args.parseLong("epoch", id.substring(last + 1), 1, MAX_HISTORY_EPOCH);
                key = checkpointKey(task, acct, epoch);
            }
            default -> throw MarketException.invalid("kind",
                    "must be one of task, bid, verifier, checkpoint, vote, account, settlement, reputation, got '"
                            + Args.clip(kind) + "'");
        }
        List<Results.HistoryEntry> out = new ArrayList<>();
        for (Ledger.HistoryRecord h : ledger.history(key)) {
            Results.HistoryEntry e = new Results.HistoryEntry();
            e.txId = h.txId();
            e.timestamp = h.timestamp();
            e.deleted = h.deleted();
            e.value = h.deleted() || h.value() == null || h.value().length == 0 ? null
                    : Json.parse("value", new String(h.value(), StandardCharsets.UTF_8), Integer.MAX_VALUE);
            out.add(e);
        }
        return out;
    }

    // ------------------------------------------------------------------ helpers

    private void cancel(Task t) {
        for (Bid b : store.range(Bid.class, BID, t.taskId)) {
            if (b.holdsStake()) {
                credit(b.bidder, b.stake);
            }
            b.status = Bid.Status.REFUNDED;
            store.put(bidKey(t.taskId, b.bidder), b);
        }
        for (Verifier v : store.range(Verifier.class, VERIFIER, t.taskId)) {
            if (v.holdsStake()) {
                credit(v.verifier, v.stake);
            }
            v.status = Verifier.Status.REFUNDED;
            store.put(verifierKey(t.taskId, v.verifier), v);
        }
        if (t.escrow > 0) {
            credit(t.initiator, t.escrow);
        }
        t.escrow = 0;
        t.state = Task.State.CANCELLED;
        t.updatedAt = ledger.txTime();
        store.put(taskKey(t.taskId), t);
    }

    private boolean allDrawn(Task t, boolean committed) {
        for (String id : t.drawnVerifiers) {
            Verifier v = store.get(verifierKey(t.taskId, id), Verifier.class);
            if (v == null || (committed ? v.commitment == null : v.revealedAt == 0)) {
                return false;
            }
        }
        return true;
    }

    private static String finalModel(Map<String, Map<Integer, Checkpoint>> cps, String who, int epoch) {
        Checkpoint c = cps.getOrDefault(who, Map.of()).get(epoch);
        return c == null ? null : c.modelHash;
    }

    private static void add(Map<String, Long> pay, String who, long amount) {
        pay.merge(who, amount, Math::addExact);
    }

    private Verifier drawnVerifier(Task t) {
        String me = ledger.caller().accountId();
        Verifier v = store.get(verifierKey(t.taskId, me), Verifier.class);
        if (v == null || v.status != Verifier.Status.DRAWN) {
            throw MarketException.denied("caller", "only drawn verifiers of task " + t.taskId + " vote");
        }
        return v;
    }

    private void requireBiddingOpen(Task t) {
        requireState(t, Task.State.BIDDING);
        long now = ledger.txTime();
        if (now > t.biddingDeadline) {
            throw MarketException.precondition("biddingDeadline", "bidding closed at " + t.biddingDeadline + ", now " + now);
        }
    }

    private static void requireState(Task t, Task.State s) {
        if (t.state != s) {
            throw MarketException.precondition("state", "task " + t.taskId + " must be " + s + ", is " + t.state);
        }
    }

    private Task task(String taskId) {
        String id = Args.taskId(taskId);
        Task t = store.get(taskKey(id), Task.class);
        if (t == null) {
            throw MarketException.notFound("taskId", "no task " + id);
        }
        return t;
    }

    private Results.Config config() {
        Results.Config cfg = store.get(configKey(), Results.Config.class);
        if (cfg == null) {
            throw MarketException.precondition("config", "the market is not initialized (call Initialize)");
        }
        return cfg;
    }

    private Account account(String id) {
        Account a = store.get(accountKey(id), Account.class);
        return a == null ? new Account(id, 0) : a;
    }

    private Reputation reputation(String id) {
        Reputation r = store.get(reputationKey(id), Reputation.class);
        return r == null ? new Reputation(id) : r;
    }

    private Account credit(String id, long amount) {
        Account a = account(id);
        a.balance = Args.add("amount", a.balance, amount);
        store.put(accountKey(id), a);
        return a;
    }

    private Account debit(String id, long amount, String field) {
        Account a = account(id);
        if (a.balance < amount) {
            throw new MarketException(ErrorCode.INSUFFICIENT_FUNDS, field, "needs " + amount + " credits, balance is " + a.balance);
        }
        if (amount == 0) {
            return a;
        }
        a.balance -= amount;
        store.put(accountKey(id), a);
        return a;
    }

    private <T> T emit(String name, T result) {
        ledger.setEvent(name, Json.bytes(result));
        return result;
    }

    private String configKey() {
        return store.key(CONFIG);
    }

    private String accountKey(String id) {
        return store.key(ACCOUNT, id);
    }

    private String reputationKey(String id) {
        return store.key(REPUTATION, id);
    }

    private String taskKey(String id) {
        return store.key(TASK, id);
    }

    private String bidKey(String task, String who) {
        return store.key(BID, task, who);
    }

    private String verifierKey(String task, String who) {
        return store.key(VERIFIER, task, who);
    }

    private String voteKey(String task, String who) {
        return store.key(VOTE, task, who);
    }

    private String settlementKey(String task) {
        return store.key(SETTLEMENT, task);
    }

    private String checkpointKey(String task, String who, int epoch) {
        return store.key(CHECKPOINT, task, who, String.format("%06d", epoch));
    }
}
