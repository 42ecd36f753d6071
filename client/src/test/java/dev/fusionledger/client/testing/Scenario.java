package dev.fusionledger.client.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.LedgerException;
import dev.fusionledger.client.store.Hashes;
import dev.fusionledger.ledger.TaskSpec;
import dev.fusionledger.ledger.VoteCommitment;
import dev.fusionledger.ledger.VoteEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A whole task driven through the SDK on an {@link InMemoryMarket}: treasurer Org1 Admin, initiator
 * Org1 User1, contributors Org1 User2 (accepted) and Org2 User1 (accepted, one late epoch) and Org2
 * User2 (never submits: slashed), verifiers Org1 User3 and Org2 User3 (both reveal) and Org2 User4
 * (silent, if drawn).
 */
public final class Scenario {
    public final InMemoryMarket market = new InMemoryMarket();
    public final FusionLedgerClient treasurer = FusionLedgerClient.over(market.as("Org1MSP", "Admin", true));
    public final FusionLedgerClient initiator = FusionLedgerClient.over(market.as("Org1MSP", "User1", false));
    public final FusionLedgerClient alice = FusionLedgerClient.over(market.as("Org1MSP", "User2", false));
    public final FusionLedgerClient bob = FusionLedgerClient.over(market.as("Org2MSP", "User1", false));
    public final FusionLedgerClient carol = FusionLedgerClient.over(market.as("Org2MSP", "User2", false));
    public final FusionLedgerClient v1 = FusionLedgerClient.over(market.as("Org1MSP", "User3", false));
    public final FusionLedgerClient v2 = FusionLedgerClient.over(market.as("Org2MSP", "User3", false));
    public String taskId;

    /** A small valid spec: budget 10000, k = 2, fee 100, stake 50, two epochs of 60 s, MAFR 8000, min own accuracy 9000. */
    public static TaskSpec spec() {
        return new TaskSpec(List.of("0", "1", "2"), List.of(28, 28, 1),
                Hashes.sha256Hex("verification data".getBytes(StandardCharsets.UTF_8)), null,
                8000, 0, 9000, 1500, 10_000, 100, 2, 50, 2, 60, 1000, 60, 60, 60);
    }

    /** Initializes the market and funds every party with {@code credits}. */
    public Scenario funded(long credits) throws LedgerException {
        treasurer.initialize("Org1MSP");
        treasurer.mint(credits * 10);
        for (FusionLedgerClient c : List.of(initiator, alice, bob, carol, v1, v2)) {
            treasurer.transfer(c.clientAccountId(), credits);
        }
        return this;
    }

    /** Runs the whole task to settlement; returns the task id. */
    public String runToSettlement() throws LedgerException {
        taskId = initiator.announceTask(spec()).value().taskId();
        alice.submitBid(taskId, 500, 4);
        bob.submitBid(taskId, 500, 5);
        carol.submitBid(taskId, 500, 6);
        v1.registerVerifier(taskId);
        v2.registerVerifier(taskId);
        initiator.resolveBidding(taskId);
        var metrics = JsonNodeFactory.instance.objectNode().put("accuracyBps", 9300);
        String h1 = Hashes.sha256Hex("alice-e1".getBytes(StandardCharsets.UTF_8));
        String h2 = Hashes.sha256Hex("bob-e1".getBytes(StandardCharsets.UTF_8));
        alice.submitCheckpoint(taskId, 1, h1, metrics);
        market.advance(61); // bob is late in epoch 1
        bob.submitCheckpoint(taskId, 1, h2, metrics);
        initiator.endEpoch(taskId, true);
        alice.submitCheckpoint(taskId, 2, Hashes.sha256Hex("alice-e2".getBytes(StandardCharsets.UTF_8)), metrics);
        bob.submitCheckpoint(taskId, 2, Hashes.sha256Hex("bob-e2".getBytes(StandardCharsets.UTF_8)), metrics);
        initiator.endEpoch(taskId, false);
        String a = alice.clientAccountId();
        String b = bob.clientAccountId();
        String c = carol.clientAccountId();
        List<VoteEntry> votes = List.of(new VoteEntry(a, 9000, 300, 9500), new VoteEntry(b, 8500, 100, 9000),
                new VoteEntry(c, 1000, -50, 0));
        voteAndSettle(taskId, votes);
        return taskId;
    }

    /**
     * Verifiers 1 and 2 commit and then reveal the same {@code votes} for {@code task}, each with a
     * fresh salt, and the initiator settles it.
     */
    public void voteAndSettle(String task, List<VoteEntry> votes) throws LedgerException {
        String s1 = VoteCommitment.newSalt();
        String s2 = VoteCommitment.newSalt();
        v1.commitVote(task, VoteCommitment.commitment(task, v1.clientAccountId(), votes, s1));
        v2.commitVote(task, VoteCommitment.commitment(task, v2.clientAccountId(), votes, s2));
        v1.revealVote(task, votes, s1);
        v2.revealVote(task, votes, s2);
        initiator.settle(task);
    }
}
