package dev.fusionledger.agent.cli;

import dev.fusionledger.agent.AgentLoop;
import dev.fusionledger.agent.contributor.ContributorRole;
import dev.fusionledger.agent.contributor.Training;
import dev.fusionledger.agent.data.VerificationData;
import dev.fusionledger.agent.verifier.VerifierRole;
import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.cli.FusionLedgerCli;
import dev.fusionledger.client.cli.Table;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskState;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fusionledger agent verifier|contributor}: the unattended roles. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Run a role unattended: it watches the market's event stream and acts within the tasks' deadlines.",
        subcommands = {AgentCommand.VerifierAgent.class, AgentCommand.ContributorAgent.class})
public final class AgentCommand {
    static final String POLL_HELP = "How often every open task is looked at, 1..3600 s (default ${DEFAULT-VALUE}).";

    static void log(PrintWriter err, String line) {
        err.println(Instant.now() + " " + line);
        err.flush();
    }

    /**
     * The caller's account id; an agent started while the network is slow or restarting keeps
     * trying (every 3 s, up to 10 minutes) instead of exiting.
     */
    static String accountId(FusionLedgerClient c, PrintWriter err) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return c.clientAccountId();
            } catch (dev.fusionledger.client.LedgerException e) {
                if (attempt >= 200) {
                    throw e;
                }
                log(err, "reading your account id failed (" + e.getMessage().lines().findFirst().orElse("")
                        + "); retrying in 3 s");
                Thread.sleep(3000);
            }
        }
    }

    @Command(name = "verifier", mixinStandardHelpOptions = true,
            description = {"Register as a verifier of every bidding task whose verificationDataHash is your",
                "verification.npz; when drawn, verify, commit (votes and salt saved first) and reveal on your own.",
                "Resumes after a restart (the event stream is checkpointed, the salts are kept). Stop it with SIGTERM."},
            footer = {"", "Example:", "  fusionledger --org Org2 --user User3 agent verifier --data ~/verification"})
    static final class VerifierAgent extends FusionLedgerCli.Leaf {
        @Mixin
        VerifierOptions options;

        @Option(names = "--poll", paramLabel = "SECONDS", defaultValue = "10", description = POLL_HELP)
        long poll;

        @Override
        protected void run() throws Exception {
            options.validate();
            FusionLedgerClient c = client();
            String me = accountId(c, err());
            String dataHash = new VerificationData(options.data).verificationHash();
            ManagedChannel ch = options.channel();
            try {
                log(err(), "verifier agent " + Table.shortAccount(me) + " for data " + dataHash + ", fusion engine " + options.fusionTarget());
                AgentLoop loop = new AgentLoop(c, VerifierOptions.stateDir(root(), me).resolve("verifier-events.json"),
                        Duration.ofSeconds(poll), t -> handle(c, ch, me, dataHash, t), line -> log(err(), line));
                Runtime.getRuntime().addShutdownHook(new Thread(loop::stop));
                loop.run();
            } finally {
                VerifierOptions.close(ch);
            }
        }

        private void handle(FusionLedgerClient c, ManagedChannel ch, String me, String dataHash, Task t) throws Exception {
            if (t.state() == TaskState.BIDDING) {
                boolean registered = c.getVerifiers(t.taskId()).stream().anyMatch(v -> v.verifier().equals(me));
                if (!registered && dataHash.equalsIgnoreCase(t.spec().verificationDataHash())) {
                    String tx = c.registerVerifier(t.taskId()).transactionId();
                    log(err(), "task " + t.taskId() + ": registered as verifier, stake " + t.spec().verifierStake()
                            + " [tx " + tx + "]");
                }
            } else if (t.state() == TaskState.VERIFYING && t.drawnVerifiers().contains(me)) {
                options.role(root(), c, ch, t.taskId(), err()).step(t.taskId());
            }
        }
    }

    @Command(name = "contributor", mixinStandardHelpOptions = true,
            description = {"Bid on every bidding task whose labels are --labels (with a --model: the package's labels)",
                "and, when selected, checkpoint every ledger epoch on your own. Stop it with SIGTERM."},
            footer = {"", "Example:", "  fusionledger --org Org1 --user User1 agent contributor --data-points 500 --price 10 --model mlp.zip"})
    static final class ContributorAgent extends FusionLedgerCli.Leaf {
        @Mixin
        ContributorOptions options;

        @Option(names = "--labels", split = ",", paramLabel = "LABEL",
                description = "Bid only on tasks with exactly these labels, in order (default: the --model package's).")
        List<String> labels;

        @Option(names = "--poll", paramLabel = "SECONDS", defaultValue = "10", description = POLL_HELP)
        long poll;

        @Override
        protected void run() throws Exception {
            options.validate();
            Training training = options.training();
            List<String> want = labels;
            if (want == null && options.source.model != null) {
                try (var m = dev.fusionledger.agent.model.ModelPackages.load(
                        java.nio.file.Files.readAllBytes(options.source.model))) {
                    want = m.labels();
                }
            }
            if (want == null) {
                throw new IllegalArgumentException("--labels: required with --train-command");
            }
            List<String> taskLabels = want;
            FusionLedgerClient c = client();
            String me = accountId(c, err());
            ContributorRole role = options.role(root(), c, training, err());
            log(err(), "contributor agent " + Table.shortAccount(me) + " for tasks with labels " + taskLabels);
            AgentLoop loop = new AgentLoop(c, VerifierOptions.stateDir(root(), me).resolve("contributor-events.json"),
                    Duration.ofSeconds(poll), t -> {
                        if (t.state() == TaskState.TRAINING || t.spec().labels().equals(taskLabels)) {
                            role.step(t.taskId(), options.dataPoints, options.price);
                        }
                    }, line -> log(err(), line));
            Runtime.getRuntime().addShutdownHook(new Thread(loop::stop));
            loop.run();
        }
    }
}
