package dev.fusionledger.spark;

import dev.fusionledger.fusion.FusionConfig;
import dev.fusionledger.fusion.FusionEngine;
import dev.fusionledger.fusion.FusionModel;
import dev.fusionledger.fusion.FusionTrainer;
import dev.fusionledger.fusion.Provenance;
import dev.fusionledger.fusion.Stage;
import dev.fusionledger.fusion.Strategy;
import dev.fusionledger.fusion.backend.ComputeBackend;
import dev.fusionledger.fusion.backend.CpuBlasBackend;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Mini-batch training of the fusion layer on cached {@link RowBlock}s: per step the executors
 * compute the gradient sums of their sampled rows ({@link GradientSum}, the single-JVM trainer's
 * kernels), {@code treeAggregate} combines them, and the driver divides by the batch rows, adds the
 * L2 term, masks (Strategy II stage 1) and takes the Adam step with the same kernel as
 * {@link FusionTrainer}. The initial weights, masks, stages and Adam restarts are those of
 * {@link FusionTrainer} (docs/spark.md, "Training").
 *
 * <p>Batches: an epoch has {@code ceil(N / batchSize)} steps; in each, every row is in the batch
 * with probability {@code batchSize / N} (Bernoulli sampling seeded by the config seed, the step and
 * the block), so a batch holds {@code batchSize} rows on average; {@code batchSize >= N} is
 * full-batch gradient descent.
 */
final class DistributedTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(DistributedTrainer.class);

    private DistributedTrainer() {
    }

    /** Shapes and size of the cached data. */
    record Shape(int[] featureSizes, int[] labelCounts, int classes, long rows, String sha256) {
        int f() {
            return Arrays.stream(featureSizes).sum();
        }

        int l() {
            return Arrays.stream(labelCounts).sum();
        }
    }

    /** One epoch's figures, for logs and listeners. */
    record EpochReport(Stage stage, int epoch, int steps, double meanLoss, double accuracy, long rowsSeen) {
    }

    /**
     * SHA-256 over the blocks' digests ({@link RowBlock#sha256()}) in block-id order, lowercase hex:
     * the training-data hash recorded in the model's provenance.
     */
    static String datasetSha256(List<RowBlock.Digest> digests) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        digests.stream().sorted((p, q) -> Long.compare(p.id(), q.id())).forEach(p -> md.update(p.sha256()));
        return HexFormat.of().formatHex(md.digest());
    }

    static FusionModel train(JavaSparkContext sc, JavaRDD<RowBlock> blocks, Shape shape, FusionConfig config,
                             int depth, Consumer<EpochReport> listener, BooleanSupplier cancelled) {
        int[] fs = shape.featureSizes();
        int[] lc = shape.labelCounts();
        int d = shape.classes();
        float[][] init = FusionTrainer.initialWeights(fs, lc, d, config);
        float[] a = init[0];
        float[] b = init[1];
        ComputeBackend backend = new CpuBlasBackend();
        long[] step = {0};
        if (config.strategy() == Strategy.I) {
            runStage(sc, blocks, shape, config, depth, Stage.STRATEGY_I, config.epochs(), a, b, null, null, backend,
                    step, listener, cancelled);
        } else {
            float[] fa = FusionTrainer.maskFactorA(fs, lc, 0f);
            float[] fb = FusionTrainer.maskFactorB(lc, d, 0f);
            runStage(sc, blocks, shape, config, depth, Stage.II_BLOCKS, config.stage1Epochs(), a, b, fa, fb, backend,
                    step, listener, cancelled);
            if (config.stage2Epochs() > 0) {
                runStage(sc, blocks, shape, config, depth, Stage.II_FULL, config.stage2Epochs(), a, b, null, null,
                        backend, step, listener, cancelled);
            }
        }
        return new FusionModel(a, b, fs, lc, d, new Provenance(config, shape.sha256(), FusionEngine.VERSION));
    }

    private static void runStage(JavaSparkContext sc, JavaRDD<RowBlock> blocks, Shape shape, FusionConfig config,
                                 int depth, Stage stage, int epochs, float[] a, float[] b, float[] fa, float[] fb,
                                 ComputeBackend backend, long[] globalStep, Consumer<EpochReport> listener,
                                 BooleanSupplier cancelled) {
        int f = shape.f();
        int l = shape.l();
        int d = shape.classes();
        long n = shape.rows();
        double fraction = Math.min(1.0, (double) config.batchSize() / n);
        int stepsPerEpoch = (int) Math.min(Integer.MAX_VALUE, (n + config.batchSize() - 1) / config.batchSize());
        float[] ma = new float[a.length];
        float[] va = new float[a.length];
        float[] mb = new float[b.length];
        float[] vb = new float[b.length];
        float[] scratchA = new float[a.length];
        float[] scratchB = new float[b.length];
        long t = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            double lossSum = 0;
            long rowsSum = 0;
            long correctSum = 0;
            for (int s = 0; s < stepsPerEpoch; s++) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("training cancelled in " + stage + " epoch " + epoch);
                }
                long stepSeed = mix(config.seed(), ++globalStep[0]);
                Broadcast<GradientSum.StepWeights> w = sc.broadcast(
                        new GradientSum.StepWeights(a.clone(), b.clone(), fa, fb, f, l, d));
                GradientSum g = blocks.treeAggregate(new GradientSum(),
                        (acc, block) -> acc.add(block, w.value(), fraction, stepSeed),
                        GradientSum::merge, depth);
                w.destroy();
                if (g.rows == 0) {
                    continue; // an empty Bernoulli batch: no step
                }
                float inv = 1f / g.rows;
                for (int i = 0; i < a.length; i++) {
                    g.da[i] *= inv;
                }
                for (int i = 0; i < b.length; i++) {
                    g.db[i] *= inv;
                }
                if (config.l2() > 0f) {
                    backend.applyMask(a, fa, scratchA, a.length);
                    backend.applyMask(b, fb, scratchB, b.length);
                    for (int i = 0; i < a.length; i++) {
                        g.da[i] += config.l2() * scratchA[i];
                    }
                    for (int i = 0; i < b.length; i++) {
                        g.db[i] += config.l2() * scratchB[i];
                    }
                    // the cross-entropy part is masked on the executors; mask the L2 part too
                    if (fa != null) {
                        backend.applyMask(g.da, fa, g.da, a.length);
                    }
                    if (fb != null) {
                        backend.applyMask(g.db, fb, g.db, b.length);
                    }
                }
                t++;
                backend.adamUpdate(a, g.da, ma, va, a.length, config.learningRate(), config.beta1(), config.beta2(),
                        config.epsilon(), t);
                backend.adamUpdate(b, g.db, mb, vb, b.length, config.learningRate(), config.beta1(), config.beta2(),
                        config.epsilon(), t);
                lossSum += g.loss;
                rowsSum += g.rows;
                correctSum += g.correct;
            }
            EpochReport r = new EpochReport(stage, epoch, stepsPerEpoch, rowsSum == 0 ? Double.NaN : lossSum / rowsSum,
                    rowsSum == 0 ? Double.NaN : (double) correctSum / rowsSum, rowsSum);
            LOG.debug("{} epoch {}: {} steps, loss {}, batch accuracy {}", stage, epoch, r.steps(), r.meanLoss(),
                    r.accuracy());
            listener.accept(r);
        }
    }

    /** SplitMix64 finaliser of seed and step: independent streams per step. */
    static long mix(long seed, long step) {
        long z = seed + step * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
