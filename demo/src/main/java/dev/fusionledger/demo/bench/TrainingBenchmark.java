package dev.fusionledger.demo.bench;

import dev.fusionledger.demo.data.MnistDigits;
import dev.fusionledger.demo.data.Partition;
import dev.fusionledger.demo.data.PartitionSpec;
import dev.fusionledger.demo.model.CnnArchitecture;
import dev.fusionledger.demo.model.ContributorTrainer;
import dev.fusionledger.demo.model.TrainingConfig;
import dev.fusionledger.demo.model.TrainingResult;
import java.util.Locale;

/**
 * Prints, for each Table I CNN, the wall time of training epochs on a contributor's 500 training
 * images (Adam 1e-4, batch 32), the test accuracy after each epoch, and the time of scoring the
 * 1000 verification images. The reference printed beside it is an untrained model's accuracy on the
 * same split (chance level). Usage: {@code TrainingBenchmark [epochs=1] [contributor=C1] [seed=42]}.
 * Uses the MNIST cache ({@code demo/scripts/fetch-mnist.sh}) and DJL offline.
 */
public final class TrainingBenchmark {

    private TrainingBenchmark() {}

    /** Entry point; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        String who = args.length > 1 ? args[1] : "C1";
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
        MnistDigits data = MnistDigits.loadDefault();
        Partition p = Partition.create(data, PartitionSpec.tableII(), seed);
        float[] verX = p.verification().images(data);
        int[] verY = p.verification().labels(data);
        var digits = p.training(who).digits();
        System.out.printf(Locale.ROOT, "training on %s/training (%d images, digits %s), %d epoch(s), threads=%s%n",
                who, p.training(who).size(), digits, epochs, System.getProperty("ai.djl.pytorch.num_threads", "default"));
        for (CnnArchitecture a : CnnArchitecture.values()) {
            TrainingResult r = ContributorTrainer.train(a, data, p, who,
                    new TrainingConfig(epochs, epochs, 32, TrainingConfig.PAPER_LEARNING_RATE, seed),
                    s -> System.out.printf(Locale.ROOT, "  %s epoch %d: %.2f s, loss %.4f, train acc %.3f, test acc %.3f%n",
                            a.name(), s.epoch(), s.seconds(), s.meanLoss(), s.trainAccuracy(), s.testAccuracy()));
            try (var m = r.model();
                    var untrained = dev.fusionledger.demo.model.CnnModel.untrained(a, seed + 1)) {
                long t0 = System.nanoTime();
                double own = m.accuracy(verX, verY, digits);
                double scoreSec = (System.nanoTime() - t0) / 1e9;
                double ref = untrained.accuracy(verX, verY, digits);
                System.out.printf(Locale.ROOT,
                        "%s (%s): total %.2f s; verification acc on own digits %.3f (untrained reference %.3f),"
                                + " all digits %.3f; scoring %d images %.2f s; artifact %d bytes%n",
                        a.name(), a, r.seconds(), own, ref, m.accuracy(verX, verY), verY.length, scoreSec,
                        m.toArtifact().length);
            }
        }
    }
}
