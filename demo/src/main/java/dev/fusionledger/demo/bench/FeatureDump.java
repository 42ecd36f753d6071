package dev.fusionledger.demo.bench;

import dev.fusionledger.agent.model.CnnArchitecture;
import dev.fusionledger.agent.model.CnnModel;
import dev.fusionledger.agent.model.ModelOutputs;
import dev.fusionledger.demo.data.MnistDigits;
import dev.fusionledger.demo.data.Partition;
import dev.fusionledger.demo.data.PartitionSpec;
import dev.fusionledger.demo.data.Split;
import dev.fusionledger.demo.model.ContributorTrainer;
import dev.fusionledger.demo.model.Scenario;
import dev.fusionledger.demo.model.TrainingConfig;
import dev.fusionledger.demo.model.TrainingResult;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Offline experiment driver for the fusion recipe (docs/fusion.md, "What was tried"): trains the
 * five honest contributors of one scenario and partition seed once, with a given recipe, and writes
 * their upper-layer features and scores on the verifiers' three splits, so that fusion variants can
 * be compared in seconds without the ledger (the fusion engine's {@code FusionLab} reads them).
 *
 * <p>Usage: {@code FeatureDump seed I|II maxEpochs patience shiftPixels learningRate outDir [k]}. A
 * contributor whose {@code C<k>.model} is already in {@code outDir} is loaded, not trained again. With
 * {@code k} (pixels, 1..4) it also writes split {@code trainaug}: the fusion-training images shifted
 * by every (dx, dy) in {-k, 0, k}² (nine copies, copy-major) and their labels. Writes
 * to {@code outDir}: {@code labels-<split>.i32}, {@code C<k>-<split>-features.f32} ([N x 500]),
 * {@code C<k>-<split>-scores.f32} ([N x 10]), {@code C<k>.model} (the artifact), {@code info.txt}
 * (per model epochs, own accuracy, seconds), for splits {@code train} (fusion-training),
 * {@code test} (verifiers' test) and {@code ver} (verification). File format: big-endian
 * {@code int rows, int cols}, then rows x cols values.
 */
public final class FeatureDump {
    private FeatureDump() {}

    /** Entry point; exit 2 on bad arguments. */
    public static void main(String[] args) throws IOException {
        if (args.length != 7 && args.length != 8) {
            System.err.println("usage: FeatureDump seed I|II maxEpochs patience shiftPixels learningRate outDir"
                    + " [fusionShift]");
            System.exit(2);
        }
        long seed = Long.parseLong(args[0]);
        Scenario scenario = args[1].equals("II") ? Scenario.ALL_C1 : Scenario.OWN_ARCHITECTURES;
        TrainingConfig recipe = new TrainingConfig(Integer.parseInt(args[2]), Integer.parseInt(args[3]), 32,
                Double.parseDouble(args[5]), seed, Integer.parseInt(args[4]));
        Path out = Path.of(args[6]);
        int fusionShift = args.length == 8 ? Integer.parseInt(args[7]) : 0;
        if (fusionShift < 0 || fusionShift > TrainingConfig.MAX_SHIFT) {
            System.err.println("fusionShift must be in [0, " + TrainingConfig.MAX_SHIFT + "], got " + fusionShift);
            System.exit(2);
        }
        Files.createDirectories(out);
        MnistDigits data = MnistDigits.loadDefault();
        Partition p = Partition.create(data, PartitionSpec.tableII(), seed);
        Split[] splits = {p.fusionTraining(), p.verifierTest(), p.verification()};
        String[] names = {"train", "test", "ver"};
        for (int s = 0; s < splits.length; s++) {
            int[] y = splits[s].labels(data);
            writeInts(out.resolve("labels-" + names[s] + ".i32"), y);
        }
        float[] augImages = null;
        if (fusionShift > 0) {
            float[] x = splits[0].images(data);
            int[] y = splits[0].labels(data);
            int n = y.length;
            augImages = new float[9 * x.length];
            int[] augLabels = new int[9 * n];
            int copy = 0;
            for (int dy = -fusionShift; dy <= fusionShift; dy += fusionShift) {
                for (int dx = -fusionShift; dx <= fusionShift; dx += fusionShift) {
                    for (int i = 0; i < n; i++) {
                        ContributorTrainer.shift(x, i, augImages, copy * n + i, dx, dy);
                        augLabels[copy * n + i] = y[i];
                    }
                    copy++;
                }
            }
            writeInts(out.resolve("labels-trainaug.i32"), augLabels);
        }
        StringBuilder info = new StringBuilder();
        for (String c : p.contributorIds()) {
            CnnArchitecture arch = scenario.architectureFor(c);
            Split tr = p.training(c);
            Split te = p.test(c);
            Path saved = out.resolve(c + ".model");
            TrainingResult r = Files.exists(saved) ? null : ContributorTrainer.train(arch, tr.images(data),
                    tr.labels(data), te.images(data), te.labels(data), recipe, null);
            try (CnnModel m = r == null ? CnnModel.fromArtifact(Files.readAllBytes(saved)) : r.model()) {
                Files.write(saved, m.toArtifact());
                if (augImages != null) {
                    writeFloats(out.resolve(c + "-trainaug-features.f32"), m.outputs(augImages).features(),
                            CnnArchitecture.HIDDEN);
                }
                for (int s = 0; s < splits.length; s++) {
                    ModelOutputs o = m.outputs(splits[s].images(data));
                    writeFloats(out.resolve(c + "-" + names[s] + "-features.f32"), o.features(), CnnArchitecture.HIDDEN);
                    writeFloats(out.resolve(c + "-" + names[s] + "-scores.f32"), o.scores(), CnnArchitecture.OUTPUTS);
                }
                double own = m.accuracy(splits[2].images(data), splits[2].labels(data), tr.digits());
                String line = r == null ? String.format(Locale.ROOT, "%s %s (saved model) own %.4f%n", c, arch, own)
                        : String.format(Locale.ROOT, "%s %s epochs %d best %d test %.4f own %.4f %.1f s%n", c, arch,
                        r.epochs().size(), r.bestEpoch(), r.bestTestAccuracy(), own, r.seconds());
                System.out.print(line);
                info.append(line);
            }
        }
        Files.writeString(out.resolve("info.txt"), info.toString());
    }

    private static void writeFloats(Path f, float[] v, int cols) throws IOException {
        try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(f)))) {
            o.writeInt(v.length / cols);
            o.writeInt(cols);
            for (float x : v) {
                o.writeFloat(x);
            }
        }
    }

    private static void writeInts(Path f, int[] v) throws IOException {
        try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(f)))) {
            o.writeInt(v.length);
            o.writeInt(1);
            for (int x : v) {
                o.writeInt(x);
            }
        }
    }

    /** The splits written, in order. */
    static final List<String> SPLITS = List.of("train", "test", "ver");
}
