package dev.fusionledger.agent.cli;

import dev.fusionledger.agent.verifier.Verification;
import dev.fusionledger.agent.verifier.VerifierRole;
import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.cli.FusionLedgerCli;
import dev.fusionledger.client.cli.Table;
import dev.fusionledger.ledger.VoteEntry;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fusionledger verify TASK}: the verifier's whole job for one task. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify a task as one of its drawn verifiers: fetch and hash-check the final models, check the",
            "verification data against the task's hash, fuse and score through the fusion engine, commit the votes",
            "(saving votes and salt first), wait until reveals open and reveal. Prints the votes."},
        footer = {"", "Example:", "  fusionledger --org Org2 --user User3 verify 3f1c...e9 --data ~/verification --fusion-engine 127.0.0.1:50051"})
public final class VerifyCommand extends FusionLedgerCli.Leaf {
    @Parameters(index = "0", paramLabel = "TASK_ID")
    String taskId;

    @Mixin
    VerifierOptions options;

    @Option(names = "--commit-only", description = "Stop after the commit; reveal later with `verify` again or the agent.")
    boolean commitOnly;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "3600",
            description = "Longest wait for reveals to open, 0..86400 s (default ${DEFAULT-VALUE}).")
    long waitSeconds;

    @Override
    protected void run() throws Exception {
        options.validate();
        if (waitSeconds < 0 || waitSeconds > 86400) {
            throw new IllegalArgumentException("--wait: must be in 0..86400, got " + waitSeconds);
        }
        FusionLedgerClient c = client();
        ManagedChannel ch = options.channel();
        try {
            VerifierRole role = options.role(root(), c, ch, taskId, err());
            long until = System.nanoTime() + waitSeconds * 1_000_000_000L;
            List<VerifierRole.Outcome> steps = new ArrayList<>();
            VerifierRole.Outcome o;
            while (true) {
                try {
                    o = role.step(taskId);
                } catch (dev.fusionledger.agent.data.VerificationData.DataMismatchException e) {
                    throw new FusionLedgerCli.IntegrityFailure(e.getMessage() + "; no vote committed", e);
                }
                steps.add(o);
                boolean finished = switch (o.action()) {
                    case REVEALED, DONE, TOO_LATE, NOTHING_TO_DO -> true;
                    case COMMITTED -> commitOnly;
                    case WAITING_FOR_REVEAL -> commitOnly || System.nanoTime() > until;
                    case WAITING_FOR_KEYS -> System.nanoTime() > until;
                };
                if (finished) {
                    break;
                }
                if (o.action() == VerifierRole.Action.WAITING_FOR_REVEAL || o.action() == VerifierRole.Action.WAITING_FOR_KEYS) {
                    Thread.sleep(2000);
                }
            }
            print(steps, o);
            if (o.action() == VerifierRole.Action.NOTHING_TO_DO && steps.size() == 1) {
                throw new IllegalStateException("task " + taskId + " is not verifying, or you are not one of its drawn verifiers");
            }
            if (o.action() == VerifierRole.Action.TOO_LATE) {
                throw new IllegalStateException("task " + taskId + ": the " + (o.votes().isEmpty() ? "commit" : "reveal")
                        + " deadline has passed");
            }
        } finally {
            VerifierOptions.close(ch);
        }
    }

    private void print(List<VerifierRole.Outcome> steps, VerifierRole.Outcome last) throws Exception {
        Verification.Report report = steps.stream().map(VerifierRole.Outcome::report).filter(r -> r != null)
                .findFirst().orElse(null);
        List<VoteEntry> votes = last.votes();
        if (json()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("taskId", taskId);
            out.put("status", last.action());
            out.put("votes", votes);
            out.put("transactions", steps.stream().filter(s -> s.transactionId() != null)
                    .map(s -> Map.of("action", s.action(), "transactionId", s.transactionId())).toList());
            if (report != null) {
                out.put("report", report);
            }
            root().printJson(out);
            return;
        }
        Table t = new Table("CONTRIBUTOR", "FITNESS_BPS", "CONTRIBUTION_BPS", "OWN_ACCURACY_BPS", "FINDING");
        for (VoteEntry v : votes) {
            String finding = "";
            if (report != null) {
                Verification.ModelFinding f = report.models().stream().filter(m -> m.account().equals(v.contributor()))
                        .findFirst().orElse(null);
                finding = f == null ? "" : f.problem() != null ? "invalid: " + f.problem()
                        : f.duplicateOf() != null ? "duplicate of " + Table.shortAccount(f.duplicateOf())
                        : f.eligible() ? "fused" : "below the task's minimum own accuracy";
            }
            t.row(v.contributor(), v.fitnessBps(), v.contributionBps(), v.ownAccuracyBps(), finding);
        }
        t.print(out());
        for (VerifierRole.Outcome s : steps) {
            if (s.transactionId() != null) {
                out().println(s.action().name().toLowerCase(java.util.Locale.ROOT) + " in transaction " + s.transactionId());
            }
        }
        out().println("status: " + last.action().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        out().flush();
    }
}
