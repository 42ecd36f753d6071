package dev.fusionledger.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionledger.client.cli.InMemoryCli.Result;
import dev.fusionledger.client.testing.InMemoryMarket;
import dev.fusionledger.client.testing.Scenario;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CLI on the real market rules in memory: bad input gives one line on stderr naming the
 * problem and the documented exit code, and changes nothing on the ledger.
 */
class FusionLedgerCliTest {
    @TempDir
    static Path tmp;

    Scenario s;
    ClientFactory factory;

    @BeforeEach
    void setUp() throws Exception {
        InMemoryCli c = new InMemoryCli(tmp);
        s = c.scenario;
        factory = c.factory;
        cli = c;
    }

    InMemoryCli cli;

    Result cli(String... args) {
        return cli.run(args);
    }

    /** A profile whose User1 of Org1 points at missing files, for the Gateway factory's config errors. */
    static Path profile() throws Exception {
        Path p = tmp.resolve("connection-profile.json");
        Files.writeString(p, """
                {"version":1,"name":"t","channel":"fusionledger","chaincode":"fusionledger","organizations":[
                 {"mspId":"Org1MSP","domain":"org1.example.com",
                  "peers":[{"name":"peer0.org1.example.com","endpoint":"127.0.0.1:1","tlsCaCert":"%s/none-ca.pem"}],
                  "users":{"User1":{"certificate":"%s/none-cert.pem","privateKey":"%s/none-key.pem"}}}]}
                """.formatted(tmp, tmp, tmp));
        return p;
    }

