package dev.fusionledger.client.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fusionledger.ledger.Bid;
import dev.fusionledger.ledger.BidStatus;
import dev.fusionledger.ledger.Checkpoint;
import dev.fusionledger.ledger.ContributorOutcome;
import dev.fusionledger.ledger.ContributorReason;
import dev.fusionledger.ledger.Limits;
import dev.fusionledger.ledger.Settlement;
import dev.fusionledger.ledger.SettlementRule;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskSpec;
import dev.fusionledger.ledger.TaskState;
import dev.fusionledger.ledger.Verifier;
import dev.fusionledger.ledger.VerifierStatus;
import dev.fusionledger.ledger.Vote;
import dev.fusionledger.ledger.VoteCommitment;
import dev.fusionledger.ledger.VoteEntry;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The auditor's independent re-check at the overflow edges of the late penalty: the recorded
 * settlement is the chaincode's ({@link SettlementRule}), the re-check must agree without
 * overflowing, and amounts no ledger can hold are reported as a mismatch instead of wrapping.
 */
class SettlementCheckTest {
    static final String INIT = "Org1MSP::initiator";
    static final String ALICE = "Org1MSP::alice";
    static final String ERIN = "Org2MSP::erin";
    static final String HASH = "a".repeat(64);
    /** The smallest base whose product with 10000 bps no longer fits a long. */
    static final long FIRST_OVERFLOWING_BASE = Long.MAX_VALUE / 10_000 + 1;

    /** A one-contributor, one-verifier task whose contributor earns {@code points × price} in one late epoch. */
    static AuditInput settledTask(long points, long price, int latePenaltyBps, int minOwnAccuracyBps, int ownAccuracyBps) {
        long maxEarnings = Math.multiplyExact(points, price);
        TaskSpec spec = new TaskSpec(List.of("0", "1"), List.of(4), "c".repeat(64), null, 9000, 0, minOwnAccuracyBps,
                Limits.MAX_DATA_POINTS, Limits.MAX_AMOUNT, 7, 1, 3, 1, 60, latePenaltyBps, 60, 60, 60).validate();
        long escrow = maxEarnings + 7;
        Task task = new Task("t", INIT, spec, TaskState.VERIFYING, 1, 61, escrow, 1, 200, 1, List.of(ALICE),
                List.of(ERIN), 300, 400, 250);
        List<Bid> bids = List.of(new Bid("t", ALICE, points, price, maxEarnings, maxEarnings, 10, BidStatus.SELECTED));
        List<VoteEntry> entries = List.of(new VoteEntry(ALICE, 9500, 100, ownAccuracyBps));
        String commitment = VoteCommitment.commitment("t", ERIN, entries, "s");
        List<Verifier> verifiers = List.of(new Verifier("t", ERIN, 3, 20, VerifierStatus.DRAWN, commitment, 260, 310));
        List<Checkpoint> cps = List.of(new Checkpoint("t", ALICE, 1, HASH, null, null, JsonNodeFactory.instance.objectNode(), 250, true));
        List<Vote> votes = List.of(new Vote("t", ERIN, entries, "s", commitment, 310));
        Settlement recorded = SettlementRule.settle(task, bids, verifiers, cps, votes, 500);
        return new AuditInput(task, escrow, bids, verifiers, cps, votes, recorded);
    }

    @ParameterizedTest(name = "base {0} x {1} at {2} bps")
    @CsvSource({
        // the largest reward, one late epoch at the full and at 9999 bps: base x rate is ~10^19 > Long.MAX_VALUE
        "1000000000000, 1000, 10000, 0",
        "1000000000000, 1000, 9999, 100000000000",
        // around the first base whose product with 10000 overflows
        "1, 922337203685477, 10000, 0",
        "2, 461168601842739, 10000, 0",
        "2, 461168601842739, 9999, 92233720369",
        "1, 922337203685477, 1, 922244969965109"})
    void recheckAgreesWithTheChaincodeAtTheOverflowEdges(long points, long price, int rate, long payment) {
        AuditInput in = settledTask(points, price, rate, 0, 0);
        SettlementCheck.Result r = SettlementCheck.recheck(in);
        assertThat(r.mismatches()).isEmpty();
        assertThat(r.expected().contributors().get(0).payment()).isEqualTo(payment)
                .isEqualTo(in.settlement().contributors().get(0).payment());
        assertThat(r.escrowIn()).isEqualTo(r.escrowOut());
    }

    @Test
    void lateDeductionIsTheExactFloorWhereTheProductOverflows() {
        assertThat(2 * 461_168_601_842_739L).isEqualTo(FIRST_OVERFLOWING_BASE);
        for (long base : new long[] {0, 1, 9_999, 10_000, FIRST_OVERFLOWING_BASE - 1, FIRST_OVERFLOWING_BASE,
            Limits.MAX_AMOUNT - 1, Limits.MAX_AMOUNT}) {
            for (long rate : new long[] {0, 1, 1000, 9_999, 10_000}) {
                long exact = BigInteger.valueOf(base).multiply(BigInteger.valueOf(rate))
                        .divide(BigInteger.valueOf(10_000)).longValueExact();
                assertThat(SettlementCheck.lateDeduction(base, rate)).as("%d x %d", base, rate).isEqualTo(exact);
            }
        }
    }

    @Test
    void ownAccuracyBelowTheMinimumIsRecheckedAsARejection() {
        AuditInput in = settledTask(100, 10, 0, 9000, 8999);
        SettlementCheck.Result r = SettlementCheck.recheck(in);
        assertThat(r.mismatches()).isEmpty();
        ContributorOutcome alice = r.expected().contributors().get(0);
        assertThat(alice.reason()).isEqualTo(ContributorReason.REJECTED_BY_OWN_ACCURACY);
        assertThat(alice.slashed()).isEqualTo(1000);
    }

    @Test
    void aRecordedAmountBeyondALongIsAMismatchNotAWrap() {
        AuditInput in = settledTask(1_000_000_000_000L, 1000, 0, 0, 0);
        Settlement rec = in.settlement();
        List<ContributorOutcome> forged = new ArrayList<>();
        for (ContributorOutcome c : rec.contributors()) {
            forged.add(new ContributorOutcome(c.contributor(), c.accepted(), c.reason(), c.finalModelHash(), c.lateEpochs(),
                    c.positiveVotes(), Long.MAX_VALUE, c.stakeReturned(), c.slashed(), c.slashShare()));
        }
        Settlement tampered = new Settlement(rec.taskId(), rec.outcome(), rec.settledAt(), rec.epochsCompleted(),
                rec.revealedVerifiers(), rec.silentVerifiers(), forged, rec.verifiers(), rec.slashPool(), rec.slashShare(),
                rec.forfeitPool(), rec.forfeitShare(), rec.initiatorRefund(), rec.accessGrants());
        SettlementCheck.Result r = SettlementCheck.recheck(new AuditInput(in.task(), in.escrowBefore(), in.bids(),
                in.verifiers(), in.checkpoints(), in.votes(), tampered));
        assertThat(r.mismatches()).extracting(m -> m.subject() + "." + m.field())
                .contains("settlement.arithmetic");
        assertThat(r.expected()).isNull();
    }
}
