package dev.fusionledger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionledger.client.testing.Scenario;
import dev.fusionledger.ledger.BidStatus;
import dev.fusionledger.ledger.ContributorReason;
import dev.fusionledger.ledger.ErrorCode;
import dev.fusionledger.ledger.Settlement;
import dev.fusionledger.ledger.SettlementOutcome;
import dev.fusionledger.ledger.TaskState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The typed SDK against the real market rules in memory. */
class FusionLedgerClientTest {

    @Test
    void wholeLifecycleDecodesEveryResultAndConservesCredits() throws Exception {
        Scenario s = new Scenario().funded(100_000);
        String taskId = s.runToSettlement();

        assertThat(s.initiator.getTask(taskId).state()).isEqualTo(TaskState.SETTLED);
        Settlement st = s.initiator.getSettlement(taskId);
        assertThat(st.outcome()).isEqualTo(SettlementOutcome.SETTLED);
        // 1500 points required: all three 500-point bids are selected; carol never submits a checkpoint
        assertThat(st.contributors()).extracting(c -> c.reason())
                .containsExactly(ContributorReason.ACCEPTED, ContributorReason.ACCEPTED, ContributorReason.NO_FINAL_MODEL);
        // rules of docs/ledger-api.md: alice 500 x 4 on time; bob 500 x 5 with one late epoch (10 %)
        assertThat(st.contributors().get(0).payment()).isEqualTo(500L * 4);
        assertThat(st.contributors().get(1).payment()).isEqualTo(500L * 5 - 500L * 5 * 1000 / 10_000);
        // carol's stake (500 x 6) is shared by 2 accepted contributors + 2 revealing verifiers
        assertThat(st.slashPool()).isEqualTo(500L * 6);
        assertThat(st.slashShare()).isEqualTo(500L * 6 / 4);
        assertThat(s.initiator.getBids(taskId)).extracting(b -> b.status()).doesNotContain(BidStatus.PENDING, BidStatus.SELECTED);
        assertThat(s.initiator.getVotes(taskId)).hasSize(2);
        assertThat(s.initiator.getCheckpoints(taskId)).hasSize(4);
        assertThat(s.initiator.getHistory(HistoryKind.TASK, taskId)).extracting(h -> h.value().get("state").asText())
                .containsSubsequence("BIDDING", "TRAINING", "VERIFYING", "SETTLED");
        var totals = s.initiator.totals();
        assertThat(totals.conserved()).isTrue();
        assertThat(totals.minted()).isEqualTo(1_000_000);
        assertThat(s.initiator.listTasks(TaskState.SETTLED)).extracting(t -> t.taskId()).containsExactly(taskId);
        assertThat(s.initiator.listTasks(TaskState.BIDDING)).isEmpty();
    }

