package dev.fusionledger.chaincode.market;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionledger.ledger.Checkpoint;
import dev.fusionledger.ledger.ContributorOutcome;
import dev.fusionledger.ledger.ErrorCode;
import dev.fusionledger.ledger.KeyDelivery;
import dev.fusionledger.ledger.KeyDispute;
import dev.fusionledger.ledger.KeyEscrow;
import dev.fusionledger.ledger.KeyEscrowStatus;
import dev.fusionledger.ledger.Reputation;
import dev.fusionledger.ledger.Settlement;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskState;
import dev.fusionledger.ledger.Totals;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sealed artifacts' key transactions (docs/ledger-api.md, "Key delivery", "Key escrow"): who may
 * deliver to whom and when, the held payment and its release or return, the dispute; the exact
 * records written, and every refusal leaving the state byte for byte unchanged.
 */
class SealedKeysTest {
    static final String COMMIT_A = "1".repeat(64);
    static final String COMMIT_B = "2".repeat(64);
    static final String COMMIT_C = "3".repeat(64);
    static final String WRAPPED = "d3JhcHBlZA==";
    static final String CID_A = "bafybeidrsoma5eaoe2katfnfkyundbbbltwevbac6c5nf3umj5zzdz5gue";
    static final Ledger.Caller GINA = World.user("Org1MSP", "gina");

    World w;
    String taskId;
    Ledger.Caller drawn;
    Ledger.Caller undrawn;

    @BeforeEach
    void verifying() {
        w = new World("sealed").funded(100_000);
        w.as(World.TREASURER, m -> m.mint("100000"));
        w.as(World.TREASURER, m -> m.transfer(GINA.accountId(), "100000"));
        taskId = w.as(World.INIT, m -> m.announceTask(World.spec())).taskId();
        w.as(World.ALICE, m -> m.submitBid(taskId, "400", "5"));
        w.as(World.BOB, m -> m.submitBid(taskId, "400", "6"));
        w.as(World.CAROL, m -> m.submitBid(taskId, "300", "7"));
        for (Ledger.Caller v : List.of(World.ERIN, World.FRANK, GINA)) {
            w.as(v, m -> m.registerVerifier(taskId));
        }
        w.now += 10;
        w.as(World.INIT, m -> m.resolveBidding(taskId));
        w.as(World.ALICE, m -> m.submitSealedCheckpoint(taskId, "1", World.HASH_A, COMMIT_A, CID_A, "{}"));
        w.as(World.BOB, m -> m.submitSealedCheckpoint(taskId, "1", World.HASH_B, COMMIT_B, "", "{}"));
        // carol stores in clear
        w.as(World.CAROL, m -> m.submitCheckpoint(taskId, "1", "c".repeat(64), "{}"));
        w.now += 10;
        w.as(World.INIT, m -> m.endEpoch(taskId, "false"));
        Task t = w.as(World.INIT, m -> m.getTask(taskId));
        List<Ledger.Caller> vs = List.of(World.ERIN, World.FRANK, GINA);
        drawn = vs.stream().filter(v -> t.drawnVerifiers().contains(v.accountId())).findFirst().orElseThrow();
        undrawn = vs.stream().filter(v -> !t.drawnVerifiers().contains(v.accountId())).findFirst().orElseThrow();
    }

    /** Both drawn verifiers vote alice and carol in, bob out; settles. */
    Settlement settled() {
        String votes = World.votes(World.ALICE, 9500, 100, World.BOB, 5000, 100, World.CAROL, 9500, 100);
        List<String> ids = w.as(World.INIT, m -> m.getTask(taskId)).drawnVerifiers();
        for (String id : ids) {
            Ledger.Caller v = caller(id);
            w.as(v, m -> m.commitVote(taskId, w.commit(taskId, v, votes, "s-" + id.length())));
        }
        for (String id : ids) {
            Ledger.Caller v = caller(id);
            w.as(v, m -> m.revealVote(taskId, votes, "s-" + id.length()));
        }
        return w.as(World.INIT, m -> m.settle(taskId));
    }

    static Ledger.Caller caller(String id) {
        return List.of(World.ERIN, World.FRANK, GINA).stream().filter(v -> v.accountId().equals(id)).findFirst().orElseThrow();
    }

    static ContributorOutcome outcome(Settlement s, Ledger.Caller c) {
        return s.contributors().stream().filter(o -> o.contributor().equals(c.accountId())).findFirst().orElseThrow();
    }

    void invariant() {
        Totals t = w.totals();
        assertThat(Math.addExact(Math.addExact(t.balances(), t.escrow()), t.stakes())).isEqualTo(t.minted());
    }

