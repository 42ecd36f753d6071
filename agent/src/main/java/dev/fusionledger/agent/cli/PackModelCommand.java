package dev.fusionledger.agent.cli;

import dev.fusionledger.agent.model.ModelPackages;
import dev.fusionledger.agent.model.ModelRunner;
import dev.fusionledger.agent.model.PortableManifest;
import dev.fusionledger.client.cli.FusionLedgerCli;
import dev.fusionledger.client.cli.Table;
import dev.fusionledger.client.store.Hashes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fusionledger pack-model}: an ONNX or TorchScript export plus its manifest, as one package. */
@Command(name = "pack-model", mixinStandardHelpOptions = true,
        description = {"Pack a model exported by your framework (ONNX, or TorchScript from torch.jit) with the manifest",
            "a verifier needs: input shape, the feature output (the upper-layer feature vector it fuses) and its",
            "size, the score output, the labels. The package is loaded once to check it (docs/agents.md)."},
        footer = {"", "Example:", "  fusionledger pack-model --onnx mlp.onnx --input-shape 1,28,28 --feature-output features \\",
            "      --feature-size 500 --score-output scores --labels 0,1,2,3,4,5,6,7,8,9 --out mlp.zip"})
public final class PackModelCommand extends FusionLedgerCli.Leaf {
    @ArgGroup(exclusive = true, multiplicity = "1")
    ModelFile file;

    static final class ModelFile {
        @Option(names = "--onnx", paramLabel = "FILE", description = "An ONNX model.")
        Path onnx;

        @Option(names = "--torchscript", paramLabel = "FILE", description = "A TorchScript model (torch.jit.save).")
        Path torchscript;
    }

    @Option(names = "--input-shape", required = true, split = ",", paramLabel = "DIM",
            description = "Shape of one sample without the batch dimension, e.g. 1,28,28.")
    List<Integer> inputShape;

    @Option(names = "--input-name", paramLabel = "NAME", description = "ONNX: the input to feed (default: the first).")
    String inputName;

    @Option(names = "--feature-output", required = true, paramLabel = "NAME|INDEX",
            description = "The feature output: its name (ONNX) or position in the returned tuple (TorchScript).")
    String featureOutput;

    @Option(names = "--feature-size", required = true, paramLabel = "N", description = "|f_i|, values per sample of the feature output.")
    int featureSize;

    @Option(names = "--score-output", required = true, paramLabel = "NAME|INDEX", description = "The class-score output.")
    String scoreOutput;

    @Option(names = "--score-kind", defaultValue = "softmax", paramLabel = "softmax|logits",
            description = "What the score output holds (default ${DEFAULT-VALUE}).")
    String scoreKind;

    @Option(names = "--labels", required = true, split = ",", paramLabel = "LABEL", description = "The label of each score, in order.")
    List<String> labels;

    @Option(names = "--trained-labels", split = ",", paramLabel = "LABEL",
            description = "The labels you trained on, if not all (verifiers measure your own accuracy on them).")
    List<String> trainedLabels;

    @Option(names = "--producer", paramLabel = "TEXT", description = "What made the model, e.g. \"torch 2.5 torch.onnx.export\".")
    String producer;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The package to write.")
    Path out;

    @Override
    protected void run() throws Exception {
        Path model = file.onnx != null ? file.onnx : file.torchscript;
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException((file.onnx != null ? "--onnx" : "--torchscript") + ": no file " + model);
        }
        PortableManifest m;
        try {
            m = new PortableManifest(file.onnx != null ? PortableManifest.ONNX : PortableManifest.TORCHSCRIPT,
                    inputShape, inputName, featureOutput, featureSize, scoreOutput, scoreKind, labels, trainedLabels,
                    producer);
        } catch (IllegalArgumentException e) {
            throw Flags.asFlag(e);
        }
        byte[] pkg = ModelPackages.pack(m, Files.readAllBytes(model));
        int sample = inputShape.stream().reduce(1, Math::multiplyExact);
        try (ModelRunner r = ModelPackages.load(pkg)) {
            r.outputs(new float[sample]); // one zero sample: the outputs exist and have the declared sizes
        }
        Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".pack", ".tmp");
        Files.write(tmp, pkg);
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        String hash = Hashes.sha256Hex(pkg);
        if (json()) {
            root().printJson(Map.of("package", out.toString(), "sha256", hash, "bytes", pkg.length, "manifest", m));
        } else {
            new Table("PACKAGE", "FORMAT", "FEATURES", "LABELS", "SHA256").row(out, m.format(), featureSize, labels.size(), hash)
                    .print(out());
        }
    }
}
