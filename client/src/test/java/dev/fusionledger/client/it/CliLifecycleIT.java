package dev.fusionledger.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.cli.ExitCodes;
import dev.fusionledger.client.store.Hashes;
import dev.fusionledger.ledger.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole task on the real network driven through the packaged CLI
 * ({@code client/target/fusionledger.jar}) as subprocesses: initiator Org1 User1, contributors Org2
 * User1 and Org1 User2, verifiers Org2 User3 and Org1 User3; then the audit, and the bad inputs that
 * need the ledger (unknown task, wrong phase, not enough credits, not allowed).
 */
class CliLifecycleIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path profile;

    record Run(int code, String out, String err) {
    }

    Run cli(String org, String user, String... args) throws Exception {
        Path jar = LedgerNetwork.ROOT.resolve("client/target/fusionledger.jar");
        assertThat(jar).as("run `mvn -pl client package` first").exists();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--profile", profile.toString(), "--org", org, "--user", user,
                "--endorse-retries", "10", "--store", dir.resolve("store").toString(), "--state-dir", dir.resolve("state").toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("fusionledger " + String.join(" ", args) + " did not finish in 2 min");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    Run ok(String org, String user, String... args) throws Exception {
        Run r = cli(org, user, args);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        assertThat(r.err()).isEmpty();
        return r;
    }

    void fails(int code, String message, String org, String user, String... args) throws Exception {
        Run r = cli(org, user, args);
        assertThat(r.code()).as(r.err()).isEqualTo(code);
        assertThat(r.err().lines().toList()).as(r.err()).hasSize(1);
        assertThat(r.err()).startsWith("fusionledger: ").contains(message);
    }

    final List<String> txs = new ArrayList<>();

    /** Runs a submit command with --json and records its transaction id. */
    JsonNode tx(String org, String user, String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of("--json"));
        a.addAll(List.of(args));
        JsonNode n = JSON.readTree(ok(org, user, a.toArray(String[]::new)).out());
        txs.add(n.get("transactionId").asText());
        return n;
    }

    long balance(String org, String user) throws Exception {
        return JSON.readTree(ok(org, user, "--json", "account", "balance").out()).get("account").get("balance").asLong();
    }

    @Test
    void wholeTaskThroughTheCli() throws Exception {
        profile = LedgerNetwork.up();
        List<String> accounts = new ArrayList<>();
        String[][] users = {{"Org1", "User1"}, {"Org2", "User1"}, {"Org1", "User2"}, {"Org2", "User3"}, {"Org1", "User3"}};
        for (String[] u : users) {
            accounts.add(ok(u[0], u[1], "account", "id").out().strip());
        }
        try (FusionLedgerClient t = LedgerNetwork.fund(accounts, 1_000_000)) {
            assertThat(t.mspId()).isNotBlank();
        }

        TaskSpec spec = new TaskSpec(List.of("0", "1"), List.of(28, 28, 1),
                Hashes.sha256Hex("cli verification".getBytes(StandardCharsets.UTF_8)), null,
                7000, 0, 0, 1000, 50_000, 10, 2, 5, 1, 600, 500, 600, 600, 600);
        Path specFile = dir.resolve("spec.json");
        Files.writeString(specFile, JSON.writeValueAsString(spec));
        fails(ExitCodes.USAGE, "INVALID_ARGUMENT: minOwnAccuracyBps: must be in 0..10000, got 10001", "Org1", "User1",
                "task", "announce", "--spec", specFile.toString(), "--min-own-accuracy-bps", "10001");
        JsonNode announced = tx("Org1", "User1", "task", "announce", "--spec", specFile.toString(),
                "--min-own-accuracy-bps", "8000");
        assertThat(announced.get("result").get("spec").get("minOwnAccuracyBps").asInt()).isEqualTo(8000);
        String taskId = announced.get("result").get("taskId").asText();

        // bad inputs that need the ledger, each leaving state unchanged
        fails(ExitCodes.NOT_FOUND, "NOT_FOUND: ", "Org1", "User1", "task", "show", "e".repeat(64));
        fails(ExitCodes.DENIED, "PERMISSION_DENIED: ", "Org1", "User1", "bid", "submit", taskId, "--data-points", "10",
                "--price", "1");
        fails(ExitCodes.REJECTED, "FAILED_PRECONDITION: ", "Org1", "User1", "task", "end-epoch", taskId, "--continue");
        fails(ExitCodes.REJECTED, "INSUFFICIENT_FUNDS: ", "Org2", "User1", "account", "transfer", accounts.get(2),
                "100000000000000");
        fails(ExitCodes.USAGE, "INVALID_ARGUMENT: ", "Org2", "User1", "bid", "submit", taskId, "--data-points", "50000",
                "--price", "2");
        fails(ExitCodes.DENIED, "PERMISSION_DENIED: ", "Org2", "User1", "account", "mint", "10");
        fails(ExitCodes.CONFIG, "user: unknown user 'Nobody'", "Org1", "Nobody", "account", "id");
        try (FusionLedgerClient reader = LedgerNetwork.client("Org2", "User5")) {
            assertThat(LedgerNetwork.changeBy(reader, accounts.get(0), txs)).isEqualTo(-50_000 - 2 * 10);
        }

        tx("Org2", "User1", "bid", "submit", taskId, "--data-points", "600", "--price", "3");
        tx("Org1", "User2", "bid", "submit", taskId, "--data-points", "400", "--price", "4");
        tx("Org2", "User3", "verifier", "register", taskId);
        tx("Org1", "User3", "verifier", "register", taskId);
        tx("Org1", "User1", "task", "resolve", taskId);
        Path model = dir.resolve("bob.onnx");
        Files.writeString(model, "bob's model bytes");
        String bobModel = ok("Org2", "User1", "model", "put", model.toString(), "--format", "ONNX", "--input-shape",
                "28,28,1", "--output-size", "2", "--labels", "0,1").out().strip();
        tx("Org2", "User1", "checkpoint", "submit", taskId, "--epoch", "1", "--model-hash", bobModel, "--metrics",
                "{\"accuracyBps\":9000}");
        Files.writeString(dir.resolve("alice.zip"), "alice's model bytes");
        tx("Org1", "User2", "checkpoint", "submit", taskId, "--epoch", "1", "--model", dir.resolve("alice.zip").toString());
        tx("Org1", "User1", "task", "end-epoch", taskId, "--back-off");
        String bob = accounts.get(1);
        String alice = accounts.get(2);
        String votes = JSON.writeValueAsString(List.of(
                java.util.Map.of("contributor", bob, "fitnessBps", 9000, "contributionBps", 100, "ownAccuracyBps", 9500),
                java.util.Map.of("contributor", alice, "fitnessBps", 9000, "contributionBps", 100, "ownAccuracyBps", 5000)));
        // issue 13 defects on the real network: a vote for a contributor that was not selected is refused
        // before committing; --votes @FILE; a second commit is refused and the first salt still reveals
        fails(ExitCodes.USAGE, "is not a selected contributor of task " + taskId, "Org2", "User3", "verifier", "commit",
                taskId, "--votes", votes.replace(alice, accounts.get(0)));
        Path votesFile = dir.resolve("votes.json");
        Files.writeString(votesFile, votes);
        tx("Org2", "User3", "verifier", "commit", taskId, "--votes", "@" + votesFile);
        fails(ExitCodes.REJECTED, "committed", "Org2", "User3", "verifier", "commit", taskId, "--votes",
                votes.replace("\"fitnessBps\":9000", "\"fitnessBps\":100"));
        tx("Org1", "User3", "verifier", "commit", taskId, "--votes", votes);
        tx("Org2", "User3", "verifier", "reveal", taskId);
        tx("Org1", "User3", "verifier", "reveal", taskId);
        JsonNode settled = tx("Org2", "User5", "task", "settle", taskId).get("result");

        // rules: bob accepted (2 of 2 votes meet MAFR 7000 and own accuracy 8000), paid 600 x 3; alice rejected
        // by her own accuracy (5000 < 8000 in both votes), her stake
        // 400 x 4 x (1 + strikes) shared by bob and the 2 revealing verifiers
        long aliceStake = 0;
        for (JsonNode c : settled.get("contributors")) {
            if (c.get("contributor").asText().equals(alice)) {
                assertThat(c.get("reason").asText()).isEqualTo("REJECTED_BY_OWN_ACCURACY");
                aliceStake = c.get("slashed").asLong();
            } else {
                assertThat(c.get("payment").asLong()).isEqualTo(600L * 3);
            }
        }
        assertThat(aliceStake % (400L * 4)).isZero();
        long share = aliceStake / 3;
        try (FusionLedgerClient reader = LedgerNetwork.client("Org2", "User5")) {
            assertThat(LedgerNetwork.changeBy(reader, bob, txs)).isEqualTo(600L * 3 + share);
            assertThat(LedgerNetwork.changeBy(reader, alice, txs)).isEqualTo(-aliceStake);
            assertThat(LedgerNetwork.changeBy(reader, accounts.get(0), txs))
                    .isEqualTo(-600L * 3 - 2 * 10 + (aliceStake - 3 * share));
            assertThat(balance("Org2", "User1")).isEqualTo(reader.balanceOf(bob).balance());
        }

        Run audit = ok("Org2", "User5", "audit", "task", taskId, "--csv", dir.resolve("m.csv").toString(),
                "--history-csv", dir.resolve("h.csv").toString());
        assertThat(audit.out()).contains("Org1MSP").contains("Org2MSP");
        assertThat(Files.readString(dir.resolve("m.csv"))).isEqualTo("subject,field,recorded,expected\n");
        assertThat(Files.readAllLines(dir.resolve("h.csv")).get(0))
                .isEqualTo("transactionId,timestamp,creatorMspId,kind,key,deleted,stateAfter");
        Run events = ok("Org1", "User1", "events", "follow", "--from-block",
                Long.toString(announced.get("blockNumber").asLong()), "--task", taskId, "--limit", "13", "--json");
        List<String> names = events.out().lines().map(l -> {
            try {
                return JSON.readTree(l).get("name").asText();
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).toList();
        assertThat(names).containsExactly("AnnounceTask", "SubmitBid", "SubmitBid", "RegisterVerifier",
                "RegisterVerifier", "ResolveBidding", "SubmitCheckpoint", "SubmitCheckpoint", "EndEpoch", "CommitVote",
                "CommitVote", "RevealVote", "RevealVote");
        fails(ExitCodes.REJECTED, "FAILED_PRECONDITION: ", "Org1", "User1", "task", "cancel", taskId);
    }
}