    static List<Object[]> badInputs() {
        String t0 = "0".repeat(64);
        return List.of(
            new Object[] {"unknown task", new String[] {"task", "show", t0}, ExitCodes.NOT_FOUND, "NOT_FOUND: "},
            new Object[] {"unknown task to cancel", new String[] {"task", "cancel", t0}, ExitCodes.NOT_FOUND, "NOT_FOUND: "},
            new Object[] {"non-numeric amount", new String[] {"account", "mint", "abc"}, ExitCodes.USAGE, "must be an integer in 1..1000000000000000, got 'abc'"},
            new Object[] {"zero amount", new String[] {"account", "transfer", "Org2MSP::x", "0"}, ExitCodes.USAGE,
                "amount: must be in 1..1000000000000000, got 0"},
            new Object[] {"non-numeric price", new String[] {"bid", "submit", t0, "--data-points", "5", "--price", "ten"},
                ExitCodes.USAGE, "must be an integer in 1..1000000000000000, got 'ten'"},
            new Object[] {"missing --price", new String[] {"bid", "submit", t0, "--data-points", "5"}, ExitCodes.USAGE,
                "Missing required option: '--price=<price>'"},
            new Object[] {"unknown subcommand", new String[] {"task", "frobnicate"}, ExitCodes.USAGE, "Unmatched argument"},
            new Object[] {"bad task state", new String[] {"task", "list", "--state", "DONE"}, ExitCodes.USAGE,
                "expected one of [BIDDING, TRAINING, VERIFYING, SETTLED, CANCELLED]"},
            new Object[] {"bad model hash", new String[] {"checkpoint", "submit", t0, "--epoch", "1", "--model-hash", "xyz"},
                ExitCodes.USAGE, "modelHash: must be 64 lowercase hex characters"},
            new Object[] {"metrics not JSON", new String[] {"checkpoint", "submit", t0, "--epoch", "1", "--model-hash",
                "a".repeat(64), "--metrics", "{oops"}, ExitCodes.USAGE, "metrics: not valid JSON"},
            new Object[] {"epoch out of range", new String[] {"checkpoint", "submit", t0, "--epoch", "0", "--model-hash",
                "a".repeat(64)}, ExitCodes.USAGE, "epoch: must be in 1..1000, got 0"},
            new Object[] {"insufficient funds", new String[] {"--org", "Org2", "--user", "User1", "account", "transfer",
                InMemoryMarket.accountId("Org1MSP", "User1"), "999999999"}, ExitCodes.REJECTED, "INSUFFICIENT_FUNDS: "},
            new Object[] {"mint by non-treasurer", new String[] {"--user", "User2", "account", "mint", "5"},
                ExitCodes.DENIED, "PERMISSION_DENIED: "},
            new Object[] {"end-epoch without choice", new String[] {"task", "end-epoch", t0}, ExitCodes.USAGE,
                "Error: Missing required argument (specify one of these): (--continue | --back-off)"},
            new Object[] {"reveal on an unknown task", new String[] {"verifier", "reveal", t0}, ExitCodes.NOT_FOUND,
                "NOT_FOUND: taskId: no task " + t0},
            new Object[] {"votes out of range", new String[] {"verifier", "commit", t0, "--votes",
                "[{\"contributor\":\"c::x\",\"fitnessBps\":10001,\"contributionBps\":0,\"ownAccuracyBps\":0}]"},
                ExitCodes.USAGE, "INVALID_ARGUMENT: votesJson.fitnessBps: must be in 0..10000, got 10001"},
            new Object[] {"own accuracy out of range", new String[] {"verifier", "commit", t0, "--votes",
                "[{\"contributor\":\"c::x\",\"fitnessBps\":1,\"contributionBps\":0,\"ownAccuracyBps\":10001}]"},
                ExitCodes.USAGE, "INVALID_ARGUMENT: votesJson.ownAccuracyBps: must be in 0..10000, got 10001"},
            new Object[] {"vote without own accuracy", new String[] {"verifier", "commit", t0, "--votes",
                "[{\"contributor\":\"c::x\",\"fitnessBps\":1,\"contributionBps\":0}]"}, ExitCodes.USAGE,
                "votesJson: each vote must be an object with exactly contributor, fitnessBps, contributionBps, ownAccuracyBps"},
            new Object[] {"min own accuracy out of range", announce("--min-own-accuracy-bps", "10001"), ExitCodes.USAGE,
                "INVALID_ARGUMENT: minOwnAccuracyBps: must be in 0..10000, got 10001"},
            new Object[] {"negative min contribution", announce("--min-contribution-bps", "-1"), ExitCodes.USAGE,
                "INVALID_ARGUMENT: minContributionBps: must be in 0..10000, got -1"},
            new Object[] {"salt with bar", new String[] {"verifier", "commit", t0, "--votes", "[]", "--salt", "a|b"},
                ExitCodes.USAGE, "salt: must be 1..128 printable ASCII characters without '|'"},
            new Object[] {"unknown model", new String[] {"model", "get", "b".repeat(64)}, ExitCodes.NOT_FOUND,
                "not in the store"},
            new Object[] {"malformed model id", new String[] {"model", "verify", "B0RK"}, ExitCodes.USAGE,
                "id: must be 64 lowercase hex characters"},
            new Object[] {"model file missing", new String[] {"model", "put", "/nonexistent/model.zip", "--format", "DJL",
                "--input-shape", "28,28", "--output-size", "10"}, ExitCodes.USAGE, "file: not found: /nonexistent/model.zip"},
            new Object[] {"bad model format", new String[] {"model", "put", "x", "--format", "TF", "--input-shape", "1",
                "--output-size", "1"}, ExitCodes.USAGE, "expected one of [DJL, ONNX"},
            new Object[] {"spec missing fields", new String[] {"task", "announce", "--reward-budget", "100"},
                ExitCodes.USAGE, "labels: required (in --spec or as an option)"},
            new Object[] {"negative limit", new String[] {"events", "follow", "--limit", "-1"}, ExitCodes.USAGE,
                "limit: must be >= 0, got -1"});
    }

