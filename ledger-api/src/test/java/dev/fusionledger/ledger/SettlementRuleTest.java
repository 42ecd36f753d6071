package dev.fusionledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The settlement rule on the chaincode's tables of cases (the reference scenario of
 * docs/ledger-api.md, the largest amounts, refunds, remainders) and on the three voted criteria.
 * Every case also checks that the payouts hand out exactly the escrow and the held stakes.
 */
class SettlementRuleTest {
    static final String ALICE = "Org1MSP::alice";
    static final String BOB = "Org2MSP::bob";
    static final String CAROL = "Org1MSP::carol";
    static final String DAVE = "Org2MSP::dave";
    static final String ERIN = "Org1MSP::erin";
    static final String FRANK = "Org2MSP::frank";
    static final String INIT = "Org1MSP::initiator";
    static final String HASH_A = "a".repeat(64);
    static final String HASH_B = "b".repeat(64);
    static final long NOW = 1_700_000_000L;

    static TaskSpec spec(long budget, long fee, int quorum, long stake, int maxEpochs, int latePenaltyBps,
                         int minContributionBps, int minOwnAccuracyBps) {
        return new TaskSpec(List.of("0", "1", "2"), List.of(28, 28, 1), "c".repeat(64), null, 9000,
                minContributionBps, minOwnAccuracyBps, 1000, budget, fee, quorum, stake, maxEpochs, 100,
                latePenaltyBps, 100, 50, 50).validate();
    }

    /** A task in VERIFYING with its records; build, then {@link #settle}. */
    static final class Case {
        final TaskSpec spec;
        final List<Bid> bids = new ArrayList<>();
        final List<Verifier> verifiers = new ArrayList<>();
        final List<Checkpoint> checkpoints = new ArrayList<>();
        final List<Vote> votes = new ArrayList<>();
        int epochsCompleted = 1;
        long escrow;

        Case(TaskSpec spec) {
            this.spec = spec;
        }

        Case bid(String who, long points, long price, BidStatus status) {
            bids.add(new Bid("t", who, points, price, points * price, points * price, NOW, status));
            if (status == BidStatus.SELECTED) {
                escrow += points * price;
            }
            return this;
        }

        Case verifier(String who, boolean revealed) {
            verifiers.add(new Verifier("t", who, spec.verifierStake(), NOW, VerifierStatus.DRAWN, HASH_A, NOW + 1,
                    revealed ? NOW + 2 : 0));
            escrow += spec.verifierFee();
            return this;
        }

        Case checkpoint(String who, int epoch, String hash, boolean late) {
            checkpoints.add(new Checkpoint("t", who, epoch, hash, null, null, JsonNodeFactory.instance.objectNode(), NOW, late));
            return this;
        }

        Case vote(String verifier, VoteEntry... entries) {
            votes.add(new Vote("t", verifier, List.of(entries), "s", HASH_A, NOW + 2));
            return this;
        }

        Settlement settle() {
            List<String> selected = bids.stream().filter(b -> b.status() == BidStatus.SELECTED).map(Bid::bidder).toList();
            List<String> drawn = verifiers.stream().map(Verifier::verifier).toList();
            Task t = new Task("t", INIT, spec, TaskState.VERIFYING, NOW, NOW + 100, escrow, epochsCompleted, NOW + 200,
                    epochsCompleted, selected, drawn, NOW + 250, NOW + 300, NOW + 200);
            Settlement s = SettlementRule.settle(t, bids, verifiers, checkpoints, votes, NOW + 400);
            long held = escrow;
            for (Bid b : bids) {
                held += b.status() == BidStatus.SELECTED ? b.stake() : 0;
            }
            for (Verifier v : verifiers) {
                held += v.stake();
            }
            long out = SettlementRule.payouts(INIT, s).values().stream().mapToLong(Long::longValue).sum();
            assertThat(out).as("payouts = escrow + held stakes").isEqualTo(held);
            return s;
        }
    }

    static VoteEntry v(String who, int fitness, int contribution) {
        return new VoteEntry(who, fitness, contribution, 10_000);
    }

