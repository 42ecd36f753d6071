package dev.fusionledger.agent.cli;

import dev.fusionledger.agent.contributor.CommandTraining;
import dev.fusionledger.agent.contributor.ContributorRole;
import dev.fusionledger.agent.contributor.PackagedModel;
import dev.fusionledger.agent.contributor.Training;
import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.cli.FusionLedgerCli;
import dev.fusionledger.client.cli.Numbers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The options of a contributor (contribute, agent contributor) and how they make a {@link ContributorRole}. */
final class ContributorOptions {
    @Option(names = "--data-points", required = true, paramLabel = "N", converter = Numbers.DataPoints.class,
            description = "Data points to bid (the size of your training data), at least 1.")
    long dataPoints;

    @Option(names = "--price", required = true, paramLabel = "CREDITS", converter = Numbers.Amount.class, description = "Credits per data point to bid, at least 1.")
    long price;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--model", paramLabel = "PACKAGE",
                description = "A model package trained beforehand (see `pack-model`), checkpointed every epoch.")
        Path model;

        @Option(names = "--train-command", paramLabel = "COMMAND",
                description = {"Your training, run per epoch with bash -c; it writes $FUSIONLEDGER_OUT/model.zip",
                    "(and optionally metrics.json); see docs/agents.md for its environment."})
        String command;
    }

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where the training's files go (default: the CLI state directory).")
    Path workDir;

    @Option(names = "--seal", description = {"Encrypt each model (AES-256-GCM, a fresh key per model), checkpoint it with",
        "SubmitSealedCheckpoint, and deliver its key to the drawn verifiers and, after Settle, to the initiator",
        "(docs/model-store.md). Keys are kept in the CLI state directory."})
    boolean seal;

    /** Ranges are checked by the client's converters (Numbers), as for `bid submit`. */
    void validate() {
    }

    /** The training the options name. */
    Training training() throws Exception {
        if (source.model != null) {
            try {
                return new PackagedModel(source.model);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--model: " + e.getMessage(), e);
            }
        }
        return new CommandTraining(source.command, () -> Instant.now().getEpochSecond());
    }

    ContributorRole role(FusionLedgerCli root, FusionLedgerClient client, Training training, PrintWriter log)
            throws Exception {
        Path dir = workDir != null ? workDir
                : VerifierOptions.stateDir(root, client.clientAccountId()).resolve("training");
        dev.fusionledger.client.seal.ContributorKeys keys = seal
                ? new dev.fusionledger.client.seal.ContributorKeys(
                        VerifierOptions.stateDir(root, client.clientAccountId()).resolve("keys"), root.recipientKeys())
                : null;
        return new ContributorRole(client, root.modelStore(), training, dir, line -> {
            log.println(Instant.now() + " " + line);
            log.flush();
        }, keys);
    }
}