    /** {@code task announce} with every field as an option, {@code option} set to {@code value}. */
    static String[] announce(String option, String value) {
        java.util.Map<String, String> o = new java.util.LinkedHashMap<>();
        o.put("--labels", "0,1");
        o.put("--input-shape", "28,28,1");
        o.put("--verification-data-hash", "c".repeat(64));
        o.put("--mafr-bps", "9000");
        o.put("--min-contribution-bps", "0");
        o.put("--min-own-accuracy-bps", "0");
        o.put("--required-data-points", "1000");
        o.put("--reward-budget", "100");
        o.put("--verifier-fee", "1");
        o.put("--verifier-quorum", "1");
        o.put("--verifier-stake", "1");
        o.put("--max-epochs", "1");
        o.put("--epoch-seconds", "60");
        o.put("--late-penalty-bps", "0");
        o.put("--bidding-seconds", "60");
        o.put("--commit-seconds", "60");
        o.put("--reveal-seconds", "60");
        o.put(option, value);
        List<String> args = new java.util.ArrayList<>(List.of("task", "announce"));
        o.forEach((k, v) -> args.add(k + "=" + v));
        return args.toArray(String[]::new);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputGivesOneLineAndExitCode(String name, String[] args, int code, String message) throws Exception {
        var before = s.treasurer.totals();
        long initiatorBalance = s.initiator.balanceOf(s.initiator.clientAccountId()).balance();
        Result r = cli(args);
        assertThat(r.code()).as(r.err()).isEqualTo(code);
        assertThat(r.err().lines().toList()).as(r.err()).hasSize(1);
        assertThat(r.err()).startsWith("fusionledger: ").contains(message).doesNotContain("\tat ");
        assertThat(s.treasurer.totals()).isEqualTo(before);
        assertThat(s.initiator.balanceOf(s.initiator.clientAccountId()).balance()).isEqualTo(initiatorBalance);
    }

    @Test
    void missingProfileWrongUserWrongOrgAndMissingFilesAreConfigErrors() throws Exception {
        ClientFactory gw = ClientFactory.gateway();
        Path p = profile();
        String[][] cases = {
            {"--profile", tmp.resolve("nope.json").toString(), "account", "id"},
            {"--profile", p.toString(), "--user", "Mallory", "account", "id"},
            {"--profile", p.toString(), "--org", "Org9", "account", "id"},
            {"--profile", p.toString(), "account", "id"},
        };
        String[] expected = {"connection profile not found", "user: unknown user 'Mallory' in Org1MSP, one of User1",
            "org: unknown organisation 'Org9', one of Org1MSP", "certificate: file not found"};
        for (int i = 0; i < cases.length; i++) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = FusionLedgerCli.run(gw, new PrintWriter(out), new PrintWriter(err), cases[i]);
            assertThat(code).as(err.toString()).isEqualTo(ExitCodes.CONFIG);
            assertThat(err.toString().lines().toList()).hasSize(1);
            assertThat(err.toString()).contains(expected[i]);
        }
    }

    @Test
    void verboseAddsStackTrace() {
        Result r = cli("--verbose", "task", "show", "0".repeat(64));
        assertThat(r.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.err()).contains("\tat ");
    }

