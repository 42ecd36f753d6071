package dev.fusionledger.client.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.LedgerException;
import dev.fusionledger.client.Submitted;
import dev.fusionledger.client.store.Hashes;
import dev.fusionledger.ledger.Bid;
import dev.fusionledger.ledger.Checkpoint;
import dev.fusionledger.ledger.ContributorOutcome;
import dev.fusionledger.ledger.Settlement;
import dev.fusionledger.ledger.SettlementOutcome;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskSpec;
import dev.fusionledger.ledger.TaskState;
import dev.fusionledger.ledger.Totals;
import dev.fusionledger.ledger.Vote;
import dev.fusionledger.ledger.VoteCommitment;
import dev.fusionledger.ledger.VoteEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One small real task driven through the SDK, for the fault scenarios: initiator Org1 User1,
 * contributors alice (Org1 User2, 500 points at 4 credits) and bob (Org2 User1, 500 points at 5),
 * verifiers Org1 User3 and Org2 User3 (quorum 2, fee 100, stake 50), one epoch of 300 s (the faults
 * happen in it), 15 s commit and reveal phases. {@link #verify} checks the ledger afterwards.
 */
final class MarketTask {
    static final long FEE = 100;
    static final long PAY_ALICE = 500L * 4;
    static final long PAY_BOB = 500L * 5;
    static final ObjectNode METRICS = JsonNodeFactory.instance.objectNode().put("accuracyBps", 9400);

    final FusionLedgerClient initiator;
    final FusionLedgerClient alice;
    final FusionLedgerClient bob;
    final FusionLedgerClient v1;
    final FusionLedgerClient v2;
    final List<String> txIds = new ArrayList<>();
    final Map<String, Long> before = new HashMap<>();
    final Map<FusionLedgerClient, String> accounts = new HashMap<>();
    String taskId;
    Task training;
    Totals totalsBefore;

    MarketTask(FusionLedgerClient initiator, FusionLedgerClient alice, FusionLedgerClient bob, FusionLedgerClient v1,
               FusionLedgerClient v2) {
        this.initiator = initiator;
        this.alice = alice;
        this.bob = bob;
        this.v1 = v1;
        this.v2 = v2;
    }

    List<FusionLedgerClient> parties() {
        return List.of(initiator, alice, bob, v1, v2);
    }

    /** Announce, both bids, both verifiers, resolve: the task is in TRAINING afterwards. */
    MarketTask open(String name) throws LedgerException {
        totalsBefore = initiator.totals();
        for (FusionLedgerClient c : parties()) {
            accounts.put(c, c.clientAccountId());
            before.put(c.clientAccountId(), c.balanceOf(c.clientAccountId()).balance());
        }
        TaskSpec spec = new TaskSpec(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), List.of(28, 28, 1),
                Hashes.sha256Hex(("verification data of " + name).getBytes(StandardCharsets.UTF_8)), null,
                8000, 0, 9000, 1000, 10_000, FEE, 2, 50, 1, 300, 1000, 600, 15, 15);
        Submitted<Task> t = initiator.announceTask(spec);
        taskId = t.value().taskId();
        txIds.add(taskId);
        txIds.add(alice.submitBid(taskId, 500, 4).transactionId());
        txIds.add(bob.submitBid(taskId, 500, 5).transactionId());
        txIds.add(v1.registerVerifier(taskId).transactionId());
        txIds.add(v2.registerVerifier(taskId).transactionId());
        Submitted<Task> resolved = initiator.resolveBidding(taskId);
        txIds.add(resolved.transactionId());
        training = resolved.value();
        assertThat(training.state()).isEqualTo(TaskState.TRAINING);
        return this;
    }

    /** The model hash of the contributor's checkpoint (from the account id read in {@link #open}). */
    String modelHash(FusionLedgerClient c) {
        return Hashes.sha256Hex((taskId + " final model of " + accounts.get(c)).getBytes(StandardCharsets.UTF_8));
    }

    /** The contributor's checkpoint of epoch 1. */
    Submitted<Checkpoint> checkpoint(FusionLedgerClient c) throws LedgerException {
        Submitted<Checkpoint> s = c.submitCheckpoint(taskId, 1, modelHash(c), METRICS);
        return s;
    }

    /** End the epoch, commit and reveal both votes (waiting out the phases), settle. */
    Settlement finish() throws Exception {
        Submitted<Task> verifying = initiator.endEpoch(taskId, false);
        txIds.add(verifying.transactionId());
        assertThat(verifying.value().state()).isEqualTo(TaskState.VERIFYING);
        String a = alice.clientAccountId();
        String b = bob.clientAccountId();
        List<VoteEntry> votes = List.of(new VoteEntry(a, 9100, 300, 9600), new VoteEntry(b, 9000, 200, 9500));
        String s1 = VoteCommitment.newSalt();
        String s2 = VoteCommitment.newSalt();
        txIds.add(v1.commitVote(taskId, VoteCommitment.commitment(taskId, v1.clientAccountId(), votes, s1)).transactionId());
        txIds.add(v2.commitVote(taskId, VoteCommitment.commitment(taskId, v2.clientAccountId(), votes, s2)).transactionId());
        sleepUntilAfter(verifying.value().commitDeadline());
        txIds.add(v1.revealVote(taskId, votes, s1).transactionId());
        txIds.add(v2.revealVote(taskId, votes, s2).transactionId());
        sleepUntilAfter(verifying.value().revealDeadline());
        Submitted<Settlement> settled = initiator.settle(taskId);
        txIds.add(settled.transactionId());
        return settled.value();
    }

    /**
     * The ledger after the task: settled with the expected payments, every balance changed by
     * exactly what the rules say, credits conserved, each expected record present exactly once and
     * each of {@link #txIds} committed VALID.
     *
     * @param extra further expected balance changes (credits by account id) made during the scenario
     */
    void verify(Settlement st, Map<String, Long> extra) throws LedgerException {
        String a = alice.clientAccountId();
        String b = bob.clientAccountId();
        assertThat(st.outcome()).isEqualTo(SettlementOutcome.SETTLED);
        Map<String, ContributorOutcome> byC = st.contributors().stream()
                .collect(Collectors.toMap(ContributorOutcome::contributor, x -> x));
        assertThat(byC.get(a).accepted()).isTrue();
        assertThat(byC.get(b).accepted()).isTrue();
        assertThat(byC.get(a).payment()).isEqualTo(PAY_ALICE);
        assertThat(byC.get(b).payment()).isEqualTo(PAY_BOB);
        assertThat(byC.get(a).lateEpochs()).isZero();
        assertThat(byC.get(b).lateEpochs()).isZero();

        Map<String, Long> expected = new HashMap<>();
        expected.put(initiator.clientAccountId(), -(PAY_ALICE + PAY_BOB) - 2 * FEE);
        expected.put(a, PAY_ALICE);
        expected.put(b, PAY_BOB);
        expected.put(v1.clientAccountId(), FEE);
        expected.put(v2.clientAccountId(), FEE);
        extra.forEach((k, v) -> expected.merge(k, v, Long::sum));
        for (FusionLedgerClient c : parties()) {
            String id = c.clientAccountId();
            assertThat(c.balanceOf(id).balance() - before.get(id)).as("balance change of " + id).isEqualTo(expected.get(id));
        }

        Totals after = initiator.totals();
        assertThat(after.conserved()).as("GetTotals: balances + escrow + stakes == minted, " + after).isTrue();
        assertThat(after.minted()).isEqualTo(totalsBefore.minted());

        List<Bid> bids = initiator.getBids(taskId);
        assertThat(bids).extracting(Bid::bidder).containsExactlyInAnyOrder(a, b);
        List<Checkpoint> cps = initiator.getCheckpoints(taskId);
        assertThat(cps).extracting(Checkpoint::contributor).containsExactlyInAnyOrder(a, b);
        assertThat(cps).allSatisfy(c -> assertThat(c.late()).isFalse());
        List<Vote> votes = initiator.getVotes(taskId);
        assertThat(votes).hasSize(2);
        Set<String> distinct = Set.copyOf(txIds);
        assertThat(distinct).hasSameSizeAs(txIds);
        for (String tx : txIds) {
            assertThat(initiator.transactionInfo(tx).validationCode()).as("validation code of " + tx).isEqualTo("VALID");
        }
    }

    static void sleepUntilAfter(long epochSeconds) throws InterruptedException {
        long ms = (epochSeconds + 1) * 1000 - System.currentTimeMillis() + 200;
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }
}