    @Test
    void aDrawnVerifierGetsTheKeyOnceAndOnlyFromTheContributor() {
        KeyDelivery d = w.as(World.ALICE, m -> m.deliverKey(taskId, drawn.accountId(), WRAPPED));
        KeyDelivery expected = new KeyDelivery(taskId, World.ALICE.accountId(), drawn.accountId(), KeyDelivery.VERIFIER, 1,
                World.HASH_A, COMMIT_A, WRAPPED, w.now);
        assertThat(d).isEqualTo(expected);
        assertThat(w.all(drawn, m -> m.getKeyDeliveries(taskId))).containsExactly(expected);
        Checkpoint cp = w.all(drawn, m -> m.getCheckpoints(taskId)).stream()
                .filter(x -> x.contributor().equals(World.ALICE.accountId())).findFirst().orElseThrow();
        assertThat(cp.keyCommitment()).isEqualTo(COMMIT_A);
        assertThat(cp.artifactCid()).isEqualTo(CID_A);
        assertThat(w.ledger.events().get(w.ledger.events().size() - 1).name()).isEqualTo("DeliverKey");

        w.rejects(ErrorCode.ALREADY_EXISTS, World.ALICE, m -> m.deliverKey(taskId, drawn.accountId(), WRAPPED));
        w.rejects(ErrorCode.PERMISSION_DENIED, World.ALICE, m -> m.deliverKey(taskId, undrawn.accountId(), WRAPPED));
        w.rejects(ErrorCode.PERMISSION_DENIED, World.ALICE, m -> m.deliverKey(taskId, World.DAVE.accountId(), WRAPPED));
        w.rejects(ErrorCode.PERMISSION_DENIED, World.ALICE, m -> m.deliverKey(taskId, World.INIT.accountId(), WRAPPED));
        w.rejects(ErrorCode.PERMISSION_DENIED, undrawn, m -> m.deliverKey(taskId, drawn.accountId(), WRAPPED));
        w.rejects(ErrorCode.PERMISSION_DENIED, World.INIT, m -> m.deliverKey(taskId, drawn.accountId(), WRAPPED));
        w.rejects(ErrorCode.FAILED_PRECONDITION, World.CAROL, m -> m.deliverKey(taskId, drawn.accountId(), WRAPPED));
        w.rejects(ErrorCode.INVALID_ARGUMENT, World.BOB, m -> m.deliverKey(taskId, drawn.accountId(), "not base64!"));
        w.rejects(ErrorCode.INVALID_ARGUMENT, World.BOB, m -> m.deliverKey(taskId, drawn.accountId(), "A".repeat(1028)));
        w.rejects(ErrorCode.INVALID_ARGUMENT, World.BOB, m -> m.deliverKey(taskId, "nobody", WRAPPED));
        w.rejects(ErrorCode.NOT_FOUND, World.BOB, m -> m.deliverKey("no-such-task", drawn.accountId(), WRAPPED));
    }

    @Test
    void aSealedCheckpointChecksItsCommitmentAndCid() {
        World x = new World("cid").funded(100_000);
        String id = x.as(World.INIT, m -> m.announceTask(World.spec())).taskId();
        x.as(World.ALICE, m -> m.submitBid(id, "1000", "5"));
        x.now += 10;
        x.as(World.INIT, m -> m.resolveBidding(id));
        x.rejects(ErrorCode.INVALID_ARGUMENT, World.ALICE, m -> m.submitSealedCheckpoint(id, "1", World.HASH_A, "xyz", "", "{}"));
        x.rejects(ErrorCode.INVALID_ARGUMENT, World.ALICE, m -> m.submitSealedCheckpoint(id, "1", World.HASH_A, COMMIT_A,
                "not-a-cid", "{}"));
        x.rejects(ErrorCode.INVALID_ARGUMENT, World.ALICE, m -> m.submitSealedCheckpoint(id, "1", World.HASH_A, COMMIT_A,
                "b" + "a".repeat(128), "{}"));
        x.rejects(ErrorCode.PERMISSION_DENIED, World.BOB, m -> m.submitSealedCheckpoint(id, "1", World.HASH_A, COMMIT_A, "", "{}"));
        Checkpoint cp = x.as(World.ALICE, m -> m.submitSealedCheckpoint(id, "1", World.HASH_A, COMMIT_A, "", "{}"));
        assertThat(cp.artifactCid()).isNull();
        assertThat(cp.sealed()).isTrue();
        assertThat(x.ledger.events().get(x.ledger.events().size() - 1).name()).isEqualTo("SubmitSealedCheckpoint");
    }

