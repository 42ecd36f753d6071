package dev.fusionledger.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.MarketEvent;
import dev.fusionledger.client.MarketEventStream;
import dev.fusionledger.client.NotFoundException;
import dev.fusionledger.client.Submitted;
import dev.fusionledger.client.audit.AuditEntry;
import dev.fusionledger.client.audit.Auditor;
import dev.fusionledger.client.audit.TaskAudit;
import dev.fusionledger.client.store.Hashes;
import dev.fusionledger.ledger.Bid;
import dev.fusionledger.ledger.ContributorOutcome;
import dev.fusionledger.ledger.ContributorReason;
import dev.fusionledger.ledger.Settlement;
import dev.fusionledger.ledger.SettlementOutcome;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskSpec;
import dev.fusionledger.ledger.TaskState;
import dev.fusionledger.ledger.VoteCommitment;
import dev.fusionledger.ledger.VoteEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole task on the real network through the SDK, by users of both organisations: initiator Org1
 * User1; contributors Org1 User2 (on time), Org2 User1 (late in epoch 1), Org2 User2 (never submits:
 * slashed); verifiers Org1 User3 and Org2 User3 (reveal) and Org2 User4 (silent: stake forfeited).
 * Balances, the auditor's report and a restarted event listener are checked against the rules.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientLifecycleIT {
    static final long EPOCH_SECONDS = 10;
    static final long COMMIT_SECONDS = 12;
    static final long REVEAL_SECONDS = 12;

    FusionLedgerClient treasurer;
    FusionLedgerClient initiator;
    FusionLedgerClient alice;
    FusionLedgerClient bob;
    FusionLedgerClient carol;
    FusionLedgerClient v1;
    FusionLedgerClient v2;
    FusionLedgerClient v3;
    final LedgerNetwork.Parties parties = new LedgerNetwork.Parties();

    @BeforeAll
    void connect() throws Exception {
        initiator = parties.client("Org1", "User1");
        alice = parties.client("Org1", "User2");
        bob = parties.client("Org2", "User1");
        carol = parties.client("Org2", "User2");
        v1 = parties.client("Org1", "User3");
        v2 = parties.client("Org2", "User3");
        v3 = parties.client("Org2", "User4");
        treasurer = parties.funded(1_000_000);
    }

    @AfterAll
    void close() {
        parties.close();
    }

    @Test
    void wholeTaskAcrossBothOrgsWithAuditAndRestartedListener(@TempDir Path dir) throws Exception {
        String ini = initiator.clientAccountId();
        String a = alice.clientAccountId();
        String b = bob.clientAccountId();
        String c = carol.clientAccountId();
        String w1 = v1.clientAccountId();
        String w2 = v2.clientAccountId();
        String w3 = v3.clientAccountId();
        Map<String, Long> before = new HashMap<>();
        for (String acc : List.of(ini, a, b, c, w1, w2, w3)) {
            before.put(acc, 0L);
        }
        long carolStrikes = initiator.getReputation(c).strikes();

        TaskSpec spec = new TaskSpec(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), List.of(28, 28, 1),
                Hashes.sha256Hex("verification split".getBytes(StandardCharsets.UTF_8)), null,
                8000, 0, 9000, 1500, 10_000, 100, 3, 50, 2, EPOCH_SECONDS, 1000, 600, COMMIT_SECONDS, REVEAL_SECONDS);
        List<String> ourTxs = new ArrayList<>();
        Submitted<Task> announced = initiator.announceTask(spec);
        String taskId = announced.value().taskId();
        assertThat(taskId).isEqualTo(announced.transactionId());
        ourTxs.add(taskId);

        // an event listener that is stopped mid-task and restarted later with the same checkpoint file
        Path checkpoint = dir.resolve("events.checkpoint");
        List<MarketEvent> received = new ArrayList<>();
        Listener first = new Listener(initiator.events(announced.blockNumber(), checkpoint), taskId, received);

        Submitted<Bid> bidA = alice.submitBid(taskId, 500, 4);
        Submitted<Bid> bidB = bob.submitBid(taskId, 500, 5);
        Submitted<Bid> bidC = carol.submitBid(taskId, 500, 6);
        assertThat(bidC.value().stake()).isEqualTo(500L * 6 * (1 + carolStrikes));
        ourTxs.addAll(List.of(bidA.transactionId(), bidB.transactionId(), bidC.transactionId()));
        ourTxs.add(v1.registerVerifier(taskId).transactionId());
        ourTxs.add(v2.registerVerifier(taskId).transactionId());
        ourTxs.add(v3.registerVerifier(taskId).transactionId());
        Submitted<Task> resolved = initiator.resolveBidding(taskId);
        ourTxs.add(resolved.transactionId());
        assertThat(resolved.value().state()).isEqualTo(TaskState.TRAINING);
        assertThat(resolved.value().selectedBidders()).containsExactlyInAnyOrder(a, b, c);

        var metrics = JsonNodeFactory.instance.objectNode().put("accuracyBps", 9400);
        String a1 = Hashes.sha256Hex("alice epoch 1".getBytes(StandardCharsets.UTF_8));
        ourTxs.add(alice.submitCheckpoint(taskId, 1, a1, metrics).transactionId());
        // mid-task: stop the listener (whatever it has not checkpointed is delivered again later)
        first.stop();
        LedgerNetwork.sleepUntilAfter(resolved.value().epochDeadline());
        var late = bob.submitCheckpoint(taskId, 1, Hashes.sha256Hex("bob epoch 1".getBytes(StandardCharsets.UTF_8)),
                metrics);
        assertThat(late.value().late()).isTrue();
        ourTxs.add(late.transactionId());
        ourTxs.add(initiator.endEpoch(taskId, true).transactionId());
        String a2 = Hashes.sha256Hex("alice epoch 2".getBytes(StandardCharsets.UTF_8));
        String b2 = Hashes.sha256Hex("bob epoch 2".getBytes(StandardCharsets.UTF_8));
        ourTxs.add(alice.submitCheckpoint(taskId, 2, a2, metrics).transactionId());
        ourTxs.add(bob.submitCheckpoint(taskId, 2, b2, metrics).transactionId());
        Submitted<Task> verifying = initiator.endEpoch(taskId, false);
        ourTxs.add(verifying.transactionId());
        assertThat(verifying.value().state()).isEqualTo(TaskState.VERIFYING);
        assertThat(verifying.value().drawnVerifiers()).containsExactlyInAnyOrder(w1, w2, w3);

        // own accuracy (minimum 9000): alice and bob above it, carol below (she has no final model anyway)
        List<VoteEntry> votes = List.of(new VoteEntry(a, 9100, 300, 9600), new VoteEntry(b, 8800, 150, 9000),
                new VoteEntry(c, 2000, -100, 100));
        String s1 = VoteCommitment.newSalt();
        String s2 = VoteCommitment.newSalt();
        ourTxs.add(v1.commitVote(taskId, VoteCommitment.commitment(taskId, w1, votes, s1)).transactionId());
        ourTxs.add(v2.commitVote(taskId, VoteCommitment.commitment(taskId, w2, votes, s2)).transactionId());
        // v3 stays silent: the commit phase closes at its deadline
        LedgerNetwork.sleepUntilAfter(verifying.value().commitDeadline());
        ourTxs.add(v1.revealVote(taskId, votes, s1).transactionId());
        ourTxs.add(v2.revealVote(taskId, votes, s2).transactionId());
        LedgerNetwork.sleepUntilAfter(verifying.value().revealDeadline());
        Submitted<Settlement> settled = carol.settle(taskId);
        ourTxs.add(settled.transactionId());

        // ---- the settlement, computed here from the rules of docs/ledger-api.md ----
        long payA = 500L * 4;                                  // on time, 2 of 2 epochs
        long payB = 500L * 5 - 500L * 5 * 1000 / 10_000;       // one late epoch: 10 % penalty
        long stakeC = bidC.value().stake();
        long slashShare = stakeC / 4;                          // 2 accepted + 2 revealing verifiers
        long slashRemainder = stakeC - 4 * slashShare;
        long forfeitShare = 50 / 2;                            // v3's stake to the 2 revealing verifiers
        long forfeitRemainder = 50 - 2 * forfeitShare;
        Settlement st = settled.value();
        assertThat(st.outcome()).isEqualTo(SettlementOutcome.SETTLED);
        Map<String, ContributorOutcome> byC = new HashMap<>();
        st.contributors().forEach(x -> byC.put(x.contributor(), x));
        assertThat(byC.get(a).payment()).isEqualTo(payA);
        assertThat(byC.get(b).payment()).isEqualTo(payB);
        assertThat(byC.get(b).lateEpochs()).isEqualTo(1);
        assertThat(byC.get(c).reason()).isEqualTo(ContributorReason.NO_FINAL_MODEL);
        assertThat(settled.value().contributors()).filteredOn(ContributorOutcome::accepted).hasSize(2);
        assertThat(byC.get(c).slashed()).isEqualTo(stakeC);
        assertThat(st.slashShare()).isEqualTo(slashShare);
        assertThat(st.forfeitShare()).isEqualTo(forfeitShare);
        assertThat(st.silentVerifiers()).containsExactly(w3);

        // balance changes made by this task's transactions (other tests may use the same users at the
        // same time, so the changes are read from each account's history, transaction by transaction)
        Map<String, Long> delta = new HashMap<>();
        for (String acc : before.keySet()) {
            delta.put(acc, LedgerNetwork.changeBy(initiator, acc, ourTxs));
        }
        assertThat(delta.get(a)).isEqualTo(payA + slashShare);
        assertThat(delta.get(b)).isEqualTo(payB + slashShare);
        assertThat(delta.get(c)).isEqualTo(-stakeC);
        assertThat(delta.get(w1)).isEqualTo(100 + slashShare + forfeitShare);
        assertThat(delta.get(w2)).isEqualTo(100 + slashShare + forfeitShare);
        assertThat(delta.get(w3)).isEqualTo(-50);
        assertThat(delta.get(ini)).isEqualTo(-(payA + payB) - 2 * 100 + slashRemainder + forfeitRemainder);
        assertThat(initiator.getReputation(c).strikes()).isEqualTo(carolStrikes + 1);
        assertThat(initiator.totals().conserved()).isTrue();

        // ---- the auditor's report (read by a member of the other org) ----
        try (FusionLedgerClient auditorClient = LedgerNetwork.client("Org2", "User5")) {
            TaskAudit audit = new Auditor(auditorClient).auditTask(taskId);
            assertThat(audit.mismatches()).isEmpty();
            assertThat(audit.escrowIn()).isEqualTo(audit.escrowOut());
            Map<String, Long> audited = new HashMap<>();
            audit.recorded().contributors().forEach(x -> audited.put(x.contributor(), x.payment()));
            assertThat(audited).containsExactlyInAnyOrderEntriesOf(Map.of(a, payA, b, payB, c, 0L));
            // every write to the task's keys came from one of our transactions, and the key ones are there
            assertThat(ourTxs).containsAll(audit.history().stream().map(AuditEntry::transactionId).toList());
            assertThat(audit.history()).extracting(AuditEntry::transactionId)
                    .contains(taskId, resolved.transactionId(), verifying.transactionId(), settled.transactionId());
            for (AuditEntry e : audit.history()) {
                assertThat(e.creatorMspId()).as(e.transactionId()).isIn("Org1MSP", "Org2MSP");
            }
            AuditEntry announceEntry = audit.history().get(0);
            assertThat(announceEntry.transactionId()).isEqualTo(taskId);
            assertThat(announceEntry.creatorMspId()).isEqualTo("Org1MSP");
            assertThat(audit.history()).anySatisfy(e -> assertThat(e.creatorMspId()).isEqualTo("Org2MSP"));
            Files.writeString(dir.resolve("audit.json"), Auditor.toJson(audit));

            // the same ledger data with one payment altered by one credit is flagged
            Settlement rec = audit.recorded();
            List<ContributorOutcome> altered = new ArrayList<>();
            for (ContributorOutcome x : rec.contributors()) {
                altered.add(x.contributor().equals(a) ? new ContributorOutcome(x.contributor(), x.accepted(), x.reason(),
                        x.finalModelHash(), x.lateEpochs(), x.positiveVotes(), x.payment() + 1, x.stakeReturned(),
                        x.slashed(), x.slashShare()) : x);
            }
            Settlement forged = new Settlement(rec.taskId(), rec.outcome(), rec.settledAt(), rec.epochsCompleted(),
                    rec.revealedVerifiers(), rec.silentVerifiers(), altered, rec.verifiers(), rec.slashPool(),
                    rec.slashShare(), rec.forfeitPool(), rec.forfeitShare(), rec.initiatorRefund(), rec.accessGrants());
            long escrowBefore = audit.escrowIn() - stakeC - bidA.value().stake() - bidB.value().stake() - 3 * 50;
            var check = dev.fusionledger.client.audit.SettlementCheck.recheck(new dev.fusionledger.client.audit.AuditInput(
                    auditorClient.getTask(taskId), escrowBefore, auditorClient.getBids(taskId),
                    auditorClient.getVerifiers(taskId), auditorClient.getCheckpoints(taskId),
                    auditorClient.getVotes(taskId), forged));
            assertThat(check.mismatches()).extracting(m -> m.subject() + "." + m.field())
                    .containsExactlyInAnyOrder(a + ".payment", "escrow.escrowOut");
        }

        // ---- the restarted listener: every event of the task exactly once, in order ----
        Listener second = new Listener(initiator.events(announced.blockNumber(), checkpoint), taskId, received);
        second.awaitEvent("Settle", 60);
        second.stop();
        assertThat(received).extracting(MarketEvent::transactionId).doesNotHaveDuplicates()
                .containsExactlyElementsOf(ourTxs);
        assertThat(first.count).isPositive().isLessThan(ourTxs.size());
        assertThatNoTaskAfter(taskId);
    }

    private void assertThatNoTaskAfter(String taskId) throws Exception {
        try {
            initiator.getSettlement("f".repeat(64));
        } catch (NotFoundException e) {
            assertThat(e.transactionId()).isNotBlank();
            return;
        }
        throw new AssertionError("expected NOT_FOUND for an unknown task's settlement, task " + taskId);
    }

    /** Consumes a stream on its own thread, checkpointing each event of the task after recording it. */
    static final class Listener {
        private final MarketEventStream stream;
        private final Object lock = new Object();
        private boolean stopped;
        private final CompletableFuture<Void> done;
        private final List<MarketEvent> sink;
        private final List<String> names = new ArrayList<>();
        int count;

        Listener(MarketEventStream stream, String taskId, List<MarketEvent> sink) {
            this.stream = stream;
            this.sink = sink;
            this.done = CompletableFuture.runAsync(() -> {
                try {
                    while (stream.hasNext()) {
                        synchronized (lock) {
                            if (stopped) {
                                return;
                            }
                            MarketEvent e = stream.next();
                            if (taskId.equals(e.taskId())) {
                                sink.add(e);
                                names.add(e.name());
                                count++;
                                lock.notifyAll();
                            }
                            stream.checkpoint(e);
                        }
                    }
                } catch (RuntimeException e) {
                    synchronized (lock) {
                        if (!stopped) {
                            throw e;
                        }
                    }
                }
            });
        }

        void awaitEvent(String name, long seconds) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            synchronized (lock) {
                while (!names.contains(name)) {
                    long left = end - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("no " + name + " event within " + seconds + " s; got " + names);
                    }
                    lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            }
        }

        void stop() throws Exception {
            synchronized (lock) {
                stopped = true;
            }
            stream.close();
            try {
                done.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new AssertionError("listener failed", e.getCause());
            }
        }
    }
}