    /** The reference scenario: alice on time, bob late, carol without a checkpoint, dave not selected. */
    static Case reference() {
        return new Case(spec(10_000, 100, 2, 50, 2, 1000, 0, 0))
                .bid(ALICE, 400, 5, BidStatus.SELECTED).bid(BOB, 400, 6, BidStatus.SELECTED)
                .bid(CAROL, 300, 7, BidStatus.SELECTED).bid(DAVE, 500, 20, BidStatus.NOT_SELECTED)
                .verifier(ERIN, true).verifier(FRANK, false)
                .checkpoint(ALICE, 1, HASH_A, false).checkpoint(BOB, 1, HASH_B, true)
                .vote(ERIN, v(ALICE, 9500, 100), v(BOB, 9200, 50), v(CAROL, 0, 0));
    }

    @Nested
    class ChaincodeTables {
        @Test
        void referenceScenarioPaysProRataPenalisesLateSlashesAndShares() {
            Settlement s = reference().settle();
            assertThat(s.outcome()).isEqualTo(SettlementOutcome.SETTLED);
            assertThat(s.settledAt()).isEqualTo(NOW + 400);
            assertThat(s.revealedVerifiers()).containsExactly(ERIN);
            assertThat(s.silentVerifiers()).containsExactly(FRANK);
            assertThat(s.contributors()).containsExactly(
                    new ContributorOutcome(ALICE, true, ContributorReason.ACCEPTED, HASH_A, 0, 1, 1000, 2000, 0, 700),
                    new ContributorOutcome(CAROL, false, ContributorReason.NO_FINAL_MODEL, null, 1, 0, 0, 0, 2100, 0),
                    new ContributorOutcome(BOB, true, ContributorReason.ACCEPTED, HASH_B, 1, 1, 1080, 2400, 0, 700));
            assertThat(s.verifiers()).containsExactly(
                    new VerifierOutcome(ERIN, true, 100, 50, 0, 700, 50),
                    new VerifierOutcome(FRANK, false, 0, 0, 50, 0, 0));
            assertThat(List.of(s.slashPool(), s.slashShare(), s.forfeitPool(), s.forfeitShare()))
                    .containsExactly(2100L, 700L, 50L, 50L);
            assertThat(s.initiatorRefund()).isEqualTo(6700 - 1000 - 1080 - 100);
            assertThat(s.accessGrants()).containsExactly(new AccessGrant(ALICE, HASH_A), new AccessGrant(BOB, HASH_B));
            assertThat(SettlementRule.payouts(INIT, s)).isEqualTo(Map.of(INIT, 4520L, ALICE, 3700L, BOB, 4180L,
                    ERIN, 900L));
        }

        @Test
        void aMinorityOfFitnessVotesRejectsByFitness() {
            Case c = reference();
            c.verifiers.set(1, c.verifiers.get(1).withRevealedAt(NOW + 2));
            c.vote(FRANK, v(ALICE, 9000, 0), v(BOB, 8000, 0));
            Settlement s = c.settle();
            assertThat(s.contributors()).extracting(o -> o.contributor() + "=" + o.reason() + "/" + o.positiveVotes())
                    .containsExactly(ALICE + "=ACCEPTED/2", CAROL + "=NO_FINAL_MODEL/0", BOB + "=REJECTED_BY_FITNESS/1");
            assertThat(s.forfeitPool()).isZero();
        }

        @Test
        void largestAmountsSettleWithoutOverflow() {
            long max = Limits.MAX_AMOUNT;
            Settlement s = new Case(spec(max, 0, 1, 0, 1, 9999, 0, 0))
                    .bid(ALICE, 1_000_000_000_000L, 1000, BidStatus.SELECTED).verifier(ERIN, true)
                    .checkpoint(ALICE, 1, HASH_A, true).vote(ERIN, v(ALICE, 10_000, 10_000)).settle();
            // base 10^15, one late epoch at 9999 bps: base x rate = 9.999e18 would overflow a long
            assertThat(s.contributors().get(0).payment()).isEqualTo(max - 999_900_000_000_000L);
            assertThat(s.initiatorRefund()).isEqualTo(999_900_000_000_000L);
        }

