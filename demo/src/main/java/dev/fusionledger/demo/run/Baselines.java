package dev.fusionledger.demo.run;

import dev.fusionledger.demo.data.MnistDigits;
import dev.fusionledger.demo.data.Partition;
import dev.fusionledger.demo.data.Split;
import dev.fusionledger.demo.model.CnnArchitecture;
import dev.fusionledger.demo.model.ContributorTrainer;
import dev.fusionledger.demo.model.TrainingConfig;
import dev.fusionledger.demo.model.TrainingResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The two references every report compares the fusion with (docs/fusion.md, "Baselines"): C1's
 * Table I network trained with the contributors' recipe on (a) the verifiers' own fusion-training
 * images only, what the initiator gets without buying any model, and (b) all training images of all
 * parties pooled (verifiers' fusion-training plus every contributor's training split), what
 * centralised training would get if the data could be shared. Both stop early on the verifiers'
 * test split and are measured on the verification split.
 */
public final class Baselines {
    private Baselines() {}

    /**
     * One baseline.
     *
     * @param name {@code verifiers-alone} or {@code pooled}
     * @param trainingImages images it was trained on
     * @param epochs local epochs run
     * @param bestEpoch the early-stopping best
     * @param accuracy accuracy on the verification split, [0, 1]
     * @param seconds training wall time
     */
    public record Baseline(String name, int trainingImages, int epochs, int bestEpoch, double accuracy,
            double seconds) {}

    /**
     * Trains both baselines.
     *
     * @param config the contributors' training recipe (epochs, patience, batch, learning rate, seed, shifts)
     * @return verifiers-alone, then pooled
     */
    public static List<Baseline> train(MnistDigits data, Partition partition, TrainingConfig config) {
        Split fusion = partition.fusionTraining();
        float[] x = fusion.images(data);
        int[] y = fusion.labels(data);
        List<Baseline> out = new ArrayList<>();
        out.add(trainOne("verifiers-alone", x, y, data, partition, config));
        List<float[]> xs = new ArrayList<>(List.of(x));
        List<int[]> ys = new ArrayList<>(List.of(y));
        for (String c : partition.contributorIds()) {
            xs.add(partition.training(c).images(data));
            ys.add(partition.training(c).labels(data));
        }
        out.add(trainOne("pooled", concat(xs), concatLabels(ys), data, partition, config));
        return out;
    }

    private static Baseline trainOne(String name, float[] x, int[] y, MnistDigits data, Partition partition,
            TrainingConfig config) {
        Split test = partition.verifierTest();
        Split ver = partition.verification();
        TrainingResult r = ContributorTrainer.train(CnnArchitecture.C1, x, y, test.images(data), test.labels(data),
                config, null);
        try (var m = r.model()) {
            return new Baseline(name, y.length, r.epochs().size(), r.bestEpoch(),
                    m.accuracy(ver.images(data), ver.labels(data)), r.seconds());
        }
    }

    private static float[] concat(List<float[]> parts) {
        int n = parts.stream().mapToInt(p -> p.length).sum();
        float[] out = new float[n];
        int off = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    private static int[] concatLabels(List<int[]> parts) {
        int n = parts.stream().mapToInt(p -> p.length).sum();
        int[] out = new int[n];
        int off = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }
}
