package dev.fusionledger.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fusionledger.client.cli.InMemoryCli.Result;
import dev.fusionledger.client.store.Hashes;
import dev.fusionledger.client.testing.Scenario;
import dev.fusionledger.ledger.TaskState;
import dev.fusionledger.ledger.Vote;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression tests of the defects of issue 13 ("found when tried as a new user would"), each on the
 * market's real rules in memory: the CLI's exit code and one-line message, and the ledger state
 * (whole world state compared) and the CLI's saved files after the call.
 */
class CliDefectsTest {
    @TempDir
    Path tmp;

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

    /** Runs {@code args}, expects {@code code} and one line containing {@code message}, and no state change. */
    Result rejected(int code, String message, String... args) {
        byte[] before = s.market.snapshot();
        int events = s.market.events().size();
        Result r = cli(args);
        assertThat(r.code()).as(r.err()).isEqualTo(code);
        assertThat(r.err().lines().toList()).as(r.err()).hasSize(1);
        assertThat(r.err()).startsWith("fusionledger: ").contains(message).doesNotContain("\tat ")
                .doesNotContain("com.fasterxml").doesNotContain("java.").doesNotContain("Exception")
                .doesNotContain("dev.fusionledger");
        assertThat(s.market.snapshot()).as("world state unchanged").isEqualTo(before);
        assertThat(s.market.events()).hasSize(events);
        return r;
    }

    String votesFor(String contributor, int fitness) {
        return "[{\"contributor\":\"" + contributor + "\",\"fitnessBps\":" + fitness
                + ",\"contributionBps\":100,\"ownAccuracyBps\":9500}]";
    }

    /** A task in VERIFYING: alice (Org1 User2) selected with checkpoints for both epochs, v1 and v2 drawn. */
    String verifying() throws Exception {
        String t = s.initiator.announceTask(Scenario.spec()).value().taskId();
        s.alice.submitBid(t, 1500, 4);
        s.v1.registerVerifier(t);
        s.v2.registerVerifier(t);
        s.initiator.resolveBidding(t);
        var metrics = JsonNodeFactory.instance.objectNode().put("accuracyBps", 9300);
        s.alice.submitCheckpoint(t, 1, Hashes.sha256Hex("a1".getBytes(StandardCharsets.UTF_8)), metrics);
        s.initiator.endEpoch(t, true);
        s.alice.submitCheckpoint(t, 2, Hashes.sha256Hex("a2".getBytes(StandardCharsets.UTF_8)), metrics);
        s.initiator.endEpoch(t, false);
        assertThat(s.initiator.getTask(t).state()).isEqualTo(TaskState.VERIFYING);
        return t;
    }

