package dev.fusionledger.fusion;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Offline fusion experiments (docs/fusion.md, "What was tried"): reads the features that the demo's
 * {@code FeatureDump} wrote for the five honest contributors of one scenario and seed, fuses them
 * with the variants given on the command line and prints the accuracies on the verifiers' test split
 * (what a verifier may select on) and on the verification split (what is reported).
 *
 * <p>Usage: {@code FusionLab dir[,dir...] variant...}; a variant is {@code key=value} pairs joined by
 * {@code ;}: {@code s} (I|II), {@code e} (epochs, Strategy II half per stage), {@code lr},
 * {@code seeds} (fusions with seeds 0..k-1 whose logits are averaged), {@code order} (model indices,
 * e.g. 43210), {@code es} (early-stopping patience on the test split), {@code scale} (none|model:
 * each model's features divided by their root-mean-square row norm), {@code rot} (k fusions, the
 * j-th with the order rotated by j and seed j, logits averaged), {@code seed0} (first seed),
 * {@code aug} (1: train on the shifted copies of the fusion-training images, {@code trainaug}).
 * Not run by the build: a test-scoped main.
 */
public final class FusionLab {
    private FusionLab() {}

    record Loaded(List<float[]> train, List<float[]> test, List<float[]> ver, int[] yTrain, int[] yTest, int[] yVer,
            List<float[]> trainAug, int[] yTrainAug) {}

    public static void main(String[] args) throws IOException {
        String[] dirs = args[0].split(",");
        for (int v = 1; v < args.length; v++) {
            double[] sumVer = new double[2];
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-40s", args[v]));
            for (String dir : dirs) {
                Loaded d = load(Path.of(dir));
                double[] r = run(d, args[v]);
                line.append(String.format(Locale.ROOT, " | %s test %.1f ver %.1f", Path.of(dir).getFileName(),
                        100 * r[0], 100 * r[1]));
                sumVer[0] += r[1];
                sumVer[1] += r[0];
            }
            line.append(String.format(Locale.ROOT, " | mean test %.2f ver %.2f", 100 * sumVer[1] / dirs.length,
                    100 * sumVer[0] / dirs.length));
            System.out.println(line);
        }
    }

