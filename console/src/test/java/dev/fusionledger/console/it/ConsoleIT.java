package dev.fusionledger.console.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.store.Hashes;
import dev.fusionledger.console.ConsoleServer;
import dev.fusionledger.console.ConsoleSettings;
import dev.fusionledger.console.Fmt;
import dev.fusionledger.ledger.Bid;
import dev.fusionledger.ledger.ContributorOutcome;
import dev.fusionledger.ledger.ContributorReason;
import dev.fusionledger.ledger.Settlement;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskState;
import dev.fusionledger.ledger.VoteCommitment;
import dev.fusionledger.ledger.VoteEntry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The console in a real headless Chromium on the real network. The console signs as Org1 User1 (the
 * initiator); contributors Org1 User2 (on time, accepted) and Org2 User1 (late in epoch 1, rejected by
 * fitness: slashed) and verifiers Org1 User3 and Org2 User3 act through the SDK while the browser
 * watches: every change must appear in the open page through server-sent events, without a reload.
 * The initiator's actions (announce, resolve, end epoch, settle) are done in the browser, each first
 * with bad input, which must give the field's error and leave the ledger unchanged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {
    static final long EPOCH_SECONDS = 20;
    static final long COMMIT_SECONDS = 45;
    static final long REVEAL_SECONDS = 40;
    static final int SSE_WAIT = 60;
    static final ObjectMapper JSON = new ObjectMapper();

    final List<FusionLedgerClient> all = new ArrayList<>();
    FusionLedgerClient initiator;
    FusionLedgerClient alice;
    FusionLedgerClient bob;
    FusionLedgerClient v1;
    FusionLedgerClient v2;
    ConsoleServer console;
    Browser browser;
    String taskId;

    @BeforeAll
    void start() throws Exception {
        String missing = Browser.missing();
        Assumptions.assumeTrue(missing == null, "browser tests skipped: " + missing);
        initiator = add(ConsoleNetwork.client("Org1", "User1"));
        alice = add(ConsoleNetwork.client("Org1", "User2"));
        bob = add(ConsoleNetwork.client("Org2", "User1"));
        v1 = add(ConsoleNetwork.client("Org1", "User3"));
        v2 = add(ConsoleNetwork.client("Org2", "User3"));
        List<String> accounts = new ArrayList<>();
        for (FusionLedgerClient c : all) {
            accounts.add(c.clientAccountId());
        }
        ConsoleNetwork.fund(accounts, 1_000_000);
        console = ConsoleServer.start(initiator, new ConsoleSettings("127.0.0.1", 0, null));
        browser = new Browser("http://127.0.0.1:" + console.port());
    }

    private FusionLedgerClient add(FusionLedgerClient c) {
        all.add(c);
        return c;
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (console != null) {
            console.close();
        }
        all.forEach(FusionLedgerClient::close);
    }

    @Test
    @Order(1)
    void announceFormRejectsBadInputFieldByFieldThenAnnounces() throws Exception {
        int tasksBefore = initiator.listTasks(null).size();
        browser.open("/announce");
        assertThat(browser.text("h1")).isEqualTo("Announce a task");
        browser.type("#f-labels", "");
        browser.type("#f-verificationDataHash", "xyz");
        browser.type("#f-mafrBps", "20000");
        browser.type("#f-rewardBudget", "lots");
        browser.type("#f-verifierQuorum", "0");
        browser.navigate("#announce-check");
        assertThat(browser.text("#error-labels")).isEqualTo("labels: is required");
        assertThat(browser.text("#error-verificationDataHash")).startsWith("verificationDataHash: ");
        assertThat(browser.text("#error-mafrBps")).startsWith("mafrBps: ").contains("10000");
        assertThat(browser.text("#error-rewardBudget")).startsWith("rewardBudget: ").contains("lots");
        assertThat(browser.text("#error-verifierQuorum")).startsWith("verifierQuorum: ").contains("100");
        assertThat(browser.all(".field-error")).hasSize(5);
        // the fields keep what was typed; nothing was announced
        assertThat(browser.find("#f-mafrBps").getAttribute("value")).isEqualTo("20000");
        assertThat(browser.all("#announce-confirm")).isEmpty();
        browser.screenshot("announce-errors");
        assertThat(initiator.listTasks(null)).hasSize(tasksBefore);

        browser.type("#f-labels", "0,1,2,3,4,5,6,7,8,9");
        browser.type("#f-verificationDataHash", Hashes.sha256Hex("console verification split".getBytes(StandardCharsets.UTF_8)));
        browser.type("#f-mafrBps", "8000");
        browser.type("#f-minOwnAccuracyBps", "9000");
        browser.type("#f-rewardBudget", "10000");
        browser.type("#f-verifierQuorum", "2");
        browser.type("#f-maxEpochs", "2");
        browser.type("#f-epochSeconds", "" + EPOCH_SECONDS);
        browser.type("#f-commitSeconds", "" + COMMIT_SECONDS);
        browser.type("#f-revealSeconds", "" + REVEAL_SECONDS);
        browser.navigate("#announce-check");
        // the confirmation step: the escrow it will take, nothing sent yet
        assertThat(browser.all(".field-error")).isEmpty();
        assertThat(browser.text("#escrow-required")).isEqualTo(Fmt.credits(10_000 + 2 * 100));
        browser.screenshot("announce-confirm");
        assertThat(initiator.listTasks(null)).hasSize(tasksBefore);
        browser.navigate("#announce-confirm");
        browser.await(30, "the new task's page", d -> d.getCurrentUrl().contains("/tasks/"));
        taskId = browser.driver.getCurrentUrl().replaceFirst(".*/tasks/([0-9a-f]+).*", "$1");
        Task t = initiator.getTask(taskId);
        assertThat(t.state()).isEqualTo(TaskState.BIDDING);
        assertThat(t.spec().minOwnAccuracyBps()).isEqualTo(9000);
        assertThat(browser.text("#task-state")).isEqualTo("BIDDING");
        assertThat(browser.text("#flash")).contains("AnnounceTask committed").contains(taskId);
        assertThat(browser.text("#escrow")).isEqualTo(Fmt.credits(t.escrow()));
    }

    @Test
    @Order(2)
    void bidsAndVerifiersAppearLiveThenTheBrowserResolves() throws Exception {
        browser.open("/tasks/" + taskId);
        browser.await(15, "the live indicator", d -> browser.find("#live").getAttribute("class").contains("on"));
        browser.mark();
        Bid a = alice.submitBid(taskId, 500, 4).value();
        Bid b = bob.submitBid(taskId, 500, 5).value();
        browser.await(SSE_WAIT, "two bids shown without reload", d -> browser.all("tr.bid").size() == 2);
        assertThat(browser.stillMarked()).as("no page reload").isTrue();
        assertThat(browser.text("tr.bid[data-bidder='" + a.bidder() + "']")).contains(Fmt.credits(a.stake()));
        v1.registerVerifier(taskId);
        v2.registerVerifier(taskId);
        browser.await(SSE_WAIT, "two verifiers shown", d -> browser.all("tr.verifier").size() == 2);
        assertThat(browser.text("#live-feed")).contains("SubmitBid").contains("RegisterVerifier");
        assertThat(browser.stillMarked()).isTrue();
        browser.screenshot("task-bidding");

        browser.navigate("#action-resolve");
        assertThat(browser.text("h1")).isEqualTo("Resolve the bidding");
        browser.navigate("#action-submit"); // without ticking the confirmation
        assertThat(browser.text("#error-confirm")).startsWith("confirm: ").contains("ResolveBidding");
        assertThat(initiator.getTask(taskId).state()).isEqualTo(TaskState.BIDDING);
        browser.click("#confirm");
        browser.navigate("#action-submit");
        browser.await(30, "task page after resolve", d -> browser.all("#task-state").size() == 1);
        assertThat(browser.text("#task-state")).isEqualTo("TRAINING");
        assertThat(browser.text("#flash")).contains("ResolveBidding committed");
        assertThat(initiator.getTask(taskId).selectedBidders()).containsExactlyInAnyOrder(a.bidder(), b.bidder());
    }

    @Test
    @Order(3)
    void checkpointsWithLateFlagsAndEndEpochFromTheBrowser() throws Exception {
        Task t = initiator.getTask(taskId);
        var metrics = JsonNodeFactory.instance.objectNode().put("accuracyBps", 9400);
        browser.open("/tasks/" + taskId);
        browser.await(15, "live", d -> browser.find("#live").getAttribute("class").contains("on"));
        browser.mark();
        alice.submitCheckpoint(taskId, 1, hash("alice 1"), metrics);
        browser.await(SSE_WAIT, "alice's on-time checkpoint", d -> browser.all("#checkpoints td.ontime").size() == 1);
        ConsoleNetwork.sleepUntilAfter(t.epochDeadline());
        bob.submitCheckpoint(taskId, 1, hash("bob 1"), metrics);
        browser.await(SSE_WAIT, "bob's late checkpoint", d -> browser.all("#checkpoints td.late").size() == 1);
        assertThat(browser.text("#checkpoints td.late")).contains("late");
        assertThat(browser.stillMarked()).isTrue();
        browser.screenshot("task-training");

        browser.navigate("#action-end-epoch");
        browser.click("#confirm");
        browser.navigate("#action-submit"); // confirmed, but no choice
        assertThat(browser.text("#error-choice")).startsWith("choice: ");
        assertThat(browser.all("#error-confirm")).isEmpty();
        assertThat(initiator.getTask(taskId).epochsCompleted()).isZero();
        browser.click("#choice-continue");
        browser.click("#confirm");
        browser.navigate("#action-submit");
        browser.await(30, "epoch 2", d -> browser.all("#epoch").size() == 1 && browser.text("#epoch").startsWith("2 of 2"));
        alice.submitCheckpoint(taskId, 2, hash("alice 2"), metrics);
        bob.submitCheckpoint(taskId, 2, hash("bob 2"), metrics);
        browser.mark();
        browser.await(SSE_WAIT, "epoch 2 checkpoints", d -> browser.all("#checkpoints td.ontime").size() == 3);
        browser.navigate("#action-end-epoch");
        browser.click("#choice-back-off");
        browser.click("#confirm");
        browser.navigate("#action-submit");
        browser.await(30, "verification", d -> browser.all("#task-state").size() == 1
                && browser.text("#task-state").equals("VERIFYING"));
        assertThat(initiator.getTask(taskId).drawnVerifiers()).hasSize(2);
    }

    @Test
    @Order(4)
    void settleTooEarlyShowsTheLedgerErrorThenVotesAndSettlementAppear() throws Exception {
        Task t = initiator.getTask(taskId);
        browser.open("/tasks/" + taskId);
        browser.await(15, "live", d -> browser.find("#live").getAttribute("class").contains("on"));
        browser.mark();
        String a = alice.clientAccountId();
        String b = bob.clientAccountId();
        List<VoteEntry> votes = List.of(new VoteEntry(a, 9100, 300, 9600), new VoteEntry(b, 7000, -50, 9200));
        String s1 = VoteCommitment.newSalt();
        String s2 = VoteCommitment.newSalt();
        v1.commitVote(taskId, VoteCommitment.commitment(taskId, v1.clientAccountId(), votes, s1));
        v2.commitVote(taskId, VoteCommitment.commitment(taskId, v2.clientAccountId(), votes, s2));
        browser.await(SSE_WAIT, "two commitments", d -> browser.text("#committed").equals("2"));
        assertThat(browser.stillMarked()).isTrue();

        browser.open("/tasks/" + taskId + "/confirm/settle");
        browser.click("#confirm");
        browser.navigate("#action-submit");
        assertThat(browser.text("#ledger-error")).contains("FAILED_PRECONDITION");
        assertThat(initiator.getTask(taskId).state()).isEqualTo(TaskState.VERIFYING);
        browser.screenshot("settle-refused");

        browser.open("/tasks/" + taskId);
        browser.await(15, "live", d -> browser.find("#live").getAttribute("class").contains("on"));
        browser.mark();
        ConsoleNetwork.sleepUntilAfter(t.commitDeadline());
        v1.revealVote(taskId, votes, s1);
        v2.revealVote(taskId, votes, s2);
        browser.await(SSE_WAIT, "two revealed votes", d -> browser.text("#revealed").equals("2")
                && browser.all("tr.vote").size() == 4);
        assertThat(browser.stillMarked()).isTrue();
        assertThat(browser.all("tr.vote td.bad")).hasSize(2); // bob's fitness is below the MAFR in both votes
        browser.await(15, "charts drawn", d -> Boolean.TRUE.equals(browser.js(
                "return [...document.querySelectorAll('.charts img')].every(i => i.complete && i.naturalWidth > 0);")));
        browser.screenshot("task-verifying");

        ConsoleNetwork.sleepUntilAfter(t.revealDeadline());
        browser.navigate("#action-settle");
        browser.click("#confirm");
        browser.navigate("#action-submit");
        browser.await(30, "settled", d -> browser.all("#task-state").size() == 1
                && browser.text("#task-state").equals("SETTLED"));
        Settlement st = initiator.getSettlement(taskId);
        Map<String, ContributorOutcome> by = new HashMap<>();
        st.contributors().forEach(o -> by.put(o.contributor(), o));
        // the rules (docs/ledger-api.md): alice on time in both epochs is paid her bid; bob is slashed
        assertThat(by.get(a).reason()).isEqualTo(ContributorReason.ACCEPTED);
        assertThat(by.get(a).payment()).isEqualTo(500L * 4);
        assertThat(by.get(b).reason()).isEqualTo(ContributorReason.REJECTED_BY_FITNESS);
        long stakeB = initiator.getBids(taskId).stream().filter(x -> x.bidder().equals(b)).findFirst().orElseThrow().stake();
        assertThat(by.get(b).slashed()).isEqualTo(stakeB);
        assertThat(st.slashShare()).isEqualTo(stakeB / 3); // 1 accepted contributor + 2 revealing verifiers
        String rowA = browser.text("#settlement-contributors tr[data-contributor='" + a + "']");
        String rowB = browser.text("#settlement-contributors tr[data-contributor='" + b + "']");
        assertThat(rowA).contains("ACCEPTED").contains(Fmt.credits(500L * 4)).contains(Fmt.credits(stakeB / 3));
        assertThat(rowB).contains("REJECTED_BY_FITNESS").contains(Fmt.credits(stakeB));
        assertThat(browser.text("#refund")).isEqualTo(Fmt.credits(st.initiatorRefund()));
        assertThat(browser.text("#grants")).contains(hash("alice 2")).doesNotContain(hash("bob 2"));
        browser.screenshot("task-settled");
    }

    @Test
    @Order(5)
    void auditPageReChecksTheSettlementAndDownloads() throws Exception {
        browser.open("/tasks/" + taskId + "/audit");
        assertThat(browser.text("#verdict")).startsWith("Consistent");
        assertThat(browser.all(".mismatch")).isEmpty();
        var history = new dev.fusionledger.client.audit.Auditor(initiator).taskHistory(taskId);
        assertThat(browser.all("#history tr.entry")).hasSize(history.size());
        List<String> msps = browser.all("#history td.msp").stream().map(e -> e.getText()).distinct().sorted().toList();
        assertThat(msps).containsExactly("Org1MSP", "Org2MSP");
        assertThat(browser.text("#history")).contains(Fmt.shortId(taskId));
        browser.screenshot("audit");

        String json = (String) browser.js("const r = await fetch(arguments[0]); return await r.text();",
                "/tasks/" + taskId + "/audit.json");
        JsonNode audit = JSON.readTree(json);
        assertThat(audit.path("consistent").asBoolean()).isTrue();
        assertThat(audit.path("history")).hasSize(history.size());
        String csv = (String) browser.js("const r = await fetch(arguments[0]); return await r.text();",
                "/tasks/" + taskId + "/history.csv");
        assertThat(csv.lines().findFirst().orElse("")).startsWith("transactionId,timestamp,creatorMspId,kind");
        assertThat(csv.lines().count()).isEqualTo(history.size() + 1);
    }

    @Test
    @Order(6)
    void accountAndTaskListPagesWithTheirFormErrors() throws Exception {
        browser.open("/account");
        String me = initiator.clientAccountId();
        assertThat(browser.text("#balance")).isEqualTo(Fmt.credits(initiator.balanceOf(me).balance()) + " credits");
        assertThat(browser.all("#account-history tr.entry")).isNotEmpty();
        browser.screenshot("account");
        browser.type("#account-id", "nobody");
        browser.navigate("#account-form button");
        assertThat(browser.text("#id-error")).startsWith("id: ").contains("<mspId>::<identity>");
        assertThat(browser.all("#balance")).isEmpty();

        browser.open("/tasks");
        assertThat(browser.text("#state-SETTLED")).contains(Fmt.shortId(taskId));
        assertThat(browser.text("tr[data-task='" + taskId + "'] td.roles")).isEqualTo("initiator");
        browser.screenshot("tasks");
        browser.open("/tasks?state=FINISHED");
        assertThat(browser.text("#state-error")).startsWith("state: ").contains("SETTLED");
        assertThat(browser.all("section.state-group")).isEmpty();
    }

    @Test
    @Order(7)
    void tokenAndFormTokenAreRequired() throws Exception {
        String token = "console-it-token-" + System.nanoTime();
        try (ConsoleServer guarded = ConsoleServer.start(initiator, new ConsoleSettings("127.0.0.1", 0, token))) {
            String base = "http://127.0.0.1:" + guarded.port();
            HttpClient http = HttpClient.newHttpClient();
            var none = http.send(HttpRequest.newBuilder(URI.create(base + "/tasks")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.body()).contains("access token");
            var bearer = http.send(HttpRequest.newBuilder(URI.create(base + "/tasks"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(bearer.statusCode()).isEqualTo(200);
            var forged = http.send(HttpRequest.newBuilder(URI.create(base + "/announce"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("confirm=yes&mafrBps=1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(forged.statusCode()).isEqualTo(403);
            assertThat(forged.body()).contains("_csrf");
            // in the browser: opened once with ?token=, the cookie carries it from then on
            browser.driver.get(base + "/tasks?token=" + token);
            assertThat(browser.driver.getCurrentUrl()).doesNotContain("token=");
            assertThat(browser.text("h1")).isEqualTo("Tasks");
        }
    }

    private static String hash(String s) {
        return Hashes.sha256Hex(s.getBytes(StandardCharsets.UTF_8));
    }
}
