package dev.fusionledger.agent.cli;

import dev.fusionledger.agent.contributor.ContributorRole;
import dev.fusionledger.client.cli.FusionLedgerCli;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fusionledger contribute TASK}: bid, then one checkpoint per ledger epoch until training ends. */
@Command(name = "contribute", mixinStandardHelpOptions = true,
        description = {"Contribute to a task: bid (if it is bidding), wait for the selection, then each ledger epoch",
            "train (your --train-command, or a --model package), store the model package and submit its checkpoint,",
            "until the initiator ends training. Prints the checkpoints submitted."},
        footer = {"", "Example:", "  fusionledger --org Org1 --user User1 contribute 3f1c...e9 --data-points 500 --price 10 --model mlp.zip"})
public final class ContributeCommand extends FusionLedgerCli.Leaf {
    @Parameters(index = "0", paramLabel = "TASK_ID")
    String taskId;

    @Mixin
    ContributorOptions options;

    @Option(names = "--poll", paramLabel = "SECONDS", defaultValue = "5",
            description = "How often the ledger is read while waiting, 1..3600 s (default ${DEFAULT-VALUE}).")
    long poll;

    @Override
    protected void run() throws Exception {
        options.validate();
        if (poll < 1 || poll > 3600) {
            throw new IllegalArgumentException("--poll: must be in 1..3600, got " + poll);
        }
        ContributorRole role = options.role(root(), client(), options.training(), err());
        List<ContributorRole.Outcome> checkpoints = new ArrayList<>();
        while (true) {
            ContributorRole.Outcome o = role.step(taskId, options.dataPoints, options.price);
            if (o.action() == ContributorRole.Action.CHECKPOINTED) {
                checkpoints.add(o);
            }
            if (o.action() == ContributorRole.Action.DONE || o.action() == ContributorRole.Action.NOT_SELECTED) {
                if (json()) {
                    root().printJson(java.util.Map.of("taskId", taskId, "status", o.action(), "checkpoints", checkpoints));
                } else {
                    dev.fusionledger.client.cli.Table t = new dev.fusionledger.client.cli.Table("EPOCH", "MODEL", "TRANSACTION");
                    checkpoints.forEach(c -> t.row(c.epoch(), c.modelHash(), c.transactionId()));
                    t.print(out());
                    out().println("status: " + o.action().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
                    out().flush();
                }
                return;
            }
            if (o.action() != ContributorRole.Action.BID && o.action() != ContributorRole.Action.CHECKPOINTED) {
                Thread.sleep(poll * 1000);
            }
        }
    }
}
