package dev.fusionledger.demo.bench;

import dev.fusionledger.demo.data.MnistDigits;
import dev.fusionledger.demo.data.Partition;
import dev.fusionledger.demo.data.PartitionSpec;
import dev.fusionledger.demo.data.Split;
import dev.fusionledger.agent.model.CnnArchitecture;
import dev.fusionledger.agent.model.CnnModel;
import dev.fusionledger.demo.model.ContributorTrainer;
import dev.fusionledger.demo.model.Scenario;
import dev.fusionledger.demo.model.TrainingConfig;
import dev.fusionledger.demo.model.TrainingResult;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures the contributors' CNN training on this machine and prints the figures.
 *
 * <ul>
 *   <li>{@code epoch [reps=3]}: for each Table I CNN, the wall time of one epoch over C1's 500
 *       training images (Adam 1e-4, batch 32), after one untimed warm-up epoch; min and median of
 *       {@code reps} runs, and the time to score the 1000 verification images.</li>
 *   <li>{@code full [maxEpochs=30] [patience=3] [scenario=I|II]}: trains C1..C5 on their shards with
 *       early stopping and prints each one's epochs, time, test accuracy, and accuracy on the
 *       verification split restricted to its digits (the paper's Fig. 6/8) and on all digits; the
 *       reference printed beside it is an untrained model of the same architecture (chance).</li>
 * </ul>
 * Reads the MNIST cache ({@code demo/scripts/fetch-mnist.sh}); DJL runs offline. Seed 42.
 */
public final class TrainingBenchmark {

    private static final long SEED = 42;

    private TrainingBenchmark() {}

    /** Entry point; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "epoch";
        MnistDigits data = MnistDigits.loadDefault();
        Partition p = Partition.create(data, PartitionSpec.tableII(), SEED);
        dev.fusionledger.agent.model.DjlRuntime.engine();
        System.out.printf(Locale.ROOT, "cores=%d, ai.djl.pytorch.num_threads=%s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("ai.djl.pytorch.num_threads", "default"));
        if (mode.equals("full")) {
            int maxEpochs = args.length > 1 ? Integer.parseInt(args[1]) : 30;
            int patience = args.length > 2 ? Integer.parseInt(args[2]) : 3;
            Scenario sc = args.length > 3 && args[3].equals("II") ? Scenario.ALL_C1 : Scenario.OWN_ARCHITECTURES;
            full(data, p, maxEpochs, patience, sc);
        } else {
            epoch(data, p, args.length > 1 ? Integer.parseInt(args[1]) : 3);
        }
    }

    private static void epoch(MnistDigits data, Partition p, int reps) {
        Split ver = p.verification();
        float[] verX = ver.images(data);
        TrainingConfig one = new TrainingConfig(1, 1, 32, TrainingConfig.PAPER_LEARNING_RATE, SEED);
        ContributorTrainer.train(CnnArchitecture.C1, data, p, "C1", one, null).model().close(); // warm-up
        System.out.println("one epoch over C1/training (500 images), seconds; scoring 1000 images, seconds");
        for (CnnArchitecture a : CnnArchitecture.values()) {
            double[] t = new double[reps];
            double score = 0;
            for (int r = 0; r < reps; r++) {
                TrainingResult res = ContributorTrainer.train(a, data, p, "C1", one, null);
                t[r] = res.epochs().get(0).seconds();
                try (CnnModel m = res.model()) {
                    long t0 = System.nanoTime();
                    m.scores(verX);
                    score = (System.nanoTime() - t0) / 1e9;
                }
            }
            Arrays.sort(t);
            System.out.printf(Locale.ROOT, "%-22s epoch min %.2f  median %.2f   scoring %.2f%n", a, t[0],
                    t[reps / 2], score);
        }
    }

    private static void full(MnistDigits data, Partition p, int maxEpochs, int patience, Scenario sc) {
        Split ver = p.verification();
        float[] x = ver.images(data);
        int[] y = ver.labels(data);
        System.out.printf(Locale.ROOT, "scenario %s, max %d epochs, patience %d%n", sc, maxEpochs, patience);
        System.out.println("who arch epochs(best) seconds testAcc verOwnDigits (untrained) verAllDigits artifactBytes");
        for (String who : p.contributorIds()) {
            CnnArchitecture a = sc.architectureFor(who);
            List<Integer> own = p.training(who).digits();
            TrainingResult r = ContributorTrainer.train(a, data, p, who,
                    TrainingConfig.paper(maxEpochs, patience, SEED), null);
            try (CnnModel m = r.model(); CnnModel u = CnnModel.untrained(a, SEED)) {
                System.out.printf(Locale.ROOT, "%s  %s  %d(%d)  %.1f  %.3f  %.3f (%.3f)  %.3f  %d%n", who, a.name(),
                        r.epochs().size(), r.bestEpoch(), r.seconds(), r.bestTestAccuracy(), m.accuracy(x, y, own),
                        u.accuracy(x, y, own), m.accuracy(x, y), m.toArtifact().length);
            }
        }
    }
}