    static double[] run(Loaded d, String spec) {
        String strategy = "II";
        int epochs = 100;
        float lr = 0.002f;
        int seeds = 1;
        int patience = 0;
        String order = "01234";
        String scale = "none";
        int rotations = 0;
        int seed0 = 0;
        boolean aug = false;
        for (String kv : spec.split(";")) {
            String[] p = kv.split("=");
            switch (p[0]) {
                case "s" -> strategy = p[1];
                case "e" -> epochs = Integer.parseInt(p[1]);
                case "lr" -> lr = Float.parseFloat(p[1]);
                case "seeds" -> seeds = Integer.parseInt(p[1]);
                case "seed0" -> seed0 = Integer.parseInt(p[1]);
                case "es" -> patience = Integer.parseInt(p[1]);
                case "order" -> order = p[1];
                case "scale" -> scale = p[1];
                case "rot" -> rotations = Integer.parseInt(p[1]);
                case "aug" -> aug = p[1].equals("1");
                default -> throw new IllegalArgumentException("unknown key " + p[0]);
            }
        }
        if (rotations > 0) {
            float[] zt = null;
            float[] zv = null;
            for (int k = 0; k < rotations; k++) {
                String rot = order.substring(k) + order.substring(0, k);
                double[] r = run(d, spec.replaceAll("rot=[0-9]+", "order=" + rot + ";seeds=1;seed0=" + k));
                zt = sum(zt, lastTest);
                zv = sum(zv, lastVer);
            }
            return new double[] {acc(zt, d.yTest()), acc(zv, d.yVer())};
        }
        int n = order.length();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = order.charAt(i) - '0';
        }
        float[] factors = new float[n];
        Arrays.fill(factors, 1f);
        if (scale.equals("model")) {
            for (int i = 0; i < n; i++) {
                float[] t = d.train().get(idx[i]);
                double ss = 0;
                for (float x : t) {
                    ss += (double) x * x;
                }
                factors[i] = (float) (1 / Math.sqrt(ss / d.yTrain().length));
            }
        }
        if (aug && d.trainAug() == null) {
            throw new IllegalArgumentException(
                    "aug=1 needs the trainaug features: run FeatureDump with its eighth argument");
        }
        FusionData tr = aug ? data(d.trainAug(), idx, factors, d.yTrainAug())
                : data(d.train(), idx, factors, d.yTrain());
        FusionData te = data(d.test(), idx, factors, d.yTest());
        FusionData ve = data(d.ver(), idx, factors, d.yVer());
        float[] zTest = new float[te.rows() * 10];
        float[] zVer = new float[ve.rows() * 10];
        for (int k = 0; k < seeds; k++) {
            FusionConfig.Builder b = FusionConfig.builder().learningRate(lr).batchSize(128).seed(seed0 + k)
                    .earlyStoppingPatience(patience);
            b = strategy.equals("I") ? b.strategy(Strategy.I).epochs(epochs)
                    : b.strategy(Strategy.II).stage1Epochs(epochs / 2).stage2Epochs(epochs - epochs / 2);
            FusionModel m = new FusionTrainer().train(tr, patience > 0 ? te : null, b.build(), p -> { }, () -> false);
            add(zTest, m.logits(te, new dev.fusionledger.fusion.backend.CpuBlasBackend()));
            add(zVer, m.logits(ve, new dev.fusionledger.fusion.backend.CpuBlasBackend()));
        }
        lastTest = zTest;
        lastVer = zVer;
        return new double[] {acc(zTest, d.yTest()), acc(zVer, d.yVer())};
    }

    private static float[] lastTest;
    private static float[] lastVer;

    private static float[] sum(float[] acc, float[] z) {
        if (acc == null) {
            return z.clone();
        }
        add(acc, z);
        return acc;
    }

    private static void add(float[] acc, float[] z) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] += z[i];
        }
    }

    private static double acc(float[] z, int[] y) {
        int[] p = FusionModel.argmax(z, y.length, 10);
        int ok = 0;
        for (int i = 0; i < y.length; i++) {
            ok += p[i] == y[i] ? 1 : 0;
        }
        return (double) ok / y.length;
    }

    private static FusionData data(List<float[]> f, int[] idx, float[] factors, int[] y) {
        List<float[]> sel = new ArrayList<>();
        int[] sizes = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            float[] src = f.get(idx[i]);
            float[] c = src.clone();
            if (factors[i] != 1f) {
                for (int j = 0; j < c.length; j++) {
                    c[j] *= factors[i];
                }
            }
            sel.add(c);
            sizes[i] = c.length / y.length;
        }
        return FusionData.of(sel, sizes, y, 10, null);
    }

    static Loaded load(Path dir) throws IOException {
        List<List<float[]>> per = new ArrayList<>();
        for (String s : List.of("train", "test", "ver")) {
            List<float[]> l = new ArrayList<>();
            for (int c = 1; Files.exists(dir.resolve("C" + c + "-" + s + "-features.f32")); c++) {
                l.add(floats(dir.resolve("C" + c + "-" + s + "-features.f32")));
            }
            per.add(l);
        }
        List<float[]> aug = null;
        int[] yAug = null;
        if (Files.exists(dir.resolve("labels-trainaug.i32"))) {
            aug = new ArrayList<>();
            for (int c = 1; c <= per.get(0).size(); c++) {
                aug.add(floats(dir.resolve("C" + c + "-trainaug-features.f32")));
            }
            yAug = ints(dir.resolve("labels-trainaug.i32"));
        }
        return new Loaded(per.get(0), per.get(1), per.get(2), ints(dir.resolve("labels-train.i32")),
                ints(dir.resolve("labels-test.i32")), ints(dir.resolve("labels-ver.i32")), aug, yAug);
    }

    private static float[] floats(Path f) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f)))) {
            float[] v = new float[in.readInt() * in.readInt()];
            for (int i = 0; i < v.length; i++) {
                v[i] = in.readFloat();
            }
            return v;
        }
    }

    private static int[] ints(Path f) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f)))) {
            int[] v = new int[in.readInt() * in.readInt()];
            for (int i = 0; i < v.length; i++) {
                v[i] = in.readInt();
            }
            return v;
        }
    }
}
