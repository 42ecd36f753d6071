package dev.fusionledger.agent.cli;

import dev.fusionledger.agent.data.VerificationData;
import dev.fusionledger.agent.verifier.FusionClient;
import dev.fusionledger.agent.verifier.Verification;
import dev.fusionledger.agent.verifier.VerifierRole;
import dev.fusionledger.client.VoteBook;
import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.cli.FusionLedgerCli;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/** The options of a verifier (verify, agent verifier) and how they make a {@link VerifierRole}. */
final class VerifierOptions {
    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Verification data directory: verification.npz (its SHA-256 is the task's "
                    + "verificationDataHash) and fusion-training.npz (docs/agents.md).")
    Path data;

    @Option(names = "--fusion-engine", paramLabel = "HOST:PORT",
            description = "The fusion engine (fusion-engine serve); default $FUSIONLEDGER_FUSION_ENGINE, else 127.0.0.1:50051.")
    String fusionEngine;

    @Option(names = "--fusion-deadline", paramLabel = "SECONDS", defaultValue = "600",
            description = "Deadline of each fusion engine call, 1..86400 s (default ${DEFAULT-VALUE}).")
    long fusionDeadline;

    @Option(names = "--fusion-epochs", paramLabel = "N", defaultValue = "100",
            description = "Epochs of the feature fusions, 2..10000 (default ${DEFAULT-VALUE}).")
    int fusionEpochs;

    @Option(names = "--fusion-learning-rate", paramLabel = "RATE", defaultValue = "0.002",
            description = "Adam step of the feature fusions, (0, 10] (default ${DEFAULT-VALUE}).")
    float fusionLearningRate;

    @Option(names = "--contribution-epochs", paramLabel = "N", defaultValue = "40",
            description = "Epochs of each fusion of the contribution game, 2..10000 (default ${DEFAULT-VALUE}).")
    int contributionEpochs;

    @Option(names = "--shapley-permutations", paramLabel = "N", defaultValue = "50",
            description = "Monte-Carlo permutations of the contribution game, 1..1000 (default ${DEFAULT-VALUE}).")
    int shapleyPermutations;

    @Option(names = "--duplicate-agreement-bps", paramLabel = "BPS", defaultValue = "9700",
            description = "Prediction agreement with an earlier model that makes a model a duplicate, 5001..10000 bps "
                    + "(default ${DEFAULT-VALUE}).")
    int duplicateAgreementBps;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of the fusions and permutations (default: from the task id, so every verifier of a "
                    + "task computes the same numbers).")
    Long seed;

    /** The fusion engine address, validated. */
    String fusionTarget() {
        String t = fusionEngine != null ? fusionEngine : System.getenv().getOrDefault("FUSIONLEDGER_FUSION_ENGINE",
                "127.0.0.1:50051");
        if (!t.matches("[A-Za-z0-9.\\-]+:[0-9]{1,5}")) {
            throw new IllegalArgumentException("--fusion-engine: must be HOST:PORT, got " + t);
        }
        return t;
    }

    /** Checks the options and the data directory. @throws IllegalArgumentException naming the option */
    void validate() {
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException("--data: " + data + " is not a directory");
        }
        if (!Files.isRegularFile(data.resolve(VerificationData.VERIFICATION))
                || !Files.isRegularFile(data.resolve(VerificationData.FUSION_TRAINING))) {
            throw new IllegalArgumentException("--data: " + data + " must hold " + VerificationData.VERIFICATION
                    + " and " + VerificationData.FUSION_TRAINING);
        }
        if (fusionDeadline < 1 || fusionDeadline > 86400) {
            throw new IllegalArgumentException("--fusion-deadline: must be in 1..86400, got " + fusionDeadline);
        }
        if (duplicateAgreementBps < 5001 || duplicateAgreementBps > 10000) {
            throw new IllegalArgumentException("--duplicate-agreement-bps: must be in 5001..10000, got "
                    + duplicateAgreementBps);
        }
        config(0);
        fusionTarget();
    }

    /** The verification settings for a task. */
    Verification.Config config(long taskSeed) {
        try {
            return new Verification.Config(fusionEpochs, fusionLearningRate, contributionEpochs, shapleyPermutations,
                    duplicateAgreementBps / 10000.0, seed != null ? seed : taskSeed);
        } catch (IllegalArgumentException e) {
            throw Flags.asFlag(e);
        }
    }

    /** The default seed of a task: the first 60 bits of its id's SHA-256. */
    static long taskSeed(String taskId) {
        return Long.parseLong(dev.fusionledger.client.store.Hashes.sha256Hex(taskId.getBytes(StandardCharsets.UTF_8))
                .substring(0, 15), 16);
    }

    /** A channel to the fusion engine; the caller shuts it down. */
    ManagedChannel channel() {
        return NettyChannelBuilder.forTarget(fusionTarget()).usePlaintext().maxInboundMessageSize(512 << 20).build();
    }

    /** The verifier role for one task. */
    VerifierRole role(FusionLedgerCli root, FusionLedgerClient client, ManagedChannel channel, String taskId,
            PrintWriter log) throws Exception {
        return new VerifierRole(client, root.modelStore(), new VerificationData(data),
                new Verification(new FusionClient(channel, fusionDeadline), config(taskSeed(taskId))),
                votes(root), line -> {
                    log.println(Instant.now() + " " + line);
                    log.flush();
                }, () -> Instant.now().getEpochSecond(), root.stateDir().resolve("reports"))
                .withEnrolmentKey(root.enrolmentKey());
    }

    /** The CLI's vote book ({@code verifier commit}/{@code reveal} use the same one). */
    static VoteBook votes(FusionLedgerCli root) {
        return new VoteBook(root.stateDir().resolve("votes"));
    }

    /** The agent state of one identity: event checkpoints, training files. */
    static Path stateDir(FusionLedgerCli root, String account) {
        return root.stateDir().resolve("agent").resolve(dev.fusionledger.client.store.Hashes.sha256Hex(
                account.getBytes(StandardCharsets.UTF_8)).substring(0, 16));
    }

    /** Shuts a channel down. */
    static void close(ManagedChannel channel) throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
