package dev.fusionledger.client.cli;

import dev.fusionledger.client.store.ModelFormat;
import dev.fusionledger.client.store.ModelManifest;
import dev.fusionledger.client.store.StoredModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fusionledger model ...}: the content-addressed model store (no ledger access). */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Put, get and verify model artifacts in the content-addressed model store.",
        subcommands = {ModelCommands.Put.class, ModelCommands.Get.class, ModelCommands.Verify.class},
        footer = {"", "Example:", "  fusionledger model put c1.zip --format DJL --input-shape 28,28,1 --output-size 10 --labels 0,1,2,3,4,5,6,7,8,9"})
final class ModelCommands {

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = "Store a model artifact; prints its id (SHA-256 of the bytes).",
            footer = {"", "Example:", "  fusionledger model put c1.zip --format DJL --input-shape 28,28,1 --output-size 10"})
    static final class Put extends FusionLedgerCli.Leaf {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;
        @Option(names = "--format", required = true, description = "One of ${COMPLETION-CANDIDATES}.")
        ModelFormat format;
        @Option(names = "--input-shape", required = true, paramLabel = "D1,D2,..", split = ",",
                description = "Shape of one input sample, 1..8 dimensions.")
        List<Integer> inputShape;
        @Option(names = "--output-size", required = true, description = "Length of the output vector.")
        int outputSize;
        @Option(names = "--labels", paramLabel = "L1,L2,..", description = "Label of each output (optional).")
        String labels;

        @Override
        protected void run() throws Exception {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("file: not found: " + file);
            }
            ModelManifest m = new ModelManifest(format, inputShape, outputSize,
                    new ArrayList<>(FusionLedgerCli.csvList(labels)));
            String id = root().modelStore().put(Files.readAllBytes(file), m);
            if (json()) {
                root().printJson(Map.of("id", id, "manifest", m));
            } else {
                out().println(id);
            }
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Read a model (hash verified) and write it to a file; prints its manifest.",
            footer = {"", "Example:", "  fusionledger model get 9a0b...c1 -o model.zip"})
    static final class Get extends FusionLedgerCli.Leaf {
        @Parameters(index = "0", paramLabel = "MODEL_ID")
        String id;
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write the artifact.")
        Path output;

        @Override
        protected void run() throws Exception {
            StoredModel m = root().modelStore().get(id);
            if (output != null) {
                Files.write(output, m.bytes());
            }
            if (json()) {
                root().printJson(Map.of("id", m.id(), "bytes", m.bytes().length, "manifest", m.manifest()));
            } else {
                new Table("ID", "BYTES", "FORMAT", "INPUT_SHAPE", "OUTPUT_SIZE", "LABELS")
                        .row(m.id(), m.bytes().length, m.manifest().format(), m.manifest().inputShape(),
                                m.manifest().outputSize(), String.join(",", m.manifest().labels()))
                        .print(out());
            }
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check that a stored model still hashes to its id (exit 8 when tampered).",
            footer = {"", "Example:", "  fusionledger model verify 9a0b...c1"})
    static final class Verify extends FusionLedgerCli.Leaf {
        @Parameters(index = "0", paramLabel = "MODEL_ID")
        String id;

        @Override
        protected void run() throws Exception {
            root().modelStore().verify(id);
            if (json()) {
                root().printJson(Map.of("id", id, "verified", true));
            } else {
                out().println(id + ": ok");
            }
        }
    }
}
