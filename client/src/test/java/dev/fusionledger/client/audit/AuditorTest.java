package dev.fusionledger.client.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusionledger.client.HistoryKind;
import dev.fusionledger.client.InvalidArgumentException;
import dev.fusionledger.client.testing.InMemoryMarket;
import dev.fusionledger.client.testing.Scenario;
import dev.fusionledger.ledger.ContributorOutcome;
import dev.fusionledger.ledger.Settlement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The settlement re-check on a task settled by the real market rules in memory, then on tampered copies. */
class AuditorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void consistentTaskHasNoMismatchAndBalancedEscrow() throws Exception {
        Scenario s = new Scenario().funded(100_000);
        String taskId = s.runToSettlement();
        TaskAudit audit = new Auditor(s.bob).auditTask(taskId);

        assertThat(audit.mismatches()).isEmpty();
        assertThat(audit.consistent()).isTrue();
        assertThat(audit.escrowIn()).isEqualTo(audit.escrowOut()).isPositive();
        assertThat(audit.expected().contributors()).extracting(ContributorOutcome::payment)
                .containsExactlyElementsOf(audit.recorded().contributors().stream().map(ContributorOutcome::payment).toList());
        // history: every transaction that touched the task, with the MSP that signed it
        assertThat(audit.history()).extracting(AuditEntry::kind).contains("task", "bid", "verifier", "settlement");
        assertThat(audit.history()).allSatisfy(e -> assertThat(e.creatorMspId()).isIn("Org1MSP", "Org2MSP"));
        assertThat(audit.history().stream().filter(e -> e.kind().equals("task")).map(AuditEntry::creatorMspId).toList())
                .first().isEqualTo("Org1MSP");
        String csv = Auditor.historyCsv(audit.history());
        assertThat(csv.lines().findFirst()).hasValue("transactionId,timestamp,creatorMspId,kind,key,deleted,stateAfter");
        assertThat(csv.lines().count()).isEqualTo(audit.history().size() + 1);
        assertThat(Auditor.toJson(audit)).contains("\"consistent\" : true");
    }

    @Test
    void taskHistoryHasEveryCheckpointAndRevealedVoteTransaction() throws Exception {
        Scenario s = new Scenario().funded(100_000);
        String taskId = s.runToSettlement();
        List<AuditEntry> history = new Auditor(s.v2).auditTask(taskId).history();

        // the committed SubmitCheckpoint / RevealVote transactions of the task, from the ledger's events
        for (String[] kindAndTx : new String[][] {{"checkpoint", "SubmitCheckpoint"}, {"vote", "RevealVote"}}) {
            List<InMemoryMarket.Event> txs = s.market.events().stream().filter(e -> e.name().equals(kindAndTx[1]))
                    .toList();
            List<AuditEntry> entries = history.stream().filter(e -> e.kind().equals(kindAndTx[0])).toList();
            assertThat(entries).extracting(AuditEntry::transactionId)
                    .containsExactlyInAnyOrderElementsOf(txs.stream().map(InMemoryMarket.Event::txId).toList());
            for (InMemoryMarket.Event tx : txs) {
                JsonNode written = JSON.readTree(tx.payload());
                AuditEntry e = entries.stream().filter(a -> a.transactionId().equals(tx.txId())).findFirst().orElseThrow();
                String account = written.get(kindAndTx[0].equals("vote") ? "verifier" : "contributor").asText();
                assertThat(e.key()).isEqualTo(kindAndTx[0].equals("vote") ? taskId + "|" + account
                        : taskId + "|" + account + "|" + written.get("epoch").asInt());
                assertThat(e.creatorMspId()).isEqualTo(account.substring(0, account.indexOf("::")));
                assertThat(e.timestamp()).isEqualTo(written.get(kindAndTx[0].equals("vote") ? "revealedAt" : "submittedAt")
                        .asLong());
                assertThat(e.deleted()).isFalse();
                assertThat(e.stateAfter()).isEqualTo(written);
            }
        }
        // 2 contributors x 2 epochs, 2 revealing verifiers
        assertThat(history).filteredOn(e -> e.kind().equals("checkpoint")).hasSize(4);
        assertThat(history).filteredOn(e -> e.kind().equals("vote")).extracting(AuditEntry::creatorMspId)
                .containsExactlyInAnyOrder("Org1MSP", "Org2MSP");
        // bob's epoch-1 checkpoint was late; its state after says so
        String bob = s.bob.clientAccountId();
        assertThat(history).filteredOn(e -> e.key().equals(taskId + "|" + bob + "|1")).singleElement()
                .satisfies(e -> assertThat(e.stateAfter().get("late").asBoolean()).isTrue());
        assertThat(history).extracting(AuditEntry::timestamp).isSorted();
    }

    @Test
    void checkpointAndVoteKeysReadThroughTheClient() throws Exception {
        Scenario s = new Scenario().funded(100_000);
        String taskId = s.runToSettlement();
        String alice = s.alice.clientAccountId();
        var h = s.carol.getHistory(HistoryKind.CHECKPOINT, HistoryKind.checkpointId(taskId, alice, 2));
        assertThat(h).singleElement().satisfies(e -> assertThat(e.value().get("epoch").asInt()).isEqualTo(2));
        assertThat(s.carol.getHistory(HistoryKind.CHECKPOINT, HistoryKind.checkpointId(taskId, alice, 3))).isEmpty();
        assertThat(s.carol.getHistory(HistoryKind.VOTE, HistoryKind.id(taskId, s.v1.clientAccountId())))
                .singleElement().satisfies(e -> assertThat(e.value().get("verifier").asText())
                        .isEqualTo(s.v1.clientAccountId()));
        assertThatThrownBy(() -> s.carol.getHistory(HistoryKind.CHECKPOINT, HistoryKind.id(taskId, alice)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("id: must be 'taskId|accountId|epoch' for kind checkpoint");
        assertThatThrownBy(() -> s.carol.getHistory(HistoryKind.CHECKPOINT, HistoryKind.checkpointId(taskId, alice, 0)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("epoch: must be in 1..1000, got 0");
    }

    @Test
    void inconsistentFixtureIsFlagged() throws Exception {
        Scenario s = new Scenario().funded(100_000);
        String taskId = s.runToSettlement();
        var c = s.bob;
        AuditInput real = new AuditInput(c.getTask(taskId), new Auditor(c).auditTask(taskId).escrowIn()
                - stakes(c, taskId), c.getBids(taskId), c.getVerifiers(taskId), c.getCheckpoints(taskId),
                c.getVotes(taskId), c.getSettlement(taskId));
        assertThat(SettlementCheck.recheck(real).mismatches()).isEmpty();

        // the recorded settlement pays the first contributor one credit more than the rules allow
        Settlement rec = real.settlement();
        List<ContributorOutcome> cs = new ArrayList<>(rec.contributors());
        ContributorOutcome first = cs.get(0);
        cs.set(0, new ContributorOutcome(first.contributor(), first.accepted(), first.reason(), first.finalModelHash(),
                first.lateEpochs(), first.positiveVotes(), first.payment() + 1, first.stakeReturned(), first.slashed(),
                first.slashShare()));
        Settlement tampered = new Settlement(rec.taskId(), rec.outcome(), rec.settledAt(), rec.epochsCompleted(),
                rec.revealedVerifiers(), rec.silentVerifiers(), cs, rec.verifiers(), rec.slashPool(), rec.slashShare(),
                rec.forfeitPool(), rec.forfeitShare(), rec.initiatorRefund(), rec.accessGrants());
        SettlementCheck.Result r = SettlementCheck.recheck(new AuditInput(real.task(), real.escrowBefore(), real.bids(),
                real.verifiers(), real.checkpoints(), real.votes(), tampered));
        assertThat(r.mismatches()).containsExactlyInAnyOrder(
                new Mismatch(first.contributor(), "payment", Long.toString(first.payment() + 1),
                        Long.toString(first.payment())),
                new Mismatch("escrow", "escrowOut", Long.toString(r.escrowIn() + 1), Long.toString(r.escrowIn())));
        assertThat(Auditor.mismatchesCsv(r.mismatches())).startsWith("subject,field,recorded,expected\n");

        // a revealed vote whose salt was altered no longer opens its commitment
        var vote = real.votes().get(0);
        var badVote = new dev.fusionledger.ledger.Vote(vote.taskId(), vote.verifier(), vote.votes(),
                vote.salt() + "x", vote.commitment(), vote.revealedAt());
        List<dev.fusionledger.ledger.Vote> votes = new ArrayList<>(real.votes());
        votes.set(0, badVote);
        assertThat(SettlementCheck.recheck(new AuditInput(real.task(), real.escrowBefore(), real.bids(),
                real.verifiers(), real.checkpoints(), votes, real.settlement())).mismatches())
                .extracting(Mismatch::field).contains("commitment");
    }

    private static long stakes(dev.fusionledger.client.FusionLedgerClient c, String taskId) throws Exception {
        var task = c.getTask(taskId);
        long sum = 0;
        for (var b : c.getBids(taskId)) {
            if (task.selectedBidders().contains(b.bidder())) {
                sum += b.stake();
            }
        }
        for (var v : c.getVerifiers(taskId)) {
            if (task.drawnVerifiers().contains(v.verifier())) {
                sum += v.stake();
            }
        }
        return sum;
    }
}