    @Test
    void chaincodeRejectionsBecomeTypedExceptionsWithTransactionId() throws Exception {
        Scenario s = new Scenario().funded(1000);
        String missing = "0".repeat(64);
        assertThatThrownBy(() -> s.alice.getTask(missing))
                .isInstanceOf(NotFoundException.class)
                .satisfies(e -> {
                    NotFoundException n = (NotFoundException) e;
                    assertThat(n.transactionId()).isNotBlank();
                    assertThat(n.phase()).isEqualTo(Phase.EVALUATE);
                    assertThat(n.code()).isEqualTo(ErrorCode.NOT_FOUND);
                });
        long before = s.alice.balanceOf(s.alice.clientAccountId()).balance();
        assertThatThrownBy(() -> s.alice.transfer(s.bob.clientAccountId(), 5000))
                .isInstanceOf(InsufficientFundsException.class)
                .satisfies(e -> assertThat(((LedgerException) e).phase()).isEqualTo(Phase.ENDORSE));
        assertThat(s.alice.balanceOf(s.alice.clientAccountId()).balance()).isEqualTo(before);
        assertThatThrownBy(() -> s.alice.mint(10)).isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> s.treasurer.initialize("Org1MSP")).isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> s.alice.transfer(s.bob.clientAccountId(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("amount: must be in 1..1000000000000000, got 0");
    }

    @Test
    void gatewayWrappedMessagesAreParsed() {
        MarketRuleException e = MarketRuleException.parse(
                "chaincode response 500, INVALID_ARGUMENT: mafrBps: must be in 0..10000, got 12000", "tx9",
                Phase.ENDORSE, null);
        assertThat(e).isInstanceOf(InvalidArgumentException.class);
        assertThat(e.field()).isEqualTo("mafrBps");
        assertThat(e.reason()).isEqualTo("must be in 0..10000, got 12000");
        assertThat(e.transactionId()).isEqualTo("tx9");
        assertThat(MarketRuleException.parse("connection refused", "tx", Phase.ENDORSE, null)).isNull();
    }

    @Test
    void eventsResumeFromFileCheckpointWithoutLossOrDuplicates(@TempDir Path dir) throws Exception {
        Scenario s = new Scenario().funded(100_000);
        s.runToSettlement();
        int total = s.market.events().size();
        Path cp = dir.resolve("events.checkpoint");
        List<String> seen = new ArrayList<>();
        try (MarketEventStream events = s.alice.events(0, cp)) {
            for (int i = 0; i < 7 && events.hasNext(); i++) {
                MarketEvent e = events.next();
                seen.add(e.transactionId());
                events.checkpoint(e);
            }
        }
        try (MarketEventStream events = s.alice.events(0, cp)) {
            events.forEachCheckpointed(e -> seen.add(e.transactionId()));
        }
        assertThat(seen).hasSize(total).doesNotHaveDuplicates();
        assertThat(seen).containsExactlyElementsOf(s.market.events().stream().map(e -> e.txId()).toList());
        try (MarketEventStream events = s.alice.events(0, null)) {
            List<MarketEvent> all = new ArrayList<>();
            events.forEachRemaining(all::add);
            MarketEvent bid = all.stream().filter(e -> e.name().equals("SubmitBid")).findFirst().orElseThrow();
            assertThat(bid.payloadAs(dev.fusionledger.ledger.Bid.class).taskId()).isEqualTo(bid.taskId());
            MarketEvent settle = all.get(all.size() - 1);
            assertThat(settle.name()).isEqualTo("Settle");
            assertThat(settle.payloadAs(dev.fusionledger.ledger.Settlement.class).outcome()).isEqualTo(SettlementOutcome.SETTLED);
        }
    }

    @Test
    void profileFindsOrganisationsAndUsersByAnyName(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("connection-profile.json");
        java.nio.file.Files.writeString(p, """
                {"version":1,"channel":"fusionledger","chaincode":"fusionledger","extra":1,"organizations":[
                 {"mspId":"Org1MSP","domain":"org1.example.com","peers":[],"users":{"Admin":{"certificate":"a","privateKey":"b"}}},
                 {"mspId":"Org2MSP","domain":"org2.example.com","peers":[],"users":{"User1":{"certificate":"c","privateKey":"d"}}}]}
                """);
        ConnectionProfile profile = ConnectionProfile.load(p);
        assertThat(profile.organization("Org2MSP").mspId()).isEqualTo("Org2MSP");
        assertThat(profile.organization("org2").mspId()).isEqualTo("Org2MSP");
        assertThat(profile.organization("org1.example.com").mspId()).isEqualTo("Org1MSP");
        assertThat(ConnectionProfile.user(profile.organization("Org2"), "user1").certificate()).isEqualTo("c");
        assertThatThrownBy(() -> profile.organization("Org3"))
                .hasMessage("org: unknown organisation 'Org3', one of Org1MSP, Org2MSP");
        assertThatThrownBy(() -> ConnectionProfile.user(profile.organization("Org1"), "User9"))
                .hasMessage("user: unknown user 'User9' in Org1MSP, one of Admin");
        java.nio.file.Files.writeString(p, "{\"version\":2,\"organizations\":[]}");
        assertThatThrownBy(() -> ConnectionProfile.load(p)).hasMessageContaining("version: must be 1, got 2");
        assertThatThrownBy(() -> ConnectionProfile.load(dir.resolve("none.json")))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }
}
