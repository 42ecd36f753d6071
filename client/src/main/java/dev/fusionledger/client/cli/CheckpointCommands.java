package dev.fusionledger.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fusionledger.ledger.Checkpoint;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fusionledger checkpoint submit}: a contributor's model for an epoch. */
@Command(name = "checkpoint", mixinStandardHelpOptions = true, description = "Submit training checkpoints.",
        subcommands = {CheckpointCommands.Submit.class},
        footer = {"", "Example:", "  fusionledger checkpoint submit 3f1c...e9 --epoch 1 --model-hash 9a0b...c1 --metrics '{\"accuracyBps\":9400}'"})
final class CheckpointCommands {

    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = {"Submit your checkpoint for the task's current epoch: the model's SHA-256 and metrics.",
                "Give the model's id (--model-hash, e.g. from `model put`) or its file (--model)."},
            footer = {"", "Example:", "  fusionledger checkpoint submit 3f1c...e9 --epoch 1 --model-hash 9a0b...c1 --metrics '{\"accuracyBps\":9400}'"})
    static final class Submit extends FusionLedgerCli.Leaf {
        @Parameters(index = "0", paramLabel = "TASK_ID")
        String taskId;

        @Option(names = "--epoch", required = true, converter = Numbers.Epochs.class, description = "The task's current epoch, 1..1000.")
        int epoch;

        @Option(names = "--metrics", defaultValue = "{}", paramLabel = "JSON|@FILE",
                description = "Metrics as a JSON object (<= 4 KiB), or @file (default: {}).")
        String metrics;

        static final class Model {
            @Option(names = "--model-hash", required = true, paramLabel = "SHA256", description = "Model id (64 hex).")
            String hash;
            @Option(names = "--model", required = true, paramLabel = "FILE",
                    description = "Model artifact; its SHA-256 is submitted.")
            java.nio.file.Path file;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Model model;

        @Override
        protected void run() throws Exception {
            String hash = model.hash;
            if (model.file != null) {
                if (!java.nio.file.Files.isRegularFile(model.file)) {
                    throw new IllegalArgumentException("model: file not found: " + model.file);
                }
                hash = dev.fusionledger.client.store.Hashes.sha256Hex(java.nio.file.Files.readAllBytes(model.file));
            }
            JsonNode m = FusionLedgerCli.readJson("metrics", metrics);
            var s = client().submitCheckpoint(taskId, epoch, hash, m);
            Checkpoint c = s.value();
            root().printSubmitted(s, new Table("TASK", "CONTRIBUTOR", "EPOCH", "MODEL", "LATE")
                    .row(c.taskId(), c.contributor(), c.epoch(), c.modelHash(), c.late()));
        }
    }
}