    @Test
    void settleHoldsTheSealedPaymentUntilTheInitiatorsKeyIsOnTheLedger() {
        long aliceBefore = w.balance(World.ALICE);
        long carolBefore = w.balance(World.CAROL);
        Settlement s = settled();
        ContributorOutcome alice = outcome(s, World.ALICE);
        ContributorOutcome carol = outcome(s, World.CAROL);
        assertThat(alice.accepted()).isTrue();
        assertThat(alice.payment()).isPositive();
        // alice (sealed): stake back now, payment held; carol (clear): paid at once
        assertThat(w.balance(World.ALICE)).isEqualTo(aliceBefore + alice.stakeReturned() + alice.slashShare());
        assertThat(w.balance(World.CAROL)).isEqualTo(carolBefore + carol.payment() + carol.stakeReturned() + carol.slashShare());
        long settledAt = w.now;
        KeyEscrow held = new KeyEscrow(taskId, World.ALICE.accountId(), alice.payment(), settledAt + 50, KeyEscrowStatus.HELD, 0);
        assertThat(w.all(World.INIT, m -> m.getKeyEscrows(taskId))).containsExactly(held);
        Task t = w.as(World.INIT, m -> m.getTask(taskId));
        assertThat(t.state()).isEqualTo(TaskState.SETTLED);
        assertThat(t.escrow()).isEqualTo(alice.payment());
        invariant();

        // bob was rejected: no key for the initiator; the initiator gets nothing before its due
        w.rejects(ErrorCode.PERMISSION_DENIED, World.BOB, m -> m.deliverKey(taskId, World.INIT.accountId(), WRAPPED));
        w.rejects(ErrorCode.PERMISSION_DENIED, World.CAROL, m -> m.deliverKey(taskId, World.INIT.accountId(), WRAPPED));
        w.rejects(ErrorCode.FAILED_PRECONDITION, World.INIT, m -> m.reclaimKeyEscrow(taskId, World.ALICE.accountId()));
        w.rejects(ErrorCode.FAILED_PRECONDITION, World.INIT, m -> m.disputeKey(taskId, World.ALICE.accountId(), "no key"));

        w.now += 5;
        KeyDelivery d = w.as(World.ALICE, m -> m.deliverKey(taskId, World.INIT.accountId(), WRAPPED));
        assertThat(d.recipientRole()).isEqualTo(KeyDelivery.INITIATOR);
        assertThat(d.keyCommitment()).isEqualTo(COMMIT_A);
        assertThat(w.balance(World.ALICE)).isEqualTo(aliceBefore + alice.stakeReturned() + alice.slashShare() + alice.payment());
        assertThat(w.all(World.INIT, m -> m.getKeyEscrows(taskId)))
                .containsExactly(held.closed(KeyEscrowStatus.RELEASED, settledAt + 5));
        assertThat(w.as(World.INIT, m -> m.getTask(taskId)).escrow()).isZero();
        invariant();
        w.rejects(ErrorCode.ALREADY_EXISTS, World.ALICE, m -> m.deliverKey(taskId, World.INIT.accountId(), WRAPPED));
        w.rejects(ErrorCode.NOT_FOUND, World.INIT, m -> m.reclaimKeyEscrow(taskId, World.BOB.accountId()));
        w.rejects(ErrorCode.FAILED_PRECONDITION, World.INIT, m -> m.reclaimKeyEscrow(taskId, World.ALICE.accountId()));
        // drawn verifiers may still get their keys after settlement
        assertThat(w.as(World.BOB, m -> m.deliverKey(taskId, drawn.accountId(), WRAPPED)).recipientRole())
                .isEqualTo(KeyDelivery.VERIFIER);
    }

