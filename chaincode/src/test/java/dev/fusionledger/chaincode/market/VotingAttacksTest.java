package dev.fusionledger.chaincode.market;

import static dev.fusionledger.chaincode.market.World.ALICE;
import static dev.fusionledger.chaincode.market.World.BOB;
import static dev.fusionledger.chaincode.market.World.CAROL;
import static dev.fusionledger.chaincode.market.World.INIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionledger.ledger.ErrorCode;
import dev.fusionledger.ledger.MarketException;
import dev.fusionledger.ledger.Settlement;
import dev.fusionledger.ledger.ContributorReason;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.Verifier;
import dev.fusionledger.ledger.VerifierStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, attacks on the vote (docs/security.md): commit–reveal abuse, colluding verifiers, and
 * one member with several identities. Each rejected call leaves the world state byte for byte as
 * it was ({@link World#rejects}); each collusion case compares the settlement with the one honest
 * verifiers produce.
 *
 * <p>Task: budget 10000, fee 100, stake 50, one epoch; contributors alice (400 points at 5), bob (400
 * at 6) and carol (300 at 7), all selected; alice and bob submit good models, carol a useless one
 * (the free rider); MAFR 9000.
 */
class VotingAttacksTest {
    static final List<Ledger.Caller> VERIFIERS = IntStream.rangeClosed(1, 7)
            .mapToObj(i -> World.user(i % 2 == 0 ? "Org2MSP" : "Org1MSP", "verifier" + i)).toList();

    /** A world with the task in VERIFYING, {@code registered} verifiers of which {@code k} are drawn. */
    static final class Vote {
        final World w;
        final String taskId;
        final List<Ledger.Caller> drawn = new ArrayList<>();

        Vote(String seed, int k, int registered) {
            this(new World(seed), k, registered, true);
        }

        Vote(World w, int k, int registered, boolean fund) {
            this.w = w;
            if (fund) {
                w.funded(100_000);
                for (Ledger.Caller v : VERIFIERS) {
                    w.as(ALICE, m -> m.transfer(v.accountId(), "1000"));
                }
            }
            taskId = w.as(INIT, m -> m.announceTask(World.spec(10_000, 100, k, 50, 1))).taskId();
            w.as(ALICE, m -> m.submitBid(taskId, "400", "5"));
            w.as(BOB, m -> m.submitBid(taskId, "400", "6"));
            w.as(CAROL, m -> m.submitBid(taskId, "300", "7"));
            for (Ledger.Caller v : VERIFIERS.subList(0, registered)) {
                w.as(v, m -> m.registerVerifier(taskId));
            }
            w.now += 1;
            w.as(INIT, m -> m.resolveBidding(taskId));
            w.as(ALICE, m -> m.submitCheckpoint(taskId, "1", World.HASH_A, "{}"));
            w.as(BOB, m -> m.submitCheckpoint(taskId, "1", World.HASH_B, "{}"));
            w.as(CAROL, m -> m.submitCheckpoint(taskId, "1", "c".repeat(64), "{}"));
            w.as(INIT, m -> m.endEpoch(taskId, "false"));
            for (String id : task().drawnVerifiers()) {
                drawn.add(VERIFIERS.stream().filter(v -> v.accountId().equals(id)).findFirst().orElseThrow());
            }
            assertThat(drawn).hasSize(Math.min(k, registered));
        }

        Task task() {
            return w.as(INIT, m -> m.getTask(taskId));
        }

        void commit(Ledger.Caller v, String votes, String salt) {
            w.as(v, m -> m.commitVote(taskId, w.commit(taskId, v, votes, salt)));
        }

        void reveal(Ledger.Caller v, String votes, String salt) {
            w.as(v, m -> m.revealVote(taskId, votes, salt));
        }

        /** Every drawn verifier commits and reveals; the first {@code colluders} vote {@link #COLLUDING}. */
        Settlement vote(int colluders) {
            for (int i = 0; i < drawn.size(); i++) {
                commit(drawn.get(i), i < colluders ? COLLUDING : HONEST, "s" + i);
            }
            for (int i = 0; i < drawn.size(); i++) {
                reveal(drawn.get(i), i < colluders ? COLLUDING : HONEST, "s" + i);
            }
            return w.as(INIT, m -> m.settle(taskId));
        }

        Verifier verifier(Ledger.Caller v) {
            return w.all(INIT, m -> m.getVerifiers(taskId)).stream().filter(x -> x.verifier().equals(v.accountId()))
                    .findFirst().orElseThrow();
        }
    }

    /** Honest votes: alice and bob above MAFR, carol (the free rider) far below. */
    static final String HONEST = World.votes(ALICE, 9500, 300, BOB, 9400, 200, CAROL, 1000, -500);
    /** Colluders: the free rider up, the honest contributors down. */
    static final String COLLUDING = World.votes(ALICE, 0, -10_000, BOB, 0, -10_000, CAROL, 10_000, 10_000);

    // ---- commit–reveal ------------------------------------------------------------------------------

    @Test
    void revealWithoutCommit() {
        Vote v = new Vote("no-commit", 2, 2);
        v.commit(v.drawn.get(0), HONEST, "s0");
        v.w.now += 51; // commit deadline passed: reveals open
        MarketException e = v.w.rejects(ErrorCode.FAILED_PRECONDITION, v.drawn.get(1),
                m -> m.revealVote(v.taskId, HONEST, "anything"));
        assertThat(e.field()).isEqualTo("commitment");
        v.reveal(v.drawn.get(0), HONEST, "s0");
    }

    @Test
    void revealOfAnotherVerifiersCommitment() {
        Vote v = new Vote("copy", 2, 2);
        Ledger.Caller honest = v.drawn.get(0);
        Ledger.Caller copier = v.drawn.get(1);
        v.commit(honest, HONEST, "secret");
        // the copier commits the honest verifier's public commitment as its own
        String copied = v.verifier(honest).commitment();
        v.w.as(copier, m -> m.commitVote(v.taskId, copied));
        v.reveal(honest, HONEST, "secret"); // now votes and salt are public
        MarketException e = v.w.rejects(ErrorCode.INVALID_ARGUMENT, copier, m -> m.revealVote(v.taskId, HONEST, "secret"));
        assertThat(e.field()).isEqualTo("votesJson");
        assertThat(e.getMessage()).contains("do not match the commitment");
        v.w.now = v.task().revealDeadline() + 1;
        Settlement s = v.w.as(INIT, m -> m.settle(v.taskId));
        assertThat(s.silentVerifiers()).containsExactly(copier.accountId());
        assertThat(v.verifier(copier).status()).isEqualTo(VerifierStatus.FORFEITED);
        assertThat(v.verifier(honest).status()).isEqualTo(VerifierStatus.PAID);
    }

    @Test
    void commitmentReplayedFromAnotherTask() {
        Vote first = new Vote("replay", 2, 2);
        Vote second = new Vote(first.w, 2, 2, false);
        Ledger.Caller v = first.drawn.get(0);
        assertThat(second.drawn).contains(v);
        first.commit(v, HONEST, "s");
        String commitment = first.verifier(v).commitment();
        second.w.as(v, m -> m.commitVote(second.taskId, commitment)); // same hash on the other task
        for (Ledger.Caller o : second.drawn) {
            if (!o.equals(v)) {
                second.commit(o, HONEST, "o");
            }
        }
        MarketException e = second.w.rejects(ErrorCode.INVALID_ARGUMENT, v, m -> m.revealVote(second.taskId, HONEST, "s"));
        assertThat(e.getMessage()).contains("do not match the commitment");
    }

    @Test
    void revealAfterTheDeadline() {
        Vote v = new Vote("late", 2, 2);
        v.commit(v.drawn.get(0), HONEST, "s0");
        v.commit(v.drawn.get(1), HONEST, "s1");
        v.reveal(v.drawn.get(0), HONEST, "s0");
        v.w.now = v.task().revealDeadline() + 1;
        MarketException e = v.w.rejects(ErrorCode.FAILED_PRECONDITION, v.drawn.get(1),
                m -> m.revealVote(v.taskId, HONEST, "s1"));
        assertThat(e.field()).isEqualTo("revealDeadline");
    }

    @Test
    void voteChangedBetweenCommitAndReveal() {
        Vote v = new Vote("changed", 2, 2);
        v.commit(v.drawn.get(0), HONEST, "s0");
        v.commit(v.drawn.get(1), HONEST, "s1");
        String changed = World.votes(ALICE, 9500, 300, BOB, 9400, 200, CAROL, 9900, 500);
        v.w.rejects(ErrorCode.INVALID_ARGUMENT, v.drawn.get(0), m -> m.revealVote(v.taskId, changed, "s0"));
        v.w.rejects(ErrorCode.INVALID_ARGUMENT, v.drawn.get(0), m -> m.revealVote(v.taskId, HONEST, "s1"));
        v.reveal(v.drawn.get(0), HONEST, "s0"); // the committed vote still opens
        assertThat(v.w.all(INIT, m -> m.getVotes(v.taskId))).hasSize(1);
    }

    // ---- collusion ----------------------------------------------------------------------------------

    /** The contributors' outcome (reason, payment, stake back, slashed), by contributor. */
    static Map<String, String> outcome(Settlement s) {
        Map<String, String> m = new TreeMap<>();
        s.contributors().forEach(c -> m.put(c.contributor(), c.reason() + " paid " + c.payment() + " stake back "
                + c.stakeReturned() + " slashed " + c.slashed() + " share " + c.slashShare()));
        return m;
    }

    @Test
    void aColludingMinorityChangesNothing() {
        for (int[] kc : new int[][] {{3, 1}, {5, 2}}) {
            int k = kc[0];
            int colluders = kc[1];
            Settlement honest = new Vote("minority-" + k, k, k).vote(0);
            Settlement attacked = new Vote("minority-" + k, k, k).vote(colluders);
            assertThat(outcome(attacked)).as(colluders + " of " + k).isEqualTo(outcome(honest));
            assertThat(outcome(attacked).get(CAROL.accountId())).startsWith(ContributorReason.REJECTED_BY_FITNESS.name());
            assertThat(outcome(attacked).get(ALICE.accountId())).startsWith(ContributorReason.ACCEPTED.name());
            assertThat(attacked.revealedVerifiers()).hasSize(k);
        }
    }

    @Test
    void aColludingMajorityDecidesTheLimitOfTheRule() {
        for (int[] kc : new int[][] {{3, 2}, {5, 3}}) {
            Settlement s = new Vote("majority-" + kc[0], kc[0], kc[0]).vote(kc[1]);
            Map<String, String> o = outcome(s);
            assertThat(o.get(CAROL.accountId())).startsWith(ContributorReason.ACCEPTED.name());
            assertThat(o.get(ALICE.accountId())).startsWith(ContributorReason.REJECTED_BY_FITNESS.name());
            assertThat(o.get(BOB.accountId())).startsWith(ContributorReason.REJECTED_BY_FITNESS.name());
        }
    }

    /**
     * Identities a coalition must register to hold a majority of every possible draw of k from n
     * registered verifiers: {@code n - k + floor(k/2) + 1} (all honest ones drawn still leave it a
     * majority). One fewer, and some draw gives the honest verifiers the majority.
     */
    @Test
    void identitiesNeededForACertainMajority() {
        int n = 5;
        int k = 3;
        int needed = n - k + k / 2 + 1;
        assertThat(needed).isEqualTo(4);
        List<String> all = VERIFIERS.subList(0, n).stream().map(Ledger.Caller::accountId).toList();
        int minWithNeeded = Integer.MAX_VALUE;
        int minWithOneFewer = Integer.MAX_VALUE;
        for (int seed = 0; seed < 200; seed++) {
            List<String> drawn = VerifierDraw.draw(all, k, dev.fusionledger.ledger.Sha256.hex("draw:" + seed));
            minWithNeeded = Math.min(minWithNeeded, (int) drawn.stream().filter(all.subList(0, needed)::contains).count());
            minWithOneFewer = Math.min(minWithOneFewer,
                    (int) drawn.stream().filter(all.subList(0, needed - 1)::contains).count());
        }
        assertThat(minWithNeeded).isGreaterThan(k / 2);
        assertThat(minWithOneFewer).isLessThanOrEqualTo(k / 2);
    }

    /**
     * The draw is seeded by the transaction id of the {@code EndEpoch} that starts verification, and
     * on Fabric the submitter picks that id (SHA-256 of its own nonce and certificate): an initiator
     * who colludes with 2 of 5 registered verifiers can try ids offline until both are drawn of k = 3.
     * This test shows how few tries that takes (docs/security.md, "Limits").
     */
    @Test
    void theEndEpochSubmitterCanGrindTheDraw() {
        List<String> all = VERIFIERS.subList(0, 5).stream().map(Ledger.Caller::accountId).toList();
        List<String> coalition = all.subList(0, 2);
        int tries = 0;
        List<String> drawn;
        do {
            tries++;
            drawn = VerifierDraw.draw(all, 3, dev.fusionledger.ledger.Sha256.hex("nonce:" + tries));
        } while (!drawn.containsAll(coalition) && tries < 1000);
        assertThat(drawn).containsAll(coalition);
        assertThat(tries).isLessThan(100); // P(both of 2 in 3 of 5) = 3/10 per try
    }

    // ---- several identities of one member -------------------------------------------------------------

    /**
     * One member, two identities of the same organisation: it bids with one and verifies with the
     * other. The chaincode only separates accounts (account id = MSP id + certificate identity), so
     * both calls succeed; with the same identity the second is refused (see the role matrix).
     */
    @Test
    void oneMemberBidsWithOneIdentityAndVerifiesWithAnother() {
        World w = new World("sybil").funded(100_000);
        Ledger.Caller aliceVerifier = World.user("Org1MSP", "alice-second-identity");
        w.as(ALICE, m -> m.transfer(aliceVerifier.accountId(), "1000"));
        String t = w.as(INIT, m -> m.announceTask(World.spec(10_000, 100, 1, 50, 1))).taskId();
        w.as(ALICE, m -> m.submitBid(t, "400", "5"));
        w.rejects(ErrorCode.PERMISSION_DENIED, ALICE, m -> m.registerVerifier(t));
        w.as(aliceVerifier, m -> m.registerVerifier(t));
        assertThat(w.all(INIT, m -> m.getVerifiers(t))).extracting(Verifier::verifier)
                .containsExactly(aliceVerifier.accountId());
    }
}
