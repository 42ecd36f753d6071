package dev.fusionledger.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionledger.agent.data.VerificationData;
import dev.fusionledger.agent.model.ModelPackages;
import dev.fusionledger.agent.model.PortableManifest;
import dev.fusionledger.agent.verifier.FusionEngineProcess;
import dev.fusionledger.client.VoteBook;
import dev.fusionledger.chaincode.it.FabricNetwork;
import dev.fusionledger.client.ConnectionProfile;
import dev.fusionledger.client.Deadlines;
import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.audit.Auditor;
import dev.fusionledger.ledger.Bid;
import dev.fusionledger.ledger.ContributorOutcome;
import dev.fusionledger.ledger.ContributorReason;
import dev.fusionledger.ledger.Settlement;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskSpec;
import dev.fusionledger.ledger.TaskState;
import dev.fusionledger.ledger.Verifier;
import dev.fusionledger.ledger.Vote;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The roles as a user runs them, on the real network: three verifier agents (both orgs) and two
 * contributor agents as separate {@code fusionledger agent} processes, a real fusion engine
 * process, ONNX models exported by the onnx package (scripts/make-fixtures.sh). The honest model is
 * accepted and paid; the untrained one (a free rider) is rejected and slashed. The fusion engine is
 * killed as verification starts and started again: nobody commits while it is down. One verifier is
 * stopped before the draw and started again later, another is killed right after its commit and
 * restarted: all three reveal.
 */
class AgentIT {
    static final Path FIXTURES = Path.of(System.getProperty("fusionledger.fixtures", "target/fixtures"));
    static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    static final long CREDITS = 5_000_000;
    static final int FUSION_PORT = 50083;

    static Path profile;
    static Path engineDir;
    static FusionEngineProcess engine;
    static final List<AgentProcess> processes = new ArrayList<>();

    @BeforeAll
    static void up(@TempDir Path tmp) throws Exception {
        FabricNetwork.ensureUp();
        profile = ConnectionProfile.defaultPath();
        engineDir = tmp;
        startEngine();
    }

    static void startEngine() throws Exception {
        engine = FusionEngineProcess.start(FabricNetwork.ROOT.resolve("fusion-engine/target/fusion-engine.jar"),
                FUSION_PORT, Files.createDirectories(engineDir.resolve("fusion-models")),
                engineDir.resolve("fusion-engine.log"), 90);
        System.out.println("fusion engine pid " + engine.pid() + " on port " + FUSION_PORT);
    }

    @AfterAll
    static void down() throws Exception {
        for (AgentProcess p : processes) {
            p.stop();
        }
        if (engine != null) {
            engine.close();
        }
    }

    static FusionLedgerClient client(String org, String user) throws Exception {
        return FusionLedgerClient.builder().profile(ConnectionProfile.load(profile)).organization(org).user(user)
                .deadlines(new Deadlines(Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(20),
                        Duration.ofMinutes(2)))
                .endorseRetries(10, Duration.ofMillis(200)).connect();
    }