    @Test
    void everyCommandHasHelpWithAnExample() {
        var cmd = new picocli.CommandLine(new FusionLedgerCli(factory));
        List<picocli.CommandLine> all = new ArrayList<>();
        collect(cmd, all);
        assertThat(all).hasSizeGreaterThan(30);
        for (picocli.CommandLine c : all) {
            String usage = c.getUsageMessage();
            assertThat(usage).as(c.getCommandSpec().qualifiedName()).contains("Example:").contains("--help");
        }
        Result r = cli("task", "announce", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: fusionledger task announce").contains("Example:");
    }

    private static void collect(picocli.CommandLine c, List<picocli.CommandLine> all) {
        all.add(c);
        c.getSubcommands().values().forEach(sub -> {
            if (!sub.getCommandName().equals("help")) {
                collect(sub, all);
            }
        });
    }

    @Test
    void wholeLifecycleThroughTheCli() throws Exception {
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, FusionLedgerCli.JSON.writeValueAsString(Scenario.spec()));
        Result a = cli("--json", "task", "announce", "--spec", spec.toString(), "--reward-budget", "9000");
        assertThat(a.code()).as(a.err()).isZero();
        String taskId = FusionLedgerCli.JSON.readTree(a.out()).get("result").get("taskId").asText();
        assertThat(FusionLedgerCli.JSON.readTree(a.out()).get("transactionId").asText()).isEqualTo(taskId);
        assertThat(s.initiator.getTask(taskId).spec().rewardBudget()).isEqualTo(9000);

        assertThat(cli("--user", "User2", "bid", "submit", taskId, "--data-points", "1500", "--price", "2").code()).isZero();
        assertThat(cli("--org", "Org2", "--user", "User3", "verifier", "register", taskId).code()).isZero();
        assertThat(cli("--user", "User3", "verifier", "register", taskId).code()).isZero();
        assertThat(cli("task", "resolve", taskId).code()).isZero();
        Path model = tmp.resolve("model.bin");
        Files.writeString(model, "weights", StandardCharsets.UTF_8);
        Result put = cli("model", "put", model.toString(), "--format", "ONNX", "--input-shape", "28,28,1",
                "--output-size", "3", "--labels", "0,1,2");
        assertThat(put.code()).as(put.err()).isZero();
        String modelId = put.out().strip();
        assertThat(cli("model", "verify", modelId).out()).contains("ok");
        for (int epoch = 1; epoch <= 2; epoch++) {
            Result c = cli("--user", "User2", "checkpoint", "submit", taskId, "--epoch", "" + epoch, "--model-hash",
                    modelId, "--metrics", "{\"accuracyBps\":9100}");
            assertThat(c.code()).as(c.err()).isZero();
            assertThat(cli("task", "end-epoch", taskId, epoch == 1 ? "--continue" : "--back-off").code()).isZero();
        }
        String votes = "[{\"contributor\":\"" + InMemoryMarket.accountId("Org1MSP", "User2")
                + "\",\"fitnessBps\":9100,\"contributionBps\":200,\"ownAccuracyBps\":9500}]";
        for (String[] who : new String[][] {{"Org2", "User3"}, {"Org1", "User3"}}) {
            Result c = cli("--org", who[0], "--user", who[1], "verifier", "commit", taskId, "--votes", votes);
            assertThat(c.code()).as(c.err()).isZero();
        }
        for (String[] who : new String[][] {{"Org2", "User3"}, {"Org1", "User3"}}) {
            Result c = cli("--org", who[0], "--user", who[1], "verifier", "reveal", taskId);
            assertThat(c.code()).as(c.err()).isZero();
        }
        Result settle = cli("--org", "Org2", "--user", "User4", "task", "settle", taskId);
        assertThat(settle.code()).as(settle.err()).isZero();
        assertThat(settle.out()).contains("ACCEPTED").contains(String.valueOf(1500L * 2));
        Result audit = cli("audit", "task", taskId, "--csv", tmp.resolve("m.csv").toString());
        assertThat(audit.code()).as(audit.err() + audit.out()).isZero();
        assertThat(audit.out()).contains("Org2MSP").contains("SETTLED");
        assertThat(Files.readString(tmp.resolve("m.csv"))).isEqualTo("subject,field,recorded,expected\n");
        Result show = cli("--json", "task", "show", taskId);
        assertThat(FusionLedgerCli.JSON.readTree(show.out()).get("settlement").get("contributors").get(0)
                .get("payment").asLong()).isEqualTo(1500L * 2);
        Result events = cli("events", "follow", "--from-block", "0", "--task", taskId, "--limit", "100");
        assertThat(events.out().lines().filter(l -> l.contains("task " + taskId)).count())
                .isEqualTo(s.market.events().stream().filter(e -> new String(e.payload(), StandardCharsets.UTF_8)
                        .contains(taskId)).count());
        // tampering with the stored model is detected
        Path artifact;
        try (var files = Files.walk(tmp.resolve("store"))) {
            artifact = files.filter(f -> f.getFileName().toString().equals(modelId + ".bin")).findFirst().orElseThrow();
        }
        Files.writeString(artifact, "weightz");
        Result v = cli("model", "verify", modelId);
        assertThat(v.code()).isEqualTo(ExitCodes.INTEGRITY);
        assertThat(v.err()).contains("the artifact was modified or corrupted");
    }

    @Test
    void auditHistoryKeepsTheRequestedKinds() throws Exception {
        String taskId = s.runToSettlement();
        Result all = cli("--json", "audit", "history", taskId);
        assertThat(all.code()).as(all.err()).isZero();
        var kinds = new java.util.TreeSet<String>();
        FusionLedgerCli.JSON.readTree(all.out()).forEach(e -> kinds.add(e.get("kind").asText()));
        assertThat(kinds).containsExactly("bid", "checkpoint", "settlement", "task", "verifier", "vote");

        Result some = cli("--json", "audit", "history", taskId, "--kind", "checkpoint,VOTE");
        assertThat(some.code()).as(some.err()).isZero();
        var entries = FusionLedgerCli.JSON.readTree(some.out());
        long expected = s.market.events().stream()
                .filter(e -> e.name().equals("SubmitCheckpoint") || e.name().equals("RevealVote")).count();
        assertThat(entries).hasSize((int) expected);
        entries.forEach(e -> assertThat(e.get("kind").asText()).isIn("checkpoint", "vote"));

        Result table = cli("audit", "history", taskId, "--kind", "checkpoint");
        assertThat(table.code()).as(table.err()).isZero();
        assertThat(table.out()).contains("epoch 1 late").contains("epoch 2");

        Result wrong = cli("audit", "history", taskId, "--kind", "account");
        assertThat(wrong.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(wrong.err()).contains("kind: must be one of task, bid, verifier, checkpoint, vote, settlement");
        Result unknown = cli("audit", "history", taskId, "--kind", "wallet");
        assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("wallet");
    }
}
