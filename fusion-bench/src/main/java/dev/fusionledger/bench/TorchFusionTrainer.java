package dev.fusionledger.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.fusionledger.fusion.FusionConfig;
import dev.fusionledger.fusion.FusionData;
import dev.fusionledger.fusion.FusionTrainer;
import dev.fusionledger.fusion.Strategy;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;

/**
 * The fusion engine's A/B network trained in PyTorch through DJL, as a user without the fusion
 * engine would write it: {@code Z = FC (A ⊙ F_A) (B ⊙ F_B)}, mean softmax cross-entropy, autograd,
 * DJL's Adam (moments restarting at each stage), the same initial weights, masks, shuffling and
 * mini-batches as {@link FusionTrainer} (docs/fusion.md). No L2 term (the benchmark trains without).
 * For speed comparisons only: DJL's Adam folds its bias correction slightly differently, so the
 * weights agree with the engine's in accuracy, not bit for bit.
 */
public final class TorchFusionTrainer {
    private final Engine engine;

    /** @param engine DJL's PyTorch engine */
    public TorchFusionTrainer(Engine engine) {
        this.engine = engine;
    }

    /**
     * Trains and returns {A, B} (row-major).
     *
     * @param data   labelled training rows
     * @param config strategy, epochs, batch, Adam parameters, seed (l2 must be 0)
     * @param loopStart receives {@link System#nanoTime()} when the first mini-batch starts
     * @return {A [|fc| x |h|], B [|h| x d]}
     * @throws IllegalArgumentException when {@code config.l2() != 0}
     */
    public float[][] train(FusionData data, FusionConfig config, long[] loopStart) {
        if (config.l2() != 0f) {
            throw new IllegalArgumentException("config.l2: the PyTorch comparison trains without L2, got " + config.l2());
        }
        int[] fs = data.featureSizes();
        int[] lc = data.labelCounts();
        int d = data.classes();
        int f = data.totalFeatures();
        int l = data.totalHidden();
        float[][] init = FusionTrainer.initialWeights(fs, lc, d, config);
        float[] fc = data.concatenated();
        int[] y = data.labels();
        SplittableRandom shuffle = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
        try (NDManager mgr = engine.newBaseManager()) {
            NDArray a = mgr.create(init[0], new Shape(f, l));
            NDArray b = mgr.create(init[1], new Shape(l, d));
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            loopStart[0] = System.nanoTime();
            if (config.strategy() == Strategy.I) {
                stage(mgr, a, b, null, null, config.epochs(), fc, y, f, d, config, shuffle, "I");
            } else {
                NDArray fa = mgr.create(FusionTrainer.maskFactorA(fs, lc, 0f), new Shape(f, l));
                NDArray fb = mgr.create(FusionTrainer.maskFactorB(lc, d, 0f), new Shape(l, d));
                stage(mgr, a, b, fa, fb, config.stage1Epochs(), fc, y, f, d, config, shuffle, "II-1");
                stage(mgr, a, b, null, null, config.stage2Epochs(), fc, y, f, d, config, shuffle, "II-2");
            }
            return new float[][] {a.toFloatArray(), b.toFloatArray()};
        }
    }

    private void stage(NDManager mgr, NDArray a, NDArray b, NDArray fa, NDArray fb, int epochs, float[] fc, int[] y,
                       int f, int d, FusionConfig config, SplittableRandom shuffle, String name) {
        Optimizer adam = Adam.builder().optLearningRateTracker(Tracker.fixed(config.learningRate()))
                .optBeta1(config.beta1()).optBeta2(config.beta2()).optEpsilon(config.epsilon()).build();
        int rows = y.length;
        int bsMax = Math.min(config.batchSize(), rows);
        float[] x = new float[bsMax * f];
        int[] perm = new int[rows];
        for (int i = 0; i < rows; i++) {
            perm[i] = i;
        }
        for (int epoch = 1; epoch <= epochs; epoch++) {
            for (int i = rows - 1; i > 0; i--) {
                int j = shuffle.nextInt(i + 1);
                int tmp = perm[i];
                perm[i] = perm[j];
                perm[j] = tmp;
            }
            for (int start = 0; start < rows; start += bsMax) {
                int bs = Math.min(bsMax, rows - start);
                float[] labels = new float[bs];
                for (int r = 0; r < bs; r++) {
                    int src = perm[start + r];
                    System.arraycopy(fc, src * f, x, r * f, f);
                    labels[r] = y[src];
                }
                try (NDManager step = mgr.newSubManager()) {
                    NDArray xb = step.create(FloatBuffer.wrap(x, 0, bs * f), new Shape(bs, f));
                    NDArray onehot = step.create(labels).oneHot(d);
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        gc.zeroGradients();
                        NDArray aEff = fa == null ? a : a.mul(fa);
                        NDArray bEff = fb == null ? b : b.mul(fb);
                        NDArray z = xb.matMul(aEff).matMul(bEff);
                        NDArray loss = z.logSoftmax(1).mul(onehot).sum().neg().div(bs);
                        gc.backward(loss);
                    }
                    adam.update("A" + name, a, a.getGradient());
                    adam.update("B" + name, b, b.getGradient());
                }
            }
        }
    }
}
