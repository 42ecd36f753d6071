package dev.fusionledger.chaincode.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fusionledger.ledger.VoteCommitment;
import dev.fusionledger.ledger.VoteEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, attacks on the real network (a selection of the in-memory suite, docs/security.md):
 * role denials in each phase, a copied commitment, a changed vote and a second reveal, each
 * rejected by the endorsing peers with its code while the task's records and the credit totals stay
 * as they were; the copier is then silent and forfeits its stake at settlement. Finally the chaincode
 * JVM's log shows each rejection as one line and no stack trace (defect 7).
 */
class AttacksIT {

    @Test
    void attacksAreRejectedAndLeaveTheLedgerAsItWas() throws Exception {
        Party treasurer = Party.of("Org1", "Admin");
        Party init = Party.of("Org1", "User1");
        Party alice = Party.of("Org1", "User2");
        Party bob = Party.of("Org2", "User1");
        Party member = Party.of("Org1", "User5");
        Party admin2 = Party.of("Org2", "Admin");
        List<Party> verifiers = List.of(Party.of("Org1", "User3"), Party.of("Org2", "User3"), Party.of("Org2", "User4"));
        List<Party> all = new ArrayList<>(List.of(init, alice, bob, member));
        all.addAll(verifiers);
        MarketIT.fund(treasurer, all, 50_000);
        Path log = FabricNetwork.WORK_DIR.resolve("logs").resolve("chaincode-fusionledger.log");
        long logStart = Files.isRegularFile(log) ? Files.size(log) : -1;

        String spec = "{\"labels\":[\"0\",\"1\"],\"inputShape\":[28,28,1],\"verificationDataHash\":\"" + "c".repeat(64)
                + "\",\"mafrBps\":9000,\"minContributionBps\":0,\"requiredDataPoints\":1000,\"rewardBudget\":10000,"
                + "\"verifierFee\":100,\"verifierQuorum\":2,\"verifierStake\":50,\"maxEpochs\":1,\"epochSeconds\":60,"
                + "\"latePenaltyBps\":1000,\"biddingSeconds\":600,\"commitSeconds\":20,\"revealSeconds\":5}";
        String taskId = init.submit("AnnounceTask", spec).get("taskId").asText();
        alice.submit("SubmitBid", taskId, "600", "5");
        bob.submit("SubmitBid", taskId, "400", "6");
        for (Party v : verifiers) {
            v.submit("RegisterVerifier", taskId);
        }
        Ledger before = Ledger.of(init, taskId);
        denied(before, taskId, member, "PERMISSION_DENIED", "CancelTask", taskId);
        denied(before, taskId, admin2, "PERMISSION_DENIED", "Mint", "1");
        denied(before, taskId, init, "PERMISSION_DENIED", "SubmitBid", taskId, "10", "1");
        denied(before, taskId, alice, "PERMISSION_DENIED", "RegisterVerifier", taskId);
        denied(before, taskId, verifiers.get(0), "PERMISSION_DENIED", "SubmitBid", taskId, "10", "1");
        denied(before, taskId, member, "FAILED_PRECONDITION", "ResolveBidding", taskId);

        init.submit("ResolveBidding", taskId);
        before = Ledger.of(init, taskId);
        denied(before, taskId, member, "PERMISSION_DENIED", "SubmitCheckpoint", taskId, "1", "a".repeat(64), "{}");
        denied(before, taskId, alice, "PERMISSION_DENIED", "EndEpoch", taskId, "false");
        alice.submit("SubmitCheckpoint", taskId, "1", "a".repeat(64), "{}");
        bob.submit("SubmitCheckpoint", taskId, "1", "b".repeat(64), "{}");
        JsonNode task = init.submit("EndEpoch", taskId, "false");
        assertThat(task.get("state").asText()).isEqualTo("VERIFYING");
        List<String> drawnIds = new ArrayList<>();
        task.get("drawnVerifiers").forEach(n -> drawnIds.add(n.asText()));
        List<Party> drawn = new ArrayList<>();
        Party undrawn = null;
        for (Party v : verifiers) {
            if (drawnIds.contains(v.accountId())) {
                drawn.add(v);
            } else {
                undrawn = v;
            }
        }
        assertThat(drawn).hasSize(2);
        Party honest = drawn.get(0);
        Party copier = drawn.get(1);

        List<VoteEntry> votes = List.of(new VoteEntry(alice.accountId(), 9500, 100, 9500),
                new VoteEntry(bob.accountId(), 9400, 100, 9500));
        String salt = VoteCommitment.newSalt();
        String commitment = VoteCommitment.commitment(taskId, honest.accountId(), votes, salt);
        before = Ledger.of(init, taskId);
        denied(before, taskId, undrawn, "PERMISSION_DENIED", "CommitVote", taskId, commitment);
        denied(before, taskId, member, "PERMISSION_DENIED", "CommitVote", taskId, commitment);
        honest.submit("CommitVote", taskId, commitment);
        copier.submit("CommitVote", taskId, commitment); // copies the public commitment
        String canonical = VoteCommitment.canonicalVotes(votes);
        List<VoteEntry> changed = List.of(new VoteEntry(alice.accountId(), 100, 100, 9500),
                new VoteEntry(bob.accountId(), 9400, 100, 9500));
        before = Ledger.of(init, taskId);
        denied(before, taskId, honest, "INVALID_ARGUMENT", "RevealVote", taskId, VoteCommitment.canonicalVotes(changed), salt);
        honest.submit("RevealVote", taskId, canonical, salt);
        before = Ledger.of(init, taskId);
        denied(before, taskId, copier, "INVALID_ARGUMENT", "RevealVote", taskId, canonical, salt);
        denied(before, taskId, honest, "ALREADY_EXISTS", "RevealVote", taskId, canonical, salt);
        denied(before, taskId, member, "FAILED_PRECONDITION", "Settle", taskId);

        long revealDeadline = init.evaluate("GetTask", taskId).get("revealDeadline").asLong();
        while (System.currentTimeMillis() / 1000 <= revealDeadline + 1) {
            Thread.sleep(500);
        }
        JsonNode settlement = member.submit("Settle", taskId);
        assertThat(settlement.get("silentVerifiers").get(0).asText()).isEqualTo(copier.accountId());
        for (JsonNode c : settlement.get("contributors")) {
            assertThat(c.get("accepted").asBoolean()).as(c.toString()).isTrue();
        }

        if (logStart < 0) {
            System.out.println("AttacksIT: chaincode log " + log + " not found; log check skipped");
            return;
        }
        String segment;
        try (var in = Files.newInputStream(log)) {
            in.skipNBytes(logStart);
            segment = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> rejections = segment.lines().filter(l -> l.contains("rejected ")).toList();
        System.out.println("AttacksIT: chaincode log lines for this test's rejections:");
        rejections.forEach(l -> System.out.println("  " + l));
        assertThat(rejections).anyMatch(l -> l.contains("rejected CommitVote") && l.contains("PERMISSION_DENIED"));
        assertThat(rejections).anyMatch(l -> l.contains("rejected RevealVote") && l.contains("INVALID_ARGUMENT"));
        assertThat(segment).doesNotContain("\tat ").doesNotContain("Got the invoke request for")
                .doesNotContain("Invoke failed with error code");
    }

    /** The task's records and the credit totals, as JSON text. */
    record Ledger(String task, String bids, String verifiers, String votes, String totals) {
        static Ledger of(Party p, String taskId) throws Exception {
            return new Ledger(p.evaluate("GetTask", taskId).toString(), p.evaluate("GetBids", taskId).toString(),
                    p.evaluate("GetVerifiers", taskId).toString(), p.evaluate("GetVotes", taskId).toString(),
                    p.evaluate("GetTotals").toString());
        }
    }

    private static void denied(Ledger before, String taskId, Party who, String code, String tx, String... args)
            throws Exception {
        String msg = who.rejection(tx, args);
        assertThat(msg).as(tx + " by " + who.name).isNotNull().contains(code + ": ");
        assertThat(Ledger.of(who, taskId)).as("ledger unchanged after " + tx + " by " + who.name).isEqualTo(before);
        int detail = msg.indexOf(" | ");
        System.out.println("AttacksIT: " + tx + " by " + who.name + " -> " + (detail >= 0 ? msg.substring(detail + 3) : msg));
    }
}