    @Test
    void aWithheldKeyReturnsThePaymentToTheInitiatorWithAStrike() {
        Settlement s = settled();
        long payment = outcome(s, World.ALICE).payment();
        long deadline = w.now + 50;
        long initBefore = w.balance(World.INIT);
        long aliceBefore = w.balance(World.ALICE);
        Reputation repBefore = w.as(World.INIT, m -> m.getReputation(World.ALICE.accountId()));
        w.now = deadline;
        w.rejects(ErrorCode.FAILED_PRECONDITION, World.DAVE, m -> m.reclaimKeyEscrow(taskId, World.ALICE.accountId()));
        w.now = deadline + 1;
        w.rejects(ErrorCode.FAILED_PRECONDITION, World.ALICE, m -> m.deliverKey(taskId, World.INIT.accountId(), WRAPPED));
        KeyEscrow r = w.as(World.DAVE, m -> m.reclaimKeyEscrow(taskId, World.ALICE.accountId()));
        assertThat(r).isEqualTo(new KeyEscrow(taskId, World.ALICE.accountId(), payment, deadline, KeyEscrowStatus.RETURNED,
                deadline + 1));
        assertThat(w.balance(World.INIT)).isEqualTo(initBefore + payment);
        assertThat(w.balance(World.ALICE)).isEqualTo(aliceBefore);
        Reputation repAfter = w.as(World.INIT, m -> m.getReputation(World.ALICE.accountId()));
        assertThat(repAfter).isEqualTo(new Reputation(repBefore.accountId(), repBefore.strikes() + 1, repBefore.accepted(),
                        repBefore.slashed(), repBefore.forfeits()));
        assertThat(w.as(World.INIT, m -> m.getTask(taskId)).escrow()).isZero();
        invariant();
        w.rejects(ErrorCode.FAILED_PRECONDITION, World.INIT, m -> m.reclaimKeyEscrow(taskId, World.ALICE.accountId()));
        w.rejects(ErrorCode.FAILED_PRECONDITION, World.ALICE, m -> m.deliverKey(taskId, World.INIT.accountId(), WRAPPED));
    }

    @Test
    void theInitiatorRecordsADisputeOnceAboutADeliveredKey() {
        settled();
        w.as(World.ALICE, m -> m.deliverKey(taskId, World.INIT.accountId(), WRAPPED));
        w.rejects(ErrorCode.PERMISSION_DENIED, World.ALICE, m -> m.disputeKey(taskId, World.ALICE.accountId(), "mine"));
        w.rejects(ErrorCode.INVALID_ARGUMENT, World.INIT, m -> m.disputeKey(taskId, World.ALICE.accountId(), ""));
        w.rejects(ErrorCode.INVALID_ARGUMENT, World.INIT, m -> m.disputeKey(taskId, World.ALICE.accountId(), "x".repeat(513)));
        w.rejects(ErrorCode.FAILED_PRECONDITION, World.INIT, m -> m.disputeKey(taskId, World.CAROL.accountId(), "clear"));
        KeyDispute k = w.as(World.INIT, m -> m.disputeKey(taskId, World.ALICE.accountId(), "unwrapped key does not match"));
        KeyDispute expected = new KeyDispute(taskId, World.ALICE.accountId(), World.INIT.accountId(), World.HASH_A, COMMIT_A,
                "unwrapped key does not match", w.now);
        assertThat(k).isEqualTo(expected);
        assertThat(w.all(World.DAVE, m -> m.getKeyDisputes(taskId))).containsExactly(expected);
        w.rejects(ErrorCode.ALREADY_EXISTS, World.INIT, m -> m.disputeKey(taskId, World.ALICE.accountId(), "again"));
    }

    @Test
    void aTaskInClearSettlesAsBefore() {
        World c = new World("clear").funded(100_000);
        String id = c.as(World.INIT, m -> m.announceTask(World.spec())).taskId();
        c.as(World.ALICE, m -> m.submitBid(id, "1000", "5"));
        c.as(World.ERIN, m -> m.registerVerifier(id));
        c.as(World.FRANK, m -> m.registerVerifier(id));
        c.now += 10;
        c.as(World.INIT, m -> m.resolveBidding(id));
        c.as(World.ALICE, m -> m.submitCheckpoint(id, "1", World.HASH_A, "{}"));
        c.as(World.INIT, m -> m.endEpoch(id, "false"));
        long before = c.balance(World.ALICE);
        String votes = World.votes(World.ALICE, 9500, 100);
        for (Ledger.Caller v : List.of(World.ERIN, World.FRANK)) {
            c.as(v, m -> m.commitVote(id, c.commit(id, v, votes, "salt")));
        }
        for (Ledger.Caller v : List.of(World.ERIN, World.FRANK)) {
            c.as(v, m -> m.revealVote(id, votes, "salt"));
        }
        Settlement s = c.as(World.INIT, m -> m.settle(id));
        ContributorOutcome a = s.contributors().get(0);
        assertThat(c.balance(World.ALICE)).isEqualTo(before + a.payment() + a.stakeReturned());
        assertThat(c.all(World.INIT, m -> m.getKeyEscrows(id))).isEmpty();
        assertThat(c.as(World.INIT, m -> m.getTask(id)).escrow()).isZero();
        c.rejects(ErrorCode.PERMISSION_DENIED, World.ALICE, m -> m.deliverKey(id, World.INIT.accountId(), WRAPPED));
    }
}