    List<Path> stateFiles() throws Exception {
        Path dir = tmp.resolve("state").resolve("votes");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> f = Files.list(dir)) {
            return f.sorted().toList();
        }
    }

    // ---- defect 1: a rejected commit never replaces the saved salt --------------------------------

    @Test
    void secondCommitIsRefusedAndTheFirstSaltStillReveals() throws Exception {
        String t = verifying();
        String alice = s.alice.clientAccountId();
        Result first = cli("--user", "User3", "verifier", "commit", t, "--votes", votesFor(alice, 9100));
        assertThat(first.code()).as(first.err()).isZero();
        List<Path> saved = stateFiles();
        List<byte[]> savedBytes = new ArrayList<>();
        for (Path p : saved) {
            savedBytes.add(Files.readAllBytes(p));
        }
        rejected(ExitCodes.REJECTED, "committed", "--user", "User3", "verifier", "commit", t, "--votes", votesFor(alice, 100));
        assertThat(stateFiles()).isEqualTo(saved);
        for (int i = 0; i < saved.size(); i++) {
            assertThat(Files.readAllBytes(saved.get(i))).isEqualTo(savedBytes.get(i));
        }
        assertThat(cli("--org", "Org2", "--user", "User3", "verifier", "commit", t, "--votes", votesFor(alice, 9200)).code())
                .isZero();
        Result reveal = cli("--user", "User3", "verifier", "reveal", t);
        assertThat(reveal.code()).as(reveal.err()).isZero();
        String v1 = s.v1.clientAccountId();
        Vote v = s.initiator.getVotes(t).stream().filter(x -> x.verifier().equals(v1)).findFirst().orElseThrow();
        assertThat(v.votes().get(0).fitnessBps()).isEqualTo(9100);
    }

    @Test
    void revealWithoutASavedCommitmentSaysWhatToGive() throws Exception {
        String t = verifying();
        rejected(ExitCodes.USAGE, "votes: no saved commitment for task " + t, "--user", "User3", "verifier", "reveal", t);
    }

    @Test
    void aCommitTheChaincodeRejectsLeavesNoFileBehind() throws Exception {
        String t = verifying();
        String alice = s.alice.clientAccountId();
        assertThat(cli("--user", "User3", "verifier", "commit", t, "--votes", votesFor(alice, 9100)).code()).isZero();
        List<Path> saved = stateFiles();
        s.market.advance(61); // past the commit deadline: checked by the chaincode only
        rejected(ExitCodes.REJECTED, "FAILED_PRECONDITION: commitDeadline", "--org", "Org2", "--user", "User3",
                "verifier", "commit", t, "--votes", votesFor(alice, 9100));
        assertThat(stateFiles()).isEqualTo(saved);
    }

    @Test
    void aCommitAcceptedByTheLedgerButNotRecordedLocallyIsStillRevealed() throws Exception {
        String t = verifying();
        String alice = s.alice.clientAccountId();
        var book = new dev.fusionledger.client.VoteBook(tmp.resolve("state").resolve("votes"));
        var pending = book.prepare(t, s.v1.clientAccountId(),
                List.of(new dev.fusionledger.ledger.VoteEntry(alice, 9300, 100, 9500)), null);
        s.v1.commitVote(t, pending.commitment()); // the process "dies" before book.accepted(pending)
        assertThat(book.saved(t, s.v1.clientAccountId())).isEmpty();
        s.market.advance(61);
        Result reveal = cli("--user", "User3", "verifier", "reveal", t);
        assertThat(reveal.code()).as(reveal.err()).isZero();
        assertThat(s.initiator.getVotes(t).get(0).votes().get(0).fitnessBps()).isEqualTo(9300);
    }

    // ---- defect 2: the spec as the chaincode reads it ---------------------------------------------

    @Test
    void specWithDuplicateKeysStringNumbersOrFractionsIsRejected() throws Exception {
        String valid = FusionLedgerCli.JSON.writeValueAsString(Scenario.spec()).replaceAll("\\s", "");
        String[][] cases = {
            {valid.replace("\"mafrBps\":8000", "\"mafrBps\":8000,\"mafrBps\":100"), "Duplicate field 'mafrBps'"},
            {valid.replace("\"rewardBudget\":10000", "\"rewardBudget\":\"10000\""), "rewardBudget: must be an integer in"},
            {valid.replace("\"rewardBudget\":10000", "\"rewardBudget\":9000.7"), "rewardBudget: must be an integer in"},
            {valid.replace("\"maxEpochs\":2", "\"maxEpochs\":2,\"colour\":\"red\""), "colour: unknown field"},
        };
        assertThat(valid).contains("\"mafrBps\":8000").contains("\"rewardBudget\":10000").contains("\"maxEpochs\":2");
        for (String[] c : cases) {
            Path spec = tmp.resolve("spec.json");
            Files.writeString(spec, c[0]);
            rejected(ExitCodes.USAGE, c[1], "task", "announce", "--spec", spec.toString());
            // options for other fields do not launder the file
            rejected(ExitCodes.USAGE, c[1], "task", "announce", "--spec", spec.toString(), "--verifier-fee", "100");
        }
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, valid);
        Result ok = cli("--json", "task", "announce", "--spec", spec.toString());
        assertThat(ok.code()).as(ok.err()).isZero();
        String taskId = FusionLedgerCli.JSON.readTree(ok.out()).get("result").get("taskId").asText();
        assertThat(s.initiator.getTask(taskId).spec()).isEqualTo(Scenario.spec());
    }

    @Test
    void votesAndMetricsWithDuplicateKeysAreRejectedNotRepaired() throws Exception {
        String t = verifying();
        String dup = "[{\"contributor\":\"" + s.alice.clientAccountId()
                + "\",\"fitnessBps\":100,\"fitnessBps\":9900,\"contributionBps\":100,\"ownAccuracyBps\":9500}]";
        rejected(ExitCodes.USAGE, "votes: not valid JSON (Duplicate field 'fitnessBps')", "--user", "User3", "verifier",
                "commit", t, "--votes", dup);
        assertThat(stateFiles()).isEmpty();
        String t2 = s.initiator.announceTask(Scenario.spec()).value().taskId();
        s.alice.submitBid(t2, 1500, 4);
        s.initiator.resolveBidding(t2);
        rejected(ExitCodes.USAGE, "metrics: not valid JSON (Duplicate field 'loss')", "--user", "User2", "checkpoint",
                "submit", t2, "--epoch", "1", "--model-hash", "a".repeat(64), "--metrics", "{\"loss\":1,\"loss\":0}");
        rejected(ExitCodes.USAGE, "metrics: not valid JSON", "--user", "User2", "checkpoint", "submit", t2, "--epoch", "1",
                "--model-hash", "a".repeat(64), "--metrics", "{} {}");
    }

    // ---- defect 3: @FILE arguments ----------------------------------------------------------------

    @Test
    void votesAndMetricsFromFiles() throws Exception {
        String t = verifying();
        Path votes = tmp.resolve("votes.json");
        Files.writeString(votes, votesFor(s.alice.clientAccountId(), 9100));
        Result c = cli("--user", "User3", "verifier", "commit", t, "--votes", "@" + votes);
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.err()).isEmpty();
        rejected(ExitCodes.USAGE, "votes: file not found: " + tmp.resolve("nope.json"), "--org", "Org2", "--user", "User3",
                "verifier", "commit", t, "--votes", "@" + tmp.resolve("nope.json"));

        String t2 = s.initiator.announceTask(Scenario.spec()).value().taskId();
        s.alice.submitBid(t2, 1500, 4);
        s.initiator.resolveBidding(t2);
        Path metrics = tmp.resolve("metrics.json");
        Files.writeString(metrics, "{\"accuracyBps\":9400,\"loss\":0.25}");
        Result m = cli("--user", "User2", "checkpoint", "submit", t2, "--epoch", "1", "--model-hash", "a".repeat(64),
                "--metrics", "@" + metrics);
        assertThat(m.code()).as(m.err()).isZero();
        assertThat(s.initiator.getCheckpoints(t2).get(0).metrics().get("accuracyBps").asInt()).isEqualTo(9400);
    }

    // ---- defect 4: the manifest is checked ----------------------------------------------------------

    @Test
    void anEditedManifestFailsVerifyAndGet() throws Exception {
        Path model = tmp.resolve("model.bin");
        Files.writeString(model, "weights");
        Result put = cli("model", "put", model.toString(), "--format", "ONNX", "--input-shape", "28,28,1",
                "--output-size", "3", "--labels", "0,1,2");
        assertThat(put.code()).as(put.err()).isZero();
        String id = put.out().strip();
        assertThat(cli("model", "verify", id).code()).isZero();
        Path manifest;
        try (Stream<Path> f = Files.walk(tmp.resolve("store"))) {
            manifest = f.filter(p -> p.getFileName().toString().equals(id + ".manifest.json")).findFirst().orElseThrow();
        }
        String text = Files.readString(manifest);
        assertThat(text).contains("\"outputSize\":3");
        Files.writeString(manifest, text.replace("\"outputSize\":3", "\"outputSize\":4").replace("\"labels\":[\"0\",\"1\",\"2\"]",
                "\"labels\":[\"0\",\"1\",\"2\",\"3\"]"));
        for (String cmd : new String[] {"verify", "get"}) {
            Result r = cli("model", cmd, id);
            assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.INTEGRITY);
            assertThat(r.err()).contains("manifest").contains("modified");
        }
        Files.writeString(manifest, "{\"format\":\"ONNX\",\"inputShape\":[28,28,1],\"outputSize\":3,\"labels\":[]}");
        Result legacy = cli("model", "get", id);
        assertThat(legacy.code()).isEqualTo(ExitCodes.INTEGRITY);
        assertThat(legacy.err()).contains("put the model again").doesNotContain("com.fasterxml");
        assertThat(cli("model", "put", model.toString(), "--format", "ONNX", "--input-shape", "28,28,1",
                "--output-size", "3").code()).isZero();
        assertThat(cli("model", "get", id).code()).isZero();
    }

    // ---- defect 5: what the reveal will check is checked before the commit ---------------------------

    @Test
    void aVoteForAContributorThatWasNotSelectedIsRefusedBeforeCommitting() throws Exception {
        String t = verifying();
        rejected(ExitCodes.USAGE, "is not a selected contributor of task " + t, "--user", "User3", "verifier", "commit", t,
                "--votes", votesFor(s.carol.clientAccountId(), 9000));
        assertThat(stateFiles()).isEmpty();
        rejected(ExitCodes.DENIED, "not a drawn verifier", "--org", "Org2", "--user", "User2", "verifier", "commit", t,
                "--votes", votesFor(s.alice.clientAccountId(), 9000));
        String bidding = s.initiator.announceTask(Scenario.spec()).value().taskId();
        rejected(ExitCodes.REJECTED, "is BIDDING", "--user", "User3", "verifier", "commit", bidding,
                "--votes", votesFor(s.alice.clientAccountId(), 9000));
        assertThat(stateFiles()).isEmpty();
    }

    // ---- defect 6: messages ------------------------------------------------------------------------

    @Test
    void missingSpecFileIsReportedAsMissing() {
        rejected(ExitCodes.USAGE, "spec: file not found: " + tmp.resolve("task.json"), "task", "announce", "--spec",
                tmp.resolve("task.json").toString());
    }

    @Test
    void amountsBeyond64BitsNameTheAllowedRange() {
        rejected(ExitCodes.USAGE, "must be an integer in 1..1000000000000000, got '9223372036854775808'", "--user", "Admin",
                "account", "mint", "9223372036854775808");
        rejected(ExitCodes.USAGE, "must be an integer in 1..1000000000000, got '99999999999999999999'", "bid", "submit",
                "0".repeat(64), "--data-points", "99999999999999999999", "--price", "1");
        rejected(ExitCodes.USAGE, "must be an integer in 1..31536000, got '9223372036854775808'", "task", "announce",
                "--epoch-seconds", "9223372036854775808");
    }

    @Test
    void taskIdRangeIsTheChaincodes() {
        rejected(ExitCodes.USAGE, "taskId: must be 1..128 characters, got 129", "task", "cancel", "a".repeat(129));
    }

    @Test
    void controlCharactersAreEscaped() {
        Result r = rejected(ExitCodes.NOT_FOUND, "NOT_FOUND", "task", "show", "ab\u001b[2Jc\u0007d");
        assertThat(r.err()).contains("ab\\u001b[2Jc\\u0007d").doesNotContain("\u001b").doesNotContain("\u0007");
        Result u = rejected(ExitCodes.USAGE, "Unmatched argument", "task", "x\u001b]0;pwned\u0007");
        assertThat(u.err()).doesNotContain("\u001b");
    }

    @Test
    void unknownCommandWithHelpIsAnError() {
        Result r = rejected(ExitCodes.USAGE, "unknown command 'nosuch' (see `fusionledger --help`)", "nosuch", "--help");
        assertThat(r.out()).isEmpty();
        rejected(ExitCodes.USAGE, "unknown command 'frobnicate' (see `fusionledger task --help`)", "task", "frobnicate",
                "--help");
        Result help = cli("task", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: fusionledger task");
    }

    @Test
    void classNamesAreRemovedFileNamesKept() {
        assertThat(FusionLedgerCli.withoutClassNames(
                "Cannot deserialize value of type `java.util.ArrayList<dev.fusionledger.ledger.VoteEntry>` from Object"))
                .isEqualTo("Cannot deserialize value of type a value from Object");
        assertThat(FusionLedgerCli.withoutClassNames("com.fasterxml.jackson.core.JsonParseException: Unexpected"))
                .isEqualTo("a value: Unexpected");
        assertThat(FusionLedgerCli.withoutClassNames("spec: file not found: /tmp/java.json"))
                .isEqualTo("spec: file not found: /tmp/java.json");
        assertThat(FusionLedgerCli.printable("a\tb\u009bc\u007f")).isEqualTo("a\\u0009b\\u009bc\\u007f");
    }

    @Test
    void corruptSavedCommitmentIsReportedWithoutJacksonInternals() throws Exception {
        String t = verifying();
        assertThat(cli("--user", "User3", "verifier", "commit", t, "--votes", votesFor(s.alice.clientAccountId(), 9100))
                .code()).isZero();
        Path f = stateFiles().get(0);
        Files.writeString(f, "{\"taskId\":\"" + t + "\",\"votes\":[{\"contributor\":");
        s.market.advance(61);
        Result r = rejected(ExitCodes.ERROR, "", "--user", "User3", "verifier", "reveal", t);
        assertThat(r.err()).doesNotContain("Source").doesNotContain("[line");
    }

    @Test
    void certificateAndKeyOfDifferentIdentitiesAreAProfileProblem() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.KeyPair owner = g.generateKeyPair();
        java.security.KeyPair other = g.generateKeyPair();
        var name = new org.bouncycastle.asn1.x500.X500Name("CN=User1@org1.example.com,OU=client");
        var now = new java.util.Date();
        var cert = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(
                new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, java.math.BigInteger.ONE, now,
                        new java.util.Date(now.getTime() + 86_400_000L), name, owner.getPublic())
                        .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                                .build(owner.getPrivate())));
        Path certFile = tmp.resolve("cert.pem");
        Path keyFile = tmp.resolve("key.pem");
        Path ownKeyFile = tmp.resolve("own-key.pem");
        Path ca = tmp.resolve("ca.pem");
        pem(certFile, cert);
        pem(keyFile, other.getPrivate());
        pem(ownKeyFile, owner.getPrivate());
        pem(ca, cert);
        Path profile = tmp.resolve("profile.json");
        String text = """
                {"version":1,"name":"t","channel":"fusionledger","chaincode":"fusionledger","organizations":[
                 {"mspId":"Org1MSP","domain":"org1.example.com",
                  "peers":[{"name":"peer0.org1.example.com","endpoint":"127.0.0.1:1","tlsCaCert":"%s"}],
                  "users":{"User1":{"certificate":"%s","privateKey":"%s"}}}]}
                """;
        Files.writeString(profile, text.formatted(ca, certFile, keyFile));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FusionLedgerCli.run(ClientFactory.gateway(), new PrintWriter(out), new PrintWriter(err),
                "--profile", profile.toString(), "account", "id");
        assertThat(code).as(err.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(err.toString()).contains("privateKey: " + keyFile + " does not belong to certificate " + certFile);
        assertThat(err.toString().lines().toList()).hasSize(1);
        // the matching key gets past the check (and then fails on the unreachable peer, not as CONFIG)
        Files.writeString(profile, text.formatted(ca, certFile, ownKeyFile));
        StringWriter err2 = new StringWriter();
        int code2 = FusionLedgerCli.run(ClientFactory.gateway(), new PrintWriter(new StringWriter()), new PrintWriter(err2),
                "--profile", profile.toString(), "account", "id");
        assertThat(code2).as(err2.toString()).isNotEqualTo(ExitCodes.CONFIG);
        assertThat(err2.toString()).doesNotContain("does not belong");
    }

    private static void pem(Path file, Object value) throws Exception {
        try (var w = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(Files.newBufferedWriter(file))) {
            if (value instanceof java.security.PrivateKey k) {
                w.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null));
            } else {
                w.writeObject(value);
            }
        }
    }
}
