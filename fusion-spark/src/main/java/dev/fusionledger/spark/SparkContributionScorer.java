package dev.fusionledger.spark;

import dev.fusionledger.fusion.ContributionReport;
import dev.fusionledger.fusion.ContributionScorer;
import dev.fusionledger.fusion.FusionConfig;
import dev.fusionledger.fusion.FusionData;
import dev.fusionledger.fusion.FusionTrainer;
import dev.fusionledger.fusion.backend.CpuBlasBackend;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Contribution scoring (prefix accuracies, marginals, leave-one-out, Monte-Carlo Shapley and the
 * null-relative measures of {@link ContributionScorer}) with each coalition's fusion trained by its
 * own Spark task: the training and test rows are broadcast once, the distinct coalitions the
 * measures need are parallelised one per task, and every task computes
 * {@link ContributionScorer#coalitionValue} with the same trainer as the single-JVM scorer
 * ({@link FusionTrainer} on the {@link CpuBlasBackend}). The report is therefore the one
 * {@code new ContributionScorer(new FusionTrainer()).score(...)} gives for the same inputs, config
 * and Shapley seed (docs/spark.md, "Contribution scoring").
 */
public final class SparkContributionScorer {
    private static final Logger LOG = LoggerFactory.getLogger(SparkContributionScorer.class);
    private final JavaSparkContext sc;

    /** @param sc the Spark context whose executors train the coalitions */
    public SparkContributionScorer(JavaSparkContext sc) {
        this.sc = sc;
    }

    /**
     * @param train    labelled training rows of the n models
     * @param test     labelled test rows, same shapes
     * @param config   training config of every coalition (early stopping off)
     * @param measures which measures (Shapley permutations and seed, leave-one-out, nulls)
     * @return the report, as the single-JVM scorer's
     * @throws dev.fusionledger.fusion.InvalidInputException as {@link ContributionScorer#score}
     * @throws CancellationException when the Spark job group is cancelled
     */
    public ContributionReport score(FusionData train, FusionData test, FusionConfig config,
                                    ContributionScorer.Measures measures) {
        return new ContributionScorer(new FusionTrainer(new CpuBlasBackend()))
                .score(train, test, config, measures, () -> false, this::values);
    }

    double[] values(FusionData train, FusionData test, FusionConfig config, long[] masks,
                            BooleanSupplier cancelled) {
        Broadcast<Inputs> inputs = sc.broadcast(new Inputs(Blob.of(train), Blob.of(test), config));
        List<Long> list = new ArrayList<>(masks.length);
        for (long m : masks) {
            list.add(m);
        }
        long start = System.nanoTime();
        try {
            sc.setJobDescription("fusion contribution scoring: " + masks.length + " coalitions");
            List<Double> values = sc.parallelize(list, Math.max(1, masks.length))
                    .map(mask -> evaluate(inputs.value(), inputs.id(), mask)).collect();
            LOG.info("{} coalitions trained as Spark tasks in {} s", masks.length,
                    String.format("%.1f", (System.nanoTime() - start) / 1e9));
            double[] out = new double[values.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = values.get(i);
            }
            return out;
        } finally {
            inputs.destroy();
        }
    }

    /** The last inputs rebuilt in this executor JVM, so tasks of one scoring share the rows. */
    private static final class Cached {
        static long id = -1;
        static FusionData train;
        static FusionData test;
    }

    private static double evaluate(Inputs in, long broadcastId, long mask) {
        FusionData train;
        FusionData test;
        synchronized (Cached.class) {
            if (Cached.id != broadcastId) {
                Cached.train = in.train.toData();
                Cached.test = in.test.toData();
                Cached.id = broadcastId;
            }
            train = Cached.train;
            test = Cached.test;
        }
        return ContributionScorer.coalitionValue(new FusionTrainer(new CpuBlasBackend()), train, test, in.config(), mask,
                () -> false);
    }

    /** What the tasks need, broadcast once per scoring. */
    record Inputs(Blob train, Blob test, ConfigBlob configBlob) implements Serializable {
        Inputs(Blob train, Blob test, FusionConfig config) {
            this(train, test, ConfigBlob.of(config));
        }

        FusionConfig config() {
            return configBlob.toConfig();
        }
    }

    /** A {@link FusionConfig} as serialisable fields (the engine's record is not {@code Serializable}). */
    record ConfigBlob(String strategy, int epochs, int stage1Epochs, int stage2Epochs, int batchSize,
                      float learningRate, float beta1, float beta2, float epsilon, float l2, long seed,
                      int earlyStoppingPatience) implements Serializable {
        static ConfigBlob of(FusionConfig c) {
            return new ConfigBlob(c.strategy().name(), c.epochs(), c.stage1Epochs(), c.stage2Epochs(), c.batchSize(),
                    c.learningRate(), c.beta1(), c.beta2(), c.epsilon(), c.l2(), c.seed(), c.earlyStoppingPatience());
        }

        FusionConfig toConfig() {
            return new FusionConfig(dev.fusionledger.fusion.Strategy.valueOf(strategy), epochs, stage1Epochs,
                    stage2Epochs, batchSize, learningRate, beta1, beta2, epsilon, l2, seed, earlyStoppingPatience);
        }
    }

    /** A {@link FusionData} as plain arrays (the engine's class is not {@code Serializable}). */
    record Blob(float[][] features, int[] featureSizes, int[] labels, int classes, int[] labelCounts)
            implements Serializable {
        static Blob of(FusionData data) {
            float[][] f = new float[data.models()][];
            for (int i = 0; i < f.length; i++) {
                f[i] = data.features(i);
            }
            return new Blob(f, data.featureSizes(), data.labels(), data.classes(), data.labelCounts());
        }

        FusionData toData() {
            return FusionData.of(List.of(features), featureSizes, labels, classes, labelCounts);
        }
    }
}
