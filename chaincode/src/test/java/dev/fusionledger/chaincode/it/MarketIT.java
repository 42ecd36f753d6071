package dev.fusionledger.chaincode.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fusionledger.ledger.VoteCommitment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The full market scenario of issue 3 on the real Fabric network (both orgs' peers endorse):
 * initiator in Org1; contributors alice (Org1, on time), bob (Org2, late checkpoint) and carol
 * (Org2, never submits: slashed, stake shared); dave (Org1) bids too high and is refunded;
 * verifiers erin (Org1) and gil (Org2) reveal, frank (Org2) stays silent (stake lost); the
 * initiator backs off after epoch 1 of 2 (pro-rata pay). Then balances (the change each scenario
 * transaction made, from the accounts' ledger history: the network may be shared with other tests), reputation (strike recorded, next stake doubled), GetHistory of the task, and one
 * rejection's error code. Deadlines are a few seconds; the ledger time is this machine's clock.
 */
class MarketIT {

    private static final String HASH_A = "a".repeat(64);
    private static final String HASH_B = "b".repeat(64);

    @Test
    void fullTaskAcrossBothOrgs() throws Exception {
        Party treasurer = Party.of("Org1", "Admin");
        Party init = Party.of("Org1", "User1");
        Party alice = Party.of("Org1", "User2");
        Party dave = Party.of("Org1", "User3");
        Party erin = Party.of("Org1", "User4");
        Party bob = Party.of("Org2", "User1");
        Party carol = Party.of("Org2", "User2");
        Party frank = Party.of("Org2", "User3");
        Party gil = Party.of("Org2", "User4");
        List<Party> all = List.of(init, alice, dave, erin, bob, carol, frank, gil);
        fund(treasurer, all, 50_000);

        Party.SUBMITTED.clear();
        int logStart;
        synchronized (Party.LOG) {
            logStart = Party.LOG.size();
        }
        long carolStrikes = carol.evaluate("GetReputation", carol.accountId()).get("strikes").asLong();

        String spec = "{\"labels\":[\"0\",\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"],\"inputShape\":[28,28,1],"
                + "\"verificationDataHash\":\"" + "c".repeat(64) + "\",\"mafrBps\":9000,\"minContributionBps\":0,\"minOwnAccuracyBps\":9000,"
                + "\"requiredDataPoints\":1000,\"rewardBudget\":10000,\"verifierFee\":100,\"verifierQuorum\":3,"
                + "\"verifierStake\":50,\"maxEpochs\":2,\"epochSeconds\":8,\"latePenaltyBps\":1000,\"biddingSeconds\":600,"
                + "\"commitSeconds\":8,\"revealSeconds\":8}";
        assertThat(init.rejection("AnnounceTask", spec.replace("\"minOwnAccuracyBps\":9000", "\"minOwnAccuracyBps\":-1")))
                .contains("INVALID_ARGUMENT: minOwnAccuracyBps: must be in 0..10000, got -1");
        JsonNode task = init.submit("AnnounceTask", spec);
        assertThat(task.get("spec").get("minOwnAccuracyBps").asInt()).isEqualTo(9000);
        String taskId = task.get("taskId").asText();
        assertThat(task.get("escrow").asLong()).isEqualTo(10_300);
        assertThat(task.get("state").asText()).isEqualTo("BIDDING");

        assertThat(init.rejection("Mint", "1")).as("a client identity is no treasurer").contains("PERMISSION_DENIED: caller:");
        assertThat(Party.of("Org2", "Admin").rejection("Mint", "1"))
                .as("the other org's admin is no treasurer").contains("PERMISSION_DENIED");
        String denied = init.rejection("SubmitBid", taskId, "10", "1");
        assertThat(denied).contains("PERMISSION_DENIED: caller:");

        long sA = alice.submit("SubmitBid", taskId, "400", "5").get("stake").asLong();
        long sB = bob.submit("SubmitBid", taskId, "400", "6").get("stake").asLong();
        long sC = carol.submit("SubmitBid", taskId, "300", "7").get("stake").asLong();
        assertThat(sC).isEqualTo(2100 * (1 + carolStrikes));
        dave.submit("SubmitBid", taskId, "500", "20");
        for (Party v : List.of(erin, frank, gil)) {
            assertThat(v.submit("RegisterVerifier", taskId).get("status").asText()).isEqualTo("REGISTERED");
        }
        assertThat(erin.rejection("SubmitBid", taskId, "10", "1")).contains("PERMISSION_DENIED");

        task = init.submit("ResolveBidding", taskId);
        assertThat(task.get("state").asText()).isEqualTo("TRAINING");
        assertThat(strings(task.get("selectedBidders"))).containsExactlyInAnyOrder(alice.accountId(), bob.accountId(), carol.accountId());
        assertThat(task.get("escrow").asLong()).isEqualTo(6_500 + 300);

        JsonNode cpA = alice.submit("SubmitCheckpoint", taskId, "1", HASH_A, "{\"accuracy\":0.93}");
        assertThat(cpA.get("late").asBoolean()).isFalse();
        sleepUntilAfter(task.get("epochDeadline").asLong());
        JsonNode cpB = bob.submit("SubmitCheckpoint", taskId, "1", HASH_B, "{\"accuracy\":0.92}");
        assertThat(cpB.get("late").asBoolean()).isTrue();

        task = init.submit("EndEpoch", taskId, "false");
        assertThat(task.get("state").asText()).isEqualTo("VERIFYING");
        assertThat(task.get("epochsCompleted").asInt()).isEqualTo(1);
        assertThat(strings(task.get("drawnVerifiers"))).containsExactlyInAnyOrder(erin.accountId(), frank.accountId(), gil.accountId());

        String votesE = votes(alice.accountId(), 9500, 100, 9600, bob.accountId(), 9200, 50, 9300, carol.accountId(), 0, 0, 0);
        String votesG = votes(alice.accountId(), 9400, 80, 9700, bob.accountId(), 9100, 10, 9000);
        erin.submit("CommitVote", taskId, commitment(taskId, erin.accountId(), votesE, "salt-erin"));
        gil.submit("CommitVote", taskId, commitment(taskId, gil.accountId(), votesG, "salt-gil"));
        assertThat(erin.rejection("RevealVote", taskId, votesE, "salt-erin")).contains("FAILED_PRECONDITION");
        sleepUntilAfter(task.get("commitDeadline").asLong());
        assertThat(erin.rejection("RevealVote", taskId, votesE, "wrong")).contains("INVALID_ARGUMENT: votesJson:");
        assertThat(erin.rejection("RevealVote", taskId, votesE.replace("9600", "10001"), "salt-erin"))
                .contains("INVALID_ARGUMENT: votesJson.ownAccuracyBps: must be in 0..10000, got 10001");
        erin.submit("RevealVote", taskId, votesE, "salt-erin");
        gil.submit("RevealVote", taskId, votesG, "salt-gil");
        assertThat(dave.rejection("Settle", taskId)).contains("FAILED_PRECONDITION");
        sleepUntilAfter(task.get("revealDeadline").asLong());

        JsonNode s = dave.submit("Settle", taskId);
        java.util.Set<String> scenario = java.util.Set.copyOf(Party.SUBMITTED);
        assertThat(s.get("outcome").asText()).isEqualTo("SETTLED");
        assertThat(strings(s.get("silentVerifiers"))).containsExactly(frank.accountId());
        long share = sC / 4;
        long rem = sC % 4;
        assertThat(s.get("slashPool").asLong()).isEqualTo(sC);
        assertThat(s.get("slashShare").asLong()).isEqualTo(share);
        assertThat(s.get("forfeitShare").asLong()).isEqualTo(25);
        Map<String, JsonNode> results = new TreeMap<>();
        s.get("contributors").forEach(r -> results.put(r.get("contributor").asText(), r));
        assertThat(results.get(alice.accountId()).get("payment").asLong()).isEqualTo(1000);
        assertThat(results.get(bob.accountId()).get("payment").asLong()).isEqualTo(1080);
        assertThat(results.get(bob.accountId()).get("lateEpochs").asInt()).isEqualTo(1);
        assertThat(results.get(carol.accountId()).get("reason").asText()).isEqualTo("NO_FINAL_MODEL");

        Map<String, Long> expectedDelta = new TreeMap<>(Map.of(
                init.name, -10_300L + 3_500 + (6_800 - 1_000 - 1_080 - 200) + rem,
                alice.name, 1_000 + share,
                bob.name, 1_080 + share,
                carol.name, -sC,
                dave.name, 0L,
                erin.name, 100 + share + 25,
                gil.name, 100 + share + 25,
                frank.name, -50L));
        Map<String, Long> delta = new TreeMap<>();
        for (Party p : all) {
            delta.put(p.name, p.balanceChangeBy(scenario));
        }
        assertThat(delta).isEqualTo(expectedDelta);
        assertThat(sA).isPositive();
        assertThat(sB).isPositive();

        // the strike written by this Settle (read from the reputation key's history)
        JsonNode repHistory = carol.evaluate("GetHistory", "reputation", carol.accountId());
        long strikesBefore = 0;
        long strikesAfter = -1;
        for (JsonNode h : repHistory) {
            long st = h.get("value").get("strikes").asLong();
            if (scenario.contains(h.get("txId").asText())) {
                strikesAfter = st;
                break;
            }
            strikesBefore = st;
        }
        assertThat(strikesAfter).isEqualTo(strikesBefore + 1);
        assertThat(frank.evaluate("GetReputation", frank.accountId()).get("forfeits").asLong()).isPositive();

        JsonNode history = dave.evaluate("GetHistory", "task", taskId);
        List<String> states = new ArrayList<>();
        history.forEach(h -> states.add(h.get("value").get("state").asText()));
        assertThat(states).containsExactly("BIDDING", "TRAINING", "VERIFYING", "SETTLED");
        assertThat(history.get(0).get("txId").asText()).isEqualTo(taskId);
        assertThat(history.get(3).get("timestamp").asLong()).isGreaterThanOrEqualTo(history.get(0).get("timestamp").asLong());
        assertThat(dave.evaluate("GetHistory", "settlement", taskId)).hasSize(1);

        // a slashed contributor's next stake doubles (1 + strikes)
        String next = init.submit("AnnounceTask", spec).get("taskId").asText();
        long strikesNow = carol.evaluate("GetReputation", carol.accountId()).get("strikes").asLong();
        assertThat(strikesNow).isGreaterThanOrEqualTo(carolStrikes + 1);
        assertThat(carol.submit("SubmitBid", next, "300", "7").get("stake").asLong()).isEqualTo(2100 * (1 + strikesNow));
        assertThat(init.submit("CancelTask", next).get("state").asText()).isEqualTo("CANCELLED");

        // one chaincode event per transaction, named after it, payload = its result
        List<Party.Submitted> mine;
        synchronized (Party.LOG) {
            mine = List.copyOf(Party.LOG.subList(logStart, Party.LOG.size()));
        }
        Map<String, String> expectedEvents = new java.util.LinkedHashMap<>();
        mine.forEach(m -> expectedEvents.put(m.txId(), m.name()));
        Map<String, String> seen = new java.util.LinkedHashMap<>();
        String settlePayload = null;
        var network = FabricNetwork.network("Org2", "User5");
        try (var events = network.newChaincodeEventsRequest(FabricNetwork.chaincodeName()).startBlock(mine.get(0).block())
                .build().getEvents(options -> options.withDeadlineAfter(60, java.util.concurrent.TimeUnit.SECONDS))) {
            while (seen.size() < expectedEvents.size() && events.hasNext()) {
                var e = events.next();
                if (expectedEvents.containsKey(e.getTransactionId())) {
                    assertThat(seen.put(e.getTransactionId(), e.getEventName())).as("one event per transaction").isNull();
                    if (e.getEventName().equals("Settle")) {
                        settlePayload = new String(e.getPayload(), java.nio.charset.StandardCharsets.UTF_8);
                    }
                }
            }
        }
        assertThat(seen).containsExactlyEntriesOf(expectedEvents);
        assertThat(Party.JSON.readTree(settlePayload)).isEqualTo(s);

        JsonNode totals = dave.evaluate("GetTotals");
        assertThat(totals.get("balances").asLong() + totals.get("escrow").asLong() + totals.get("stakes").asLong())
                .isEqualTo(totals.get("minted").asLong());
    }

    static void fund(Party treasurer, List<Party> parties, long credits) throws Exception {
        String msg = treasurer.rejection("Initialize", "Org1MSP");
        if (msg == null) {
            treasurer.submit("Initialize", "Org1MSP");
        }
        treasurer.submit("Mint", Long.toString(credits * parties.size()));
        for (Party p : parties) {
            long have = p.balance();
            if (have < credits) {
                treasurer.submit("Transfer", p.accountId(), Long.toString(credits - have));
            }
        }
    }

    static String commitment(String taskId, String verifier, String votes, String salt) {
        return VoteCommitment.commitment(taskId, verifier, VoteCommitment.parseVotes(votes), salt);
    }

    /** Votes JSON from quadruples (contributor, fitnessBps, contributionBps, ownAccuracyBps). */
    static String votes(Object... quads) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < quads.length; i += 4) {
            b.append(i > 0 ? "," : "").append("{\"contributor\":\"").append(quads[i]).append("\",\"fitnessBps\":")
                    .append(quads[i + 1]).append(",\"contributionBps\":").append(quads[i + 2])
                    .append(",\"ownAccuracyBps\":").append(quads[i + 3]).append('}');
        }
        return b.append(']').toString();
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static void sleepUntilAfter(long epochSeconds) throws InterruptedException {
        long ms = (epochSeconds + 1) * 1000 - System.currentTimeMillis() + 300;
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }
}