        @Test
        void noRevealRefundsEverything() {
            Case c = reference();
            c.verifiers.set(0, c.verifiers.get(0).withRevealedAt(0));
            Settlement s = c.settle();
            assertThat(s.outcome()).isEqualTo(SettlementOutcome.REFUNDED);
            assertThat(s.contributors()).extracting(ContributorOutcome::reason).containsOnly(ContributorReason.REFUNDED);
            assertThat(s.contributors()).extracting(ContributorOutcome::stakeReturned).containsExactly(2000L, 2100L, 2400L);
            assertThat(s.verifiers()).extracting(VerifierOutcome::stakeReturned).containsExactly(50L, 50L);
            assertThat(s.initiatorRefund()).isEqualTo(6700);
            assertThat(s.accessGrants()).isEmpty();
        }

        @Test
        void noVerifiersDrawnRefunds() {
            Settlement s = new Case(spec(10_000, 100, 2, 50, 2, 1000, 0, 0)).bid(ALICE, 1000, 1, BidStatus.SELECTED)
                    .checkpoint(ALICE, 1, HASH_A, false).settle();
            assertThat(s.outcome()).isEqualTo(SettlementOutcome.REFUNDED);
            assertThat(s.verifiers()).isEmpty();
            assertThat(s.initiatorRefund()).isEqualTo(1000);
        }

        @Test
        void slashRemainderGoesToTheInitiator() {
            Settlement s = new Case(spec(10_000, 0, 1, 0, 1, 1000, 0, 0))
                    .bid(ALICE, 500, 1, BidStatus.SELECTED).bid(BOB, 400, 2, BidStatus.SELECTED)
                    .bid(CAROL, 101, 7, BidStatus.SELECTED).verifier(ERIN, true)
                    .checkpoint(ALICE, 1, HASH_A, false).checkpoint(CAROL, 1, HASH_A, false)
                    .vote(ERIN, v(ALICE, 9000, 0), v(CAROL, 8999, 0)).settle();
            // slashed: bob 800 + carol 707 = 1507 over alice + erin = 753 each, 1 left for the initiator
            assertThat(s.slashPool()).isEqualTo(1507);
            assertThat(s.slashShare()).isEqualTo(753);
            assertThat(s.initiatorRefund()).isEqualTo(2007 - 500 + 1);
            assertThat(s.contributors()).extracting(ContributorOutcome::reason).containsExactly(
                    ContributorReason.ACCEPTED, ContributorReason.REJECTED_BY_FITNESS, ContributorReason.NO_FINAL_MODEL);
        }

        @Test
        void missingIntermediateCheckpointCountsAsLate() {
            Case c = new Case(spec(10_000, 0, 1, 0, 3, 2500, 0, 0)).bid(ALICE, 300, 10, BidStatus.SELECTED)
                    .verifier(ERIN, true).checkpoint(ALICE, 1, HASH_B, false).checkpoint(ALICE, 3, HASH_A, false)
                    .vote(ERIN, v(ALICE, 9000, 0));
            c.epochsCompleted = 3;
            ContributorOutcome o = c.settle().contributors().get(0);
            assertThat(o.lateEpochs()).isEqualTo(1);
            assertThat(o.finalModelHash()).isEqualTo(HASH_A);
            assertThat(o.payment()).isEqualTo(3000 - 750);
        }
    }

    @Nested
    class Criteria {
        /** alice gets one vote per verifier from erin, frank, dave (all revealed). */
        Settlement three(int minContribution, int minOwn, VoteEntry erin, VoteEntry frank, VoteEntry dave) {
            return new Case(spec(10_000, 10, 3, 5, 1, 0, minContribution, minOwn))
                    .bid(ALICE, 1000, 1, BidStatus.SELECTED).verifier(ERIN, true).verifier(FRANK, true).verifier(DAVE, true)
                    .checkpoint(ALICE, 1, HASH_A, false)
                    .vote(ERIN, erin).vote(FRANK, frank).vote(DAVE, dave).settle();
        }

        ContributorOutcome alice(Settlement s) {
            return s.contributors().get(0);
        }

