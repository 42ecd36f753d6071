package dev.fusionledger.client.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fusionledger.ledger.Bid;
import dev.fusionledger.ledger.BidStatus;
import dev.fusionledger.ledger.Checkpoint;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The auditor's independent re-check agrees with the chaincode's rule ({@link SettlementRule}) on
 * random tasks: criteria thresholds, votes (with own accuracy), missing and late checkpoints,
 * silent verifiers, and amounts up to the limits of docs/ledger-api.md.
 */
class SettlementCheckPropertiesTest {

    @Property(tries = 500)
    void recheckOfTheChaincodesSettlementFindsNoMismatch(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int contributors,
            @ForAll @IntRange(min = 0, max = 4) int drawn, @ForAll @IntRange(min = 1, max = 4) int maxEpochs,
            @ForAll @LongRange(min = 1, max = Limits.MAX_AMOUNT) long maxPrice) {
        Random r = new Random(seed);
        int epochs = 1 + r.nextInt(maxEpochs);
        TaskSpec spec = new TaskSpec(List.of("0"), List.of(1), "c".repeat(64), null, r.nextInt(10_001), r.nextInt(10_001),
                r.nextInt(10_001), Limits.MAX_DATA_POINTS, Limits.MAX_AMOUNT, r.nextInt(1000), 100, r.nextInt(1000),
                maxEpochs, 60, r.nextInt(10_001), 60, 60, 60).validate();
        List<Bid> bids = new ArrayList<>();
        List<Checkpoint> cps = new ArrayList<>();
        List<String> selected = new ArrayList<>();
        long escrow = 0;
        long budgetLeft = Limits.MAX_AMOUNT;
        for (int i = 0; i < contributors; i++) {
            String c = "Org1MSP::c" + i;
            long maxEarnings = 1 + Math.floorMod(r.nextLong(), Math.min(maxPrice, budgetLeft));
            budgetLeft -= maxEarnings - 1;
            long stake = Math.multiplyExact(maxEarnings, 1 + r.nextInt(3));
            bids.add(new Bid("t", c, 1, maxEarnings, maxEarnings, stake, 1, BidStatus.SELECTED));
            escrow += maxEarnings;
            selected.add(c);
            for (int e = 1; e <= epochs; e++) {
                if (r.nextInt(4) != 0) {
                    cps.add(new Checkpoint("t", c, e, "a".repeat(64), null, null, JsonNodeFactory.instance.objectNode(), 2, r.nextInt(3) == 0));
                }
            }
        }
        List<Verifier> verifiers = new ArrayList<>();
        List<Vote> votes = new ArrayList<>();
        List<String> drawnIds = new ArrayList<>();
        for (int i = 0; i < drawn; i++) {
            String v = "Org2MSP::v" + i;
            drawnIds.add(v);
            escrow += spec.verifierFee();
            boolean reveals = r.nextInt(3) != 0;
            List<VoteEntry> entries = new ArrayList<>();
            for (String c : selected) {
                if (r.nextInt(5) != 0) {
                    entries.add(new VoteEntry(c, r.nextInt(10_001), r.nextInt(20_001) - 10_000, r.nextInt(10_001)));
                }
            }
            String commitment = VoteCommitment.commitment("t", v, entries, "s" + i);
            verifiers.add(new Verifier("t", v, spec.verifierStake(), 1, VerifierStatus.DRAWN, commitment, 3, reveals ? 4 : 0));
            if (reveals) {
                votes.add(new Vote("t", v, entries, "s" + i, commitment, 4));
            }
        }
        Task task = new Task("t", "Org1MSP::init", spec, TaskState.VERIFYING, 1, 2, escrow, epochs, 3, epochs, selected,
                drawnIds, 4, 5, 3);
        Settlement recorded = SettlementRule.settle(task, bids, verifiers, cps, votes, 6);
        SettlementCheck.Result check = SettlementCheck.recheck(new AuditInput(task, escrow, bids, verifiers, cps, votes,
                recorded));
        assertThat(check.mismatches()).isEmpty();
        assertThat(check.escrowIn()).isEqualTo(check.escrowOut());
        assertThat(check.expected()).isEqualTo(recorded);
    }
}