    static AgentProcess agent(Path dir, String name, String org, String user, Path store, String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of("--profile", profile.toString(), "--org", org, "--user", user,
                "--store", store.toString(), "--state-dir", dir.resolve(name).toString()));
        a.addAll(List.of(args));
        AgentProcess p = new AgentProcess(dir.resolve(name + ".log"), a);
        processes.add(p);
        return p;
    }

    static void fund(List<String> accounts) throws Exception {
        try (FusionLedgerClient a1 = client("Org1", "Admin"); FusionLedgerClient a2 = client("Org2", "Admin")) {
            dev.fusionledger.client.testing.Treasury.fund(List.of(a1, a2), accounts, CREDITS);
        }
    }

    static <T> T await(String what, long seconds, Callable<T> probe) throws Exception {
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        while (true) {
            T v = probe.call();
            if (v != null && !Boolean.FALSE.equals(v)) {
                return v;
            }
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(250);
        }
    }

    static byte[] pack(String onnx) throws Exception {
        return ModelPackages.pack(new PortableManifest(PortableManifest.ONNX, List.of(1, 28, 28), "input", "features",
                500, "scores", "softmax", DIGITS, List.of(), "numpy + onnx (agent/scripts/onnx_fixture.py)"),
                Files.readAllBytes(FIXTURES.resolve(onnx)));
    }

    @Test
    void agentsRunATaskUnattendedAndSurviveRestarts(@TempDir Path dir) throws Exception {
        Path store = Files.createDirectories(dir.resolve("models"));
        Path honest = Files.write(dir.resolve("honest.zip"), pack("mlp-trained.onnx"));
        Path freeRider = Files.write(dir.resolve("untrained.zip"), pack("mlp-untrained.onnx"));
        String[] verifierArgs = {"agent", "verifier", "--data", FIXTURES.toString(), "--fusion-engine",
            "127.0.0.1:" + FUSION_PORT, "--poll", "2", "--fusion-epochs", "40", "--contribution-epochs", "20",
            "--shapley-permutations", "20"};
        Map<String, AgentProcess> verifiers = new LinkedHashMap<>();
        verifiers.put("V1", agent(dir, "v1", "Org1", "User5", store, verifierArgs));
        verifiers.put("V2", agent(dir, "v2", "Org2", "User5", store, verifierArgs));
        verifiers.put("V3", agent(dir, "v3", "Org2", "User6", store, verifierArgs));
        AgentProcess c1 = agent(dir, "c1", "Org1", "User4", store, "agent", "contributor", "--data-points", "7000",
                "--price", "10", "--model", honest.toString(), "--poll", "2");
        AgentProcess c2 = agent(dir, "c2", "Org2", "User4", store, "agent", "contributor", "--data-points", "7000",
                "--price", "10", "--model", freeRider.toString(), "--poll", "2");

        try (FusionLedgerClient initiator = client("Org1", "User3");
                FusionLedgerClient v1 = client("Org1", "User5"); FusionLedgerClient v2 = client("Org2", "User5");
                FusionLedgerClient v3 = client("Org2", "User6"); FusionLedgerClient k1 = client("Org1", "User4");
                FusionLedgerClient k2 = client("Org2", "User4")) {
            Map<String, String> account = new LinkedHashMap<>();
            account.put("V1", v1.clientAccountId());
            account.put("V2", v2.clientAccountId());
            account.put("V3", v3.clientAccountId());
            String honestAcct = k1.clientAccountId();
            String riderAcct = k2.clientAccountId();
            fund(List.of(initiator.clientAccountId(), account.get("V1"), account.get("V2"), account.get("V3"),
                    honestAcct, riderAcct));
            long strikesBefore = initiator.getReputation(riderAcct).strikes();
            for (AgentProcess p : verifiers.values()) {
                p.start();
            }
            c1.start();
            c2.start();
            System.out.println("agents started: pids " + processes.stream().map(AgentProcess::pid).toList());
            String dataHash = new VerificationData(FIXTURES).verificationHash();
            TaskSpec spec = new TaskSpec(DIGITS, List.of(1, 28, 28), dataHash, null, 8500, 300, 8000, 14000,
                    140_000, 100, 3, 500, 1, 3600, 1000, 600, 600, 600);
            String taskId = initiator.announceTask(spec).value().taskId();
            System.out.println("task " + taskId + " announced");

            // the agents register and bid on their own
            await("3 verifiers and 2 bids", 120, () -> initiator.getVerifiers(taskId).size() == 3
                    && initiator.getBids(taskId).size() == 2);
            verifiers.get("V3").stop(); // stopped before the draw; it must catch up after restarting
            Task t = initiator.resolveBidding(taskId).value();
            assertThat(t.state()).isEqualTo(TaskState.TRAINING);
            assertThat(t.selectedBidders()).containsExactlyInAnyOrder(honestAcct, riderAcct);
            await("2 checkpoints", 120, () -> initiator.getCheckpoints(taskId).size() == 2);
            t = initiator.endEpoch(taskId, false).value();
            assertThat(t.state()).isEqualTo(TaskState.VERIFYING);
            assertThat(t.drawnVerifiers()).containsExactlyInAnyOrderElementsOf(account.values());

            // the fusion engine dies as verification starts: the verifiers see UNAVAILABLE, commit nothing, retry
            ProcessHandle.of(engine.pid()).ifPresent(ProcessHandle::destroyForcibly);
            await("the verifiers to find the fusion engine down", 120, () -> verifiers.get("V1").logText()
                    .contains("UNAVAILABLE") && verifiers.get("V2").logText().contains("UNAVAILABLE"));
            assertThat(initiator.getVerifiers(taskId)).allMatch(v -> v.commitment() == null);
            engine.close();
            startEngine();

            // V1 crashes right after its commit; reveals stay closed while V3 is down
            await("V1's commitment", 300, () -> commitment(initiator, taskId, account.get("V1")));
            verifiers.get("V1").kill();
            await("V2's commitment", 300, () -> commitment(initiator, taskId, account.get("V2")));
            assertThat(initiator.getVotes(taskId)).as("no reveal before every drawn verifier committed").isEmpty();
            long t0 = System.nanoTime();
            verifiers.get("V3").start();
            await("V3's commitment", 300, () -> commitment(initiator, taskId, account.get("V3")));
            await("V2's and V3's reveals", 120, () -> initiator.getVotes(taskId).size() == 2);
            verifiers.get("V1").start();
            await("V1's reveal after its restart", 120, () -> initiator.getVotes(taskId).size() == 3);
            System.out.printf("restarted verifiers caught up in %.1f s%n", (System.nanoTime() - t0) / 1e9);

            Settlement st = initiator.settle(taskId).value();
            Map<String, ContributorOutcome> out = new LinkedHashMap<>();
            st.contributors().forEach(o -> out.put(o.contributor(), o));
            Bid honestBid = initiator.getBids(taskId).stream().filter(b -> b.bidder().equals(honestAcct)).findFirst()
                    .orElseThrow();
            assertThat(out.get(honestAcct).accepted()).isTrue();
            assertThat(out.get(honestAcct).payment()).isEqualTo(honestBid.maxEarnings());
            assertThat(out.get(riderAcct).accepted()).isFalse();
            assertThat(out.get(riderAcct).reason()).isIn(ContributorReason.REJECTED_BY_OWN_ACCURACY,
                    ContributorReason.REJECTED_BY_CONTRIBUTION, ContributorReason.REJECTED_BY_FITNESS);
            assertThat(out.get(riderAcct).slashed()).isPositive();
            assertThat(initiator.getReputation(riderAcct).strikes()).isEqualTo(strikesBefore + 1);
            assertThat(st.revealedVerifiers()).containsExactlyInAnyOrderElementsOf(account.values());
            for (Vote v : initiator.getVotes(taskId)) {
                var own = v.votes().stream().filter(e -> e.contributor().equals(honestAcct)).findFirst().orElseThrow();
                var rider = v.votes().stream().filter(e -> e.contributor().equals(riderAcct)).findFirst().orElseThrow();
                assertThat(own.fitnessBps()).isGreaterThanOrEqualTo(8500);
                assertThat(own.ownAccuracyBps()).isGreaterThan(9000);
                assertThat(rider.ownAccuracyBps()).isLessThan(2000);
            }
            // the crashed verifier revealed what it had saved before its commit (killed right after the
            // commit, it may not have promoted the pending entry: the book finds it by the ledger's commitment)
            Vote revealed = initiator.getVotes(taskId).stream().filter(v -> v.verifier().equals(account.get("V1")))
                    .findFirst().orElseThrow();
            VoteBook.Entry saved = new VoteBook(dir.resolve("v1/votes"))
                    .find(taskId, account.get("V1"), revealed.commitment()).orElseThrow();
            assertThat(revealed.salt()).isEqualTo(saved.salt());
            assertThat(revealed.votes()).isEqualTo(saved.votes());
            assertThat(initiator.totals().conserved()).isTrue();
            assertThat(new Auditor(initiator).auditTask(taskId).consistent()).isTrue();
        } finally {
            for (AgentProcess p : processes) {
                p.stop();
                System.out.println("---- " + p.pid() + "\n" + tail(p.logText(), 2500));
            }
        }
    }

    static Boolean commitment(FusionLedgerClient c, String taskId, String verifier) throws Exception {
        for (Verifier v : c.getVerifiers(taskId)) {
            if (v.verifier().equals(verifier) && v.commitment() != null) {
                return true;
            }
        }
        return false;
    }

    static String tail(String s, int n) {
        return s.length() <= n ? s : s.substring(s.length() - n);
    }
}
