package dev.fusionledger.chaincode.market;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionledger.ledger.Account;
import dev.fusionledger.ledger.LedgerJson;
import dev.fusionledger.ledger.MarketException;
import dev.fusionledger.ledger.Settlement;
import dev.fusionledger.ledger.Sha256;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskState;
import dev.fusionledger.ledger.Totals;
import dev.fusionledger.ledger.VoteCommitment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Property tests over random operation sequences on several tasks: credits conserved and no
 * negative balance after every step, a rejected operation changes no byte, every task ends in a
 * terminal state when driven to the end, and identical inputs with identical tx ids give
 * identical state bytes.
 */
class MarketPropertiesTest {

    enum Kind { ANNOUNCE, BID, WITHDRAW, REGISTER, RESOLVE, CANCEL, CHECKPOINT, END_EPOCH, COMMIT, REVEAL, SETTLE, TRANSFER, WAIT }

    /** One random operation; fields are interpreted per kind. */
    record Op(Kind kind, int actor, int task, int a, int b, boolean flag, int pause) {
    }

    @Provide
    Arbitrary<Op> op() {
        return Combinators.combine(
                Arbitraries.of(Kind.values()),
                Arbitraries.integers().between(0, World.USERS.size() - 1),
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 400),
                Arbitraries.integers().between(0, 12),
                Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 30)).as(Op::new);
    }

    /** Runs {@code ops}, checking the per-step invariants; returns the world. */
    static World run(List<Op> ops, String seed) {
        World w = new World(seed).funded(5_000);
        List<String> tasks = new ArrayList<>();
        Map<String, String> committed = new HashMap<>();
        for (Op op : ops) {
            Ledger.Caller who = World.USERS.get(op.actor());
            String task = tasks.isEmpty() ? "none" : tasks.get(op.task() % tasks.size());
            byte[] before = w.ledger.snapshot();
            try {
                switch (op.kind()) {
                    case ANNOUNCE -> tasks.add(w.as(who, m -> m.announceTask(spec(op))).taskId());
                    case BID -> w.as(who, m -> m.submitBid(task, Integer.toString(op.a()), Integer.toString(op.b())));
                    case WITHDRAW -> w.as(who, m -> m.withdrawBid(task));
                    case REGISTER -> w.as(who, m -> m.registerVerifier(task));
                    case RESOLVE -> w.as(who, m -> m.resolveBidding(task));
                    case CANCEL -> w.as(who, m -> m.cancelTask(task));
                    case CHECKPOINT -> {
                        int epoch = op.flag() ? w.as(who, m -> m.getTask(task)).currentEpoch() : op.b();
                        w.as(who, m -> m.submitCheckpoint(task, Integer.toString(epoch), World.HASH_A, "{\"acc\":" + op.a() + "}"));
                    }
                    case END_EPOCH -> w.as(who, m -> m.endEpoch(task, Boolean.toString(op.flag())));
                    case COMMIT -> {
                        List<String> sel = w.as(who, m -> m.getTask(task)).selectedBidders();
                        String votes = votes(sel, op);
                        String salt = "salt" + op.a();
                        w.as(who, m -> m.commitVote(task, VoteCommitment.commitment(task, who.accountId(),
                                VoteCommitment.parseVotes(votes), salt)));
                        committed.put(task + who.accountId(), votes + "\n" + salt);
                    }
                    case REVEAL -> {
                        String[] vs = committed.getOrDefault(task + who.accountId(), "[]\nnone").split("\n");
                        String v = op.flag() ? vs[0] : "[]";
                        w.as(who, m -> m.revealVote(task, v, vs[1]));
                    }
                    case SETTLE -> w.as(who, m -> m.settle(task));
                    case TRANSFER -> w.as(who, m -> m.transfer(World.USERS.get((op.actor() + 1 + op.b() % 6) % 7).accountId(),
                            Integer.toString(op.a() - 20)));
                    case WAIT -> w.now += op.pause() * 3L;
                    default -> throw new IllegalStateException();
                }
            } catch (MarketException e) {
                assertThat(w.ledger.snapshot()).as("rejected %s left state unchanged", op).isEqualTo(before);
            }
            w.now += op.pause() % 3;
            assertInvariants(w);
        }
        return w;
    }

    static String spec(Op op) {
        int quorum = 1 + op.b() % 3;
        int epochs = 1 + op.a() % 3;
        return "{\"labels\":[\"x\"],\"inputShape\":[4],\"verificationDataHash\":\"" + "d".repeat(64)
                + "\",\"mafrBps\":" + (op.a() * 25) + ",\"minContributionBps\":" + (op.flag() ? 0 : 100)
                + (op.pause() % 2 == 0 ? "" : ",\"minOwnAccuracyBps\":" + (op.b() * 700))
                + ",\"requiredDataPoints\":" + (1 + op.a()) + ",\"rewardBudget\":" + (200 + op.a() * 5)
                + ",\"verifierFee\":" + op.b() + ",\"verifierQuorum\":" + quorum + ",\"verifierStake\":" + (op.b() * 3)
                + ",\"maxEpochs\":" + epochs + ",\"epochSeconds\":" + (1 + op.pause()) + ",\"latePenaltyBps\":" + (op.a() * 25)
                + ",\"biddingSeconds\":" + (1 + op.pause()) + ",\"commitSeconds\":" + (1 + op.b())
                + ",\"revealSeconds\":" + (1 + op.b()) + "}";
    }

    static String votes(List<String> selected, Op op) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < selected.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            int fitness = (op.a() * 31 + i * 4057) % 10_001;
            int contribution = ((op.a() + i) * 97) % 20_001 - 10_000;
            int own = (op.a() * 53 + i * 211) % 10_001;
            b.append("{\"contributor\":\"").append(selected.get(i)).append("\",\"fitnessBps\":").append(fitness)
                    .append(",\"contributionBps\":").append(contribution)
                    .append(",\"ownAccuracyBps\":").append(own).append('}');
        }
        return b.append(']').toString();
    }

    static void assertInvariants(World w) {
        Totals t = w.totals();
        assertThat(Math.addExact(Math.addExact(t.balances(), t.escrow()), t.stakes())).as("credits conserved").isEqualTo(t.minted());
        for (String a : w.ledger.values("account")) {
            assertThat(LedgerJson.read(a.getBytes(java.nio.charset.StandardCharsets.UTF_8), Account.class).balance())
                    .as("no negative balance").isNotNegative();
        }
    }

    /**
     * Drives every task to a terminal state: past the bidding deadline it is resolved; in training
     * each selected contributor submits the epoch's checkpoint unless a hash of (task, contributor,
     * epoch) says it defects, then the initiator continues or backs off (hash); in verification each
     * drawn verifier commits and reveals unless a hash says it stays silent; then it is settled.
     */
    static void driveToEnd(World w) {
        for (String json : w.ledger.values("task")) {
            Task t = LedgerJson.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), Task.class);
            Ledger.Caller init = byId(t.initiator());
            for (int guard = 0; guard < 2_000 && !terminal(w, t.taskId()); guard++) {
                Task cur = w.as(init, m -> m.getTask(t.taskId()));
                switch (cur.state()) {
                    case BIDDING -> {
                        for (Ledger.Caller u : World.USERS) {
                            int c = coin(t.taskId() + u.accountId(), 3);
                            tryTx(w, u, m -> c == 0 ? m.submitBid(t.taskId(), Long.toString(1 + cur.spec().requiredDataPoints() / 2), "1")
                                    : c == 1 ? m.registerVerifier(t.taskId()) : null);
                        }
                        w.now = Math.max(w.now, cur.biddingDeadline() + 1);
                        w.as(init, m -> m.resolveBidding(t.taskId()));
                    }
                    case TRAINING -> {
                        for (String c : cur.selectedBidders()) {
                            if (coin(t.taskId() + c + cur.currentEpoch(), 4) != 0) {
                                tryTx(w, byId(c), m -> m.submitCheckpoint(t.taskId(), Integer.toString(cur.currentEpoch()),
                                        World.HASH_B, "{}"));
                            }
                        }
                        w.now += coin(t.taskId() + "late" + cur.currentEpoch(), 2) == 0 ? 0 : cur.spec().epochSeconds() + 1;
                        w.as(init, m -> m.endEpoch(t.taskId(), Boolean.toString(coin(t.taskId() + cur.currentEpoch(), 3) != 0)));
                    }
                    case VERIFYING -> {
                        Map<String, String> salts = new HashMap<>();
                        for (String v : cur.drawnVerifiers()) {
                            if (coin(t.taskId() + v, 4) != 0) {
                                String votes = votes(cur.selectedBidders(), new Op(Kind.COMMIT, 0, 0, coin(v, 400), 0, true, 0));
                                if (tryTx(w, byId(v), m -> m.commitVote(t.taskId(), VoteCommitment.commitment(t.taskId(), v,
                                        VoteCommitment.parseVotes(votes), "s")))) {
                                    salts.put(v, votes);
                                }
                            }
                        }
                        w.now = Math.max(w.now, cur.commitDeadline() + 1);
                        for (Map.Entry<String, String> e : salts.entrySet()) {
                            tryTx(w, byId(e.getKey()), m -> m.revealVote(t.taskId(), e.getValue(), "s"));
                        }
                        w.now = Math.max(w.now, cur.revealDeadline() + 1);
                        Settlement s = w.as(init, m -> m.settle(t.taskId()));
                        net.jqwik.api.statistics.Statistics.label("outcome").collect(s.outcome());
                    }
                    default -> throw new IllegalStateException(cur.state().name());
                }
                assertInvariants(w);
            }
            assertThat(terminal(w, t.taskId())).as("task %s terminal", t.taskId()).isTrue();
        }
    }

    static boolean tryTx(World w, Ledger.Caller who, java.util.function.Function<Market, Object> body) {
        byte[] before = w.ledger.snapshot();
        try {
            w.as(who, body);
            return true;
        } catch (MarketException e) {
            assertThat(w.ledger.snapshot()).isEqualTo(before);
            return false;
        }
    }

    static int coin(String s, int sides) {
        return Math.floorMod(Sha256.hex(s).hashCode(), sides);
    }

    static Ledger.Caller byId(String accountId) {
        return World.USERS.stream().filter(u -> u.accountId().equals(accountId)).findFirst().orElseThrow();
    }

    static boolean terminal(World w, String taskId) {
        TaskState s = w.as(World.INIT, m -> m.getTask(taskId)).state();
        return s == TaskState.SETTLED || s == TaskState.CANCELLED;
    }

    @Property(tries = 1000)
    void creditsConservedAndEveryTaskTerminates(@ForAll @Size(min = 5, max = 60) List<@net.jqwik.api.From("op") Op> ops) {
        World w = run(ops, "p");
        driveToEnd(w);
        Totals t = w.totals();
        net.jqwik.api.statistics.Statistics.label("tasks").collect(w.ledger.values("task").size());
        assertThat(t.escrow()).isZero();
        assertThat(t.stakes()).isZero();
        assertThat(t.balances()).isEqualTo(t.minted());
    }

    @Property(tries = 200)
    void identicalInputsAndTxIdsGiveIdenticalStateBytes(@ForAll @Size(min = 5, max = 60) List<@net.jqwik.api.From("op") Op> ops) {
        World a = run(ops, "same");
        World b = run(ops, "same");
        assertThat(Arrays.equals(a.ledger.snapshot(), b.ledger.snapshot())).isTrue();
        assertThat(a.ledger.events()).isEqualTo(b.ledger.events());
        driveToEnd(a);
        driveToEnd(b);
        assertThat(a.ledger.snapshot()).isEqualTo(b.ledger.snapshot());
    }
}
