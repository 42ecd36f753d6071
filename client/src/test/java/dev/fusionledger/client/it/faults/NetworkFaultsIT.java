package dev.fusionledger.client.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionledger.chaincode.it.FabricNetwork;
import dev.fusionledger.client.AlreadyExistsException;
import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.LedgerException;
import dev.fusionledger.client.Submitted;
import dev.fusionledger.ledger.Settlement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.client.Transaction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The fault suite on a private network of its own (3 Raft orderers, 2 organisations; see
 * {@link FaultNetwork}): a node is killed in the middle of a real task, the task is carried on
 * through the SDK, the node is restarted, and the ledger is checked afterwards ({@link MarketTask#verify}).
 * Each scenario prints what the users saw and the recovery times, and the table is written to
 * {@code client/target/faults-report.txt} (docs/network.md, "Faults").
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkFaultsIT {
    static final Duration RECOVERY_LIMIT = Duration.ofSeconds(120);
    FaultNetwork net;
    FusionLedgerClient treasurer;
    FusionLedgerClient initiator;
    FusionLedgerClient alice;
    FusionLedgerClient bob;
    FusionLedgerClient v1;
    FusionLedgerClient v2;
    final List<String> report = new ArrayList<>();
    final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeAll
    void start() throws Exception {
        Path jar = FabricNetwork.ROOT.resolve("chaincode/target/fusionledger-chaincode.jar");
        Assumptions.assumeTrue(Files.isRegularFile(jar), "skipped: " + jar + " not built (mvn -pl chaincode package)");
        net = new FaultNetwork(FabricNetwork.ROOT);
        net.start(jar);
        treasurer = net.client("Org1", "Admin");
        initiator = net.client("Org1", "User1");
        alice = net.client("Org1", "User2");
        bob = net.client("Org2", "User1");
        v1 = net.client("Org1", "User3");
        v2 = net.client("Org2", "User3");
        treasurer.initialize("Org1MSP");
        treasurer.mint(10_000_000);
        for (FusionLedgerClient c : List.of(initiator, alice, bob, v1, v2)) {
            treasurer.transfer(c.clientAccountId(), 1_000_000);
        }
        say("private network: 3 Raft orderers, 2 orgs, ports " + net.base + "+, work dir " + net.work);
    }

    @AfterAll
    void stop() throws Exception {
        pool.shutdownNow();
        if (!report.isEmpty()) {
            List<String> out = new ArrayList<>(List.of("fault | what the user saw | recovery", "--- | --- | ---"));
            out.addAll(report);
            Files.write(FabricNetwork.ROOT.resolve("client/target/faults-report.txt"), out);
            out.forEach(NetworkFaultsIT::say);
        }
        if (net != null) {
            net.close();
        }
    }

    MarketTask newTask(String name) throws LedgerException {
        return new MarketTask(initiator, alice, bob, v1, v2).open(name);
    }

    @Test
    @Order(1)
    void raftLeaderKilledMidTaskAndRestarted() throws Exception {
        MarketTask t = newTask("leader killed");
        int leader = awaitLeader(-1);
        String name = net.ordererName(leader);
        Future<Outcome> aliceCp = pool.submit(() -> untilDone("alice checkpoint", () -> t.checkpoint(alice)));
        Thread.sleep(30);
        long killedAt = System.nanoTime();
        net.kill(name);
        say("killed the Raft leader " + name + " with a checkpoint in flight");
        Outcome bobCp = untilDone("bob checkpoint", () -> t.checkpoint(bob));
        int newLeader = awaitLeader(leader);
        double election = secondsSince(killedAt);
        Outcome a = aliceCp.get(3, TimeUnit.MINUTES);
        assertThat(a.done).as("alice's checkpoint: " + a).isTrue();
        assertThat(bobCp.done).as("bob's checkpoint: " + bobCp).isTrue();
        t.txIds.addAll(a.txIds());
        t.txIds.addAll(bobCp.txIds());
        assertThat(newLeader).isNotEqualTo(leader);

        long restartAt = System.nanoTime();
        net.up();
        long height = net.peerHeight(1).orElseThrow();
        double catchUp = net.awaitSameHeight(height, RECOVERY_LIMIT);
        double restarted = secondsSince(restartAt);
        Settlement st = t.finish();
        t.verify(st, Map.of());
        net.awaitSameHeight(net.peerHeight(1).orElseThrow(), RECOVERY_LIMIT);
        row("Raft leader " + name + " killed mid-task, restarted later",
                a.seen() + "; " + bobCp.seen(),
                String.format("new leader %s after %.1f s; checkpoints committed %.1f s / %.1f s after the kill; restarted"
                        + " orderer at the channel height (%d) %.1f s after its restart", net.ordererName(newLeader), election,
                        a.secondsFrom(killedAt), bobCp.secondsFrom(killedAt), height, restarted));
        say("heights " + net.heights() + ", catch-up wait " + String.format("%.1f", catchUp) + " s");
    }

    @Test
    @Order(2)
    void peerKilledBetweenEndorsementAndCommitAndRestarted() throws Exception {
        MarketTask t = newTask("peer killed");
        // alice's checkpoint, endorsed by both organisations' peers through the bare Gateway
        Contract c = net.gateway("Org1", "User2").getNetwork("fusionledger").getContract("fusionledger");
        Transaction tx = c.newProposal("SubmitCheckpoint")
                .addArguments(t.taskId, "1", t.modelHash(alice), MarketTask.METRICS.toString()).build().endorse();
        String victim = net.peerName(2);
        long killedAt = System.nanoTime();
        net.kill(victim);
        say("endorsed " + tx.getTransactionId() + ", then killed " + victim + " before the commit");
        Status status = tx.submitAsync().getStatus();
        assertThat(status.isSuccessful()).as("the endorsed transaction commits through the other peer: " + status.getCode()).isTrue();
        t.txIds.add(tx.getTransactionId());
        double committed = secondsSince(killedAt);

        // while the peer is down: bob's gateway peer is the dead one; the treasurer's needs Org2's endorsement
        String bobSaw = firstError(() -> t.checkpoint(bob));
        String transferSaw = firstError(() -> treasurer.transfer(alice.clientAccountId(), 1));
        long extraToAlice = transferSaw == null ? 1 : 0;
        assertThat(bobSaw).as("bob's client names the dead peer").isNotNull().contains(Integer.toString(net.base + 201))
                .doesNotContain("\n");
        Future<Outcome> bobCp = pool.submit(() -> untilDone("bob checkpoint", () -> t.checkpoint(bob)));
        long restartAt = System.nanoTime();
        net.up();
        Outcome b = bobCp.get(3, TimeUnit.MINUTES);
        assertThat(b.done).as("bob's checkpoint after the restart: " + b).isTrue();
        t.txIds.addAll(b.txIds());
        long height = net.peerHeight(1).orElseThrow();
        double caughtUp = net.awaitSameHeight(height, RECOVERY_LIMIT);
        double sinceRestart = secondsSince(restartAt);
        Settlement st = t.finish();
        t.verify(st, extraToAlice == 0 ? Map.of() : Map.of(alice.clientAccountId(), extraToAlice));
        row("peer " + victim + " killed between endorsement and commit, restarted",
                "endorsed tx committed (" + status.getCode() + "); bob: \"" + bobSaw + "\"; Org1 transfer: "
                        + (transferSaw == null ? "committed" : "\"" + transferSaw + "\"") + "; " + b.seen(),
                String.format("endorsed tx committed %.1f s after the kill; bob's checkpoint %.1f s after the kill; peer at"
                        + " the channel height (%d) %.1f s after its restart (wait %.1f s)", committed,
                        b.secondsFrom(killedAt), height, sinceRestart, caughtUp));
    }

    @Test
    @Order(3)
    void chaincodeJvmKilledMidTaskIsRestartedBySupervisor() throws Exception {
        MarketTask t = newTask("chaincode killed");
        long jvm = net.pid("chaincode-fusionledger").orElseThrow();
        // transfers of 1 credit back to back from both verifiers, so submissions are in flight at the kill
        Transfers flight1 = new Transfers(v1, initiator.clientAccountId());
        Transfers flight2 = new Transfers(v2, initiator.clientAccountId());
        Future<?> f1 = pool.submit(flight1);
        Future<?> f2 = pool.submit(flight2);
        Future<Outcome> aliceCp = pool.submit(() -> untilDone("alice checkpoint", () -> t.checkpoint(alice)));
        Thread.sleep(1500);
        long killedAt = System.nanoTime();
        net.kill("chaincode-fusionledger");
        say("killed the chaincode JVM (pid " + jvm + ") with transfers and a checkpoint in flight");
        Outcome b = untilDone("bob checkpoint", () -> t.checkpoint(bob));
        Outcome a = aliceCp.get(3, TimeUnit.MINUTES);
        flight1.stop = true;
        flight2.stop = true;
        f1.get(2, TimeUnit.MINUTES);
        f2.get(2, TimeUnit.MINUTES);
        assertThat(a.done).as("alice: " + a).isTrue();
        assertThat(b.done).as("bob: " + b).isTrue();
        t.txIds.addAll(a.txIds());
        t.txIds.addAll(b.txIds());
        OptionalLong now = net.pid("chaincode-fusionledger");
        assertThat(now).as("the supervisor restarted the JVM").isPresent();
        assertThat(now.getAsLong()).isNotEqualTo(jvm);
        List<String> errors = new ArrayList<>(a.errors);
        errors.addAll(b.errors);
        errors.addAll(flight1.errors);
        errors.addAll(flight2.errors);
        assertThat(flight1.errors.size() + flight2.errors.size() + b.errors.size())
                .as("submissions during the outage failed").isPositive();
        assertThat(errors).allSatisfy(e -> assertThat(e).doesNotContain("\n").hasSizeLessThan(400));
        // a transfer counts when its transaction id committed VALID, whatever its caller was told
        long moved1 = flight1.committed(initiator);
        long moved2 = flight2.committed(initiator);
        Settlement st = t.finish();
        t.verify(st, Map.of(v1.clientAccountId(), -moved1, v2.clientAccountId(), -moved2,
                initiator.clientAccountId(), moved1 + moved2));
        row("chaincode JVM killed mid-task (no manual step)",
                a.seen() + "; " + b.seen() + "; transfers: " + flight1.summary() + " / " + flight2.summary(),
                String.format("supervisor restarted it (pid %d -> %d); transfers back %.1f s after the kill; checkpoints"
                        + " committed %s / %.1f s after the kill", jvm, now.getAsLong(),
                        Math.min(flight1.backAfter(killedAt), flight2.backAfter(killedAt)),
                        a.secondsFrom(killedAt) < 0 ? "before" : String.format("%.1f s", a.secondsFrom(killedAt)),
                        b.secondsFrom(killedAt)));
    }

    /** Transfers of 1 credit, back to back until {@link #stop}; each try's transaction id and error kept. */
    static final class Transfers implements Runnable {
        final FusionLedgerClient from;
        final String to;
        volatile boolean stop;
        final List<String> txIds = new ArrayList<>();
        final List<Long> okAt = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        final List<String> failedTxIds = new ArrayList<>();
        final List<Long> failedAt = new ArrayList<>();
        int ok;

        Transfers(FusionLedgerClient from, String to) {
            this.from = from;
            this.to = to;
        }

        @Override
        public void run() {
            while (!stop) {
                try {
                    Submitted<?> s = from.transfer(to, 1);
                    txIds.add(s.transactionId());
                    okAt.add(System.nanoTime());
                    ok++;
                } catch (LedgerException e) {
                    errors.add(e.getMessage());
                    failedAt.add(System.nanoTime());
                    if (e.transactionId() != null) {
                        failedTxIds.add(e.transactionId());
                    }
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }

        /** Credits moved: every transaction id of a try that committed VALID (asked of the ledger). */
        long committed(FusionLedgerClient reader) throws LedgerException {
            long n = 0;
            for (String tx : txIds) {
                assertThat(reader.transactionInfo(tx).validationCode()).isEqualTo("VALID");
                n++;
            }
            for (String tx : failedTxIds) {
                try {
                    if ("VALID".equals(reader.transactionInfo(tx).validationCode())) {
                        n++;
                    }
                } catch (dev.fusionledger.client.NotFoundException e) {
                    // never committed: the failure told the truth
                }
            }
            return n;
        }

        /** Seconds from {@code t0} to the first commit after the first failure (back in service). */
        double backAfter(long t0) {
            long firstFail = failedAt.stream().filter(t -> t > t0).findFirst().orElse(t0);
            return okAt.stream().filter(t -> t > firstFail).findFirst().map(t -> (t - t0) / 1e9).orElse(Double.NaN);
        }

        String summary() {
            return ok + " committed, " + errors.size() + " failed" + (errors.isEmpty() ? "" : " (\"" + errors.get(0) + "\")");
        }
    }

    @Test
    @Order(4)
    void raftQuorumLostDuringASubmitTheSdkResendsTheSameTransaction() throws Exception {
        MarketTask t = newTask("quorum lost");
        int leader = awaitLeader(-1);
        int follower = (leader + 1) % FaultNetwork.ORDERERS;
        long killedAt = System.nanoTime();
        net.kill(net.ordererName(leader));
        net.kill(net.ordererName(follower));
        say("killed " + net.ordererName(leader) + " (leader) and " + net.ordererName(follower) + ": no Raft quorum");
        // one SDK call each; the SDK resends the same signed transaction until the orderers are back
        Future<Outcome> aliceCp = pool.submit(() -> untilDone("alice checkpoint", () -> t.checkpoint(alice)));
        Thread.sleep(8000);
        long restartAt = System.nanoTime();
        net.up();
        Outcome a = aliceCp.get(3, TimeUnit.MINUTES);
        assertThat(a.done).as("alice: " + a).isTrue();
        assertThat(a.errors).as("the first call committed: the SDK resent its transaction, the user saw no error").isEmpty();
        t.txIds.addAll(a.txIds());
        Outcome b = untilDone("bob checkpoint", () -> t.checkpoint(bob));
        assertThat(b.done).as("bob: " + b).isTrue();
        t.txIds.addAll(b.txIds());
        long height = net.peerHeight(1).orElseThrow();
        net.awaitSameHeight(height, RECOVERY_LIMIT);
        double caughtUp = secondsSince(restartAt);
        Settlement st = t.finish();
        t.verify(st, Map.of());
        row("2 of 3 Raft orderers (leader included) killed during a submit, restarted 8 s later", a.seen(),
                String.format("the SDK call returned committed %.1f s after the kill (same transaction id %s, resent while no"
                        + " orderer accepted it); all nodes at the channel height %.1f s after the restart", a.secondsFrom(killedAt),
                        a.txIds().get(0).substring(0, 12) + "…", caughtUp));
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** The result of retrying one submission until it committed (or the recovery limit passed). */
    record Outcome(String what, boolean done, List<String> errors, long doneAt, List<String> txIdList) {
        List<String> txIds() {
            return txIdList;
        }

        double secondsFrom(long t0) {
            return (doneAt - t0) / 1e9;
        }

        String seen() {
            return what + ": " + (errors.isEmpty() ? "no error" : errors.size() + " error(s), first \"" + errors.get(0) + "\"");
        }
    }

    /**
     * Runs {@code call} until it commits, once a second, for at most {@link #RECOVERY_LIMIT}. A rule
     * rejection saying it already exists means an earlier try committed after all (counted as done).
     */
    Outcome untilDone(String what, Callable<Submitted<?>> call) throws InterruptedException {
        List<String> errors = new ArrayList<>();
        long end = System.nanoTime() + RECOVERY_LIMIT.toNanos();
        while (true) {
            try {
                Submitted<?> s = call.call();
                return new Outcome(what, true, errors, System.nanoTime(), List.of(s.transactionId()));
            } catch (AlreadyExistsException e) {
                if (errors.isEmpty()) {
                    throw new AssertionError(what + ": rejected on the first try: " + e.getMessage(), e);
                }
                errors.add(e.getMessage());
                return new Outcome(what, true, errors, System.nanoTime(), List.of());
            } catch (LedgerException e) {
                errors.add(e.getMessage());
                say(what + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            } catch (Exception e) {
                throw new AssertionError(what + ": unexpected " + e, e);
            }
            if (System.nanoTime() > end) {
                return new Outcome(what, false, errors, System.nanoTime(), List.of());
            }
            Thread.sleep(1000);
        }
    }

    /** The error message of one try of {@code call}, or {@code null} when it committed. */
    String firstError(Callable<Submitted<?>> call) {
        try {
            call.call();
            return null;
        } catch (LedgerException e) {
            say("saw: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return e.getMessage();
        } catch (Exception e) {
            throw new AssertionError("unexpected " + e, e);
        }
    }

    int awaitLeader(int not) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            int l = net.raftLeader();
            if (l >= 0 && l != not) {
                return l;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no Raft leader (other than orderer" + not + ") within 60 s; heights " + net.heights());
    }

    static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    void row(String fault, String seen, String recovery) {
        report.add(fault + " | " + seen + " | " + recovery);
        say("RESULT " + fault + ": saw " + seen + "; recovery " + recovery);
    }

    static void say(String s) {
        System.out.println("[faults] " + s);
    }
}