        @Test
        void ownAccuracyAtTheMinimumIsAccepted() {
            Settlement s = three(100, 9000, new VoteEntry(ALICE, 9000, 100, 9000), new VoteEntry(ALICE, 9000, 100, 9000),
                    new VoteEntry(ALICE, 0, 0, 0));
            assertThat(alice(s).reason()).isEqualTo(ContributorReason.ACCEPTED);
            assertThat(alice(s).positiveVotes()).isEqualTo(2);
            assertThat(alice(s).payment()).isEqualTo(1000);
        }

        @Test
        void ownAccuracyBelowTheMinimumInAMajorityRejectsByOwnAccuracy() {
            Settlement s = three(100, 9000, new VoteEntry(ALICE, 9500, 500, 8999), new VoteEntry(ALICE, 9500, 500, 8999),
                    new VoteEntry(ALICE, 9500, 500, 9999));
            assertThat(alice(s).reason()).isEqualTo(ContributorReason.REJECTED_BY_OWN_ACCURACY);
            assertThat(alice(s).positiveVotes()).isEqualTo(1);
            assertThat(alice(s).slashed()).isEqualTo(1000);
            assertThat(s.slashShare()).isEqualTo(333);
            assertThat(s.initiatorRefund()).isEqualTo(1000 + 1);
        }

        @Test
        void contributionBelowTheMinimumRejectsByContribution() {
            Settlement s = three(100, 0, new VoteEntry(ALICE, 9500, 99, 10_000), new VoteEntry(ALICE, 9500, -5, 10_000),
                    new VoteEntry(ALICE, 9500, 100, 10_000));
            assertThat(alice(s).reason()).isEqualTo(ContributorReason.REJECTED_BY_CONTRIBUTION);
        }

        @Test
        void fitnessIsNamedFirstWhenSeveralCriteriaFail() {
            Settlement s = three(100, 9000, new VoteEntry(ALICE, 1, -1, 1), new VoteEntry(ALICE, 1, -1, 1),
                    new VoteEntry(ALICE, 9500, 100, 9500));
            assertThat(alice(s).reason()).isEqualTo(ContributorReason.REJECTED_BY_FITNESS);
        }

        @Test
        void eachCriterionWithItsOwnMajorityButNoJointMajorityRejectsByVote() {
            Settlement s = three(100, 9000, new VoteEntry(ALICE, 8000, 100, 9000), new VoteEntry(ALICE, 9000, 0, 9000),
                    new VoteEntry(ALICE, 9000, 100, 100));
            assertThat(alice(s).reason()).isEqualTo(ContributorReason.REJECTED_BY_VOTE);
            assertThat(alice(s).positiveVotes()).isZero();
        }

        @Test
        void aRevealedVoteWithoutAnEntryCountsAgainst() {
            Case c = new Case(spec(10_000, 0, 2, 0, 1, 0, 0, 0)).bid(ALICE, 500, 1, BidStatus.SELECTED)
                    .bid(BOB, 500, 1, BidStatus.SELECTED).verifier(ERIN, true).verifier(FRANK, true)
                    .checkpoint(ALICE, 1, HASH_A, false).checkpoint(BOB, 1, HASH_B, false)
                    .vote(ERIN, v(ALICE, 9000, 0), v(BOB, 9000, 0)).vote(FRANK, v(ALICE, 9000, 0));
            assertThat(c.settle().contributors()).extracting(ContributorOutcome::reason)
                    .containsExactly(ContributorReason.ACCEPTED, ContributorReason.REJECTED_BY_FITNESS);
        }
    }

    @Test
    void penaltyIsTheFloorOfBaseTimesRateWithoutOverflow() {
        assertThat(SettlementRule.penalty(1_000_000_000_000_000L, 10_000)).isEqualTo(1_000_000_000_000_000L);
        assertThat(SettlementRule.penalty(1_000_000_000_000_000L, 9_999)).isEqualTo(999_900_000_000_000L);
        assertThat(SettlementRule.penalty(1200, 1000)).isEqualTo(120);
        assertThat(SettlementRule.penalty(9_999, 3)).isEqualTo(2); // 2.9997
        assertThat(SettlementRule.penalty(0, 10_000)).isZero();
    }
}
