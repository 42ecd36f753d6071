package dev.fusionledger.fusion;

import dev.fusionledger.fusion.backend.ComputeBackend;
import dev.fusionledger.fusion.backend.CpuBlasBackend;
import dev.fusionledger.fusion.backend.TrainingSession;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Trains the early-fusion layer of Mendis et al., Section III-B, by back-propagation with
 * softmax cross-entropy and Adam:
 * {@code H = FC A_eff [B x |h|]}, {@code Z = H B_eff [B x d]}, {@code Y = softmax(Z)}, where
 * {@code A_eff = A ⊙ (M_A + gamma (1 - M_A))} and {@code B_eff = B ⊙ (M_B + gamma (1 - M_B))}
 * (paper Eq. 3-6) and the gradients of A and B are masked the same way.
 *
 * <ul>
 * <li>Strategy I: A, B Glorot-uniform random (seeded), gamma = 1, {@code epochs} epochs.</li>
 * <li>Strategy II: A block-diagonal (block i, {@code |f_i| x |l_i|}, Glorot-uniform, at model i's
 * rows and columns; zeros elsewhere), B = n stacked {@code d x d} identities; stage 1 with gamma = 0
 * for {@code stage1Epochs} (off-block entries of A and off-identity entries of B stay exactly 0),
 * then stage 2 with gamma = 1 for {@code stage2Epochs}. Adam's moments restart at each stage.</li>
 * </ul>
 * The loss minimised is mean cross-entropy plus {@code l2/2 (||A_eff||^2 + ||B_eff||^2)}.
 * Rows are shuffled every epoch with a generator seeded from {@code config.seed}; the same
 * inputs, config and backend give identical weights. A backend that opens a
 * {@link TrainingSession} (a device backend) runs each stage's mini-batches itself, holding the
 * weights until the trainer reads them; the others run the kernels below on host arrays.
 *
 * <p><b>Order of the models.</b> Model i's rows of A are drawn from a generator seeded by
 * {@code config.seed} and a fingerprint of model i's training features ({@link #modelKey}), not by
 * its position, and the row shuffle does not depend on the models either. Fusing the same models
 * in another order therefore permutes the rows of A (and, for Strategy II, the blocks of A and B)
 * and gives the same logits up to floating-point rounding (docs/fusion.md, "Order of the models").
 */
public final class FusionTrainer {
    private final ComputeBackend backend;

    /** Trains on the {@link CpuBlasBackend}. */
    public FusionTrainer() {
        this(new CpuBlasBackend());
    }

    /** @param backend the compute backend */
    public FusionTrainer(ComputeBackend backend) {
        this.backend = backend;
    }

    /** @return the backend in use */
    public ComputeBackend backend() {
        return backend;
    }

    /**
     * Trains without validation set, listener or cancellation.
     *
     * @param train  labelled training rows
     * @param config hyper-parameters
     * @return the trained model
     * @throws InvalidInputException see {@link #train(FusionData, FusionData, FusionConfig, Consumer, BooleanSupplier)}
     */
    public FusionModel train(FusionData train, FusionConfig config) {
        return train(train, null, config, p -> { }, () -> false);
    }

    /**
     * Trains a fusion model.
     *
     * @param train      labelled training rows, per model {@code [N x |f_i|]}, labels {@code [N]}
     * @param validation labelled validation rows with the same shapes, or null; needed when
     *                   {@code config.earlyStoppingPatience > 0}; with early stopping each stage
     *                   keeps the weights of its epoch with the lowest validation loss
     * @param config     hyper-parameters
     * @param listener   receives one {@link Progress} per epoch (on the calling thread)
     * @param cancelled  polled before every mini-batch
     * @return the trained model, with provenance
     * @throws InvalidInputException when the data are unlabelled, when Strategy II gets a model
     *                               with {@code |l_i| != d} (field {@code labelCounts[i]}), when the
     *                               validation shapes differ, or when early stopping has no
     *                               validation set
     * @throws CancellationException when {@code cancelled} turns true; no model is produced
     */
    public FusionModel train(FusionData train, FusionData validation, FusionConfig config,
                             Consumer<Progress> listener, BooleanSupplier cancelled) {
        check(train, validation, config);
        int[] fs = train.featureSizes();
        int[] lc = train.labelCounts();
        int d = train.classes();
        int f = train.totalFeatures();
        int l = train.totalHidden();
        float[][] init = initialWeights(train, config);
        float[] a = init[0];
        float[] b = init[1];
        float[] fc = train.concatenated();
        int[] y = train.labelsView();
        float[] fcVal = validation == null ? null : validation.concatenated();
        int[] yVal = validation == null ? null : validation.labelsView();
        SplittableRandom shuffle = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
        Workspace ws = new Workspace(Math.min(config.batchSize(), train.rows()), f, l, d);
        long[] seen = {0};
        if (config.strategy() == Strategy.I) {
            runStage(Stage.STRATEGY_I, config.epochs(), a, b, null, null, fc, y, fcVal, yVal, config, ws, shuffle,
                    listener, cancelled, seen, train.rows());
        } else {
            float[] fa = maskFactorA(fs, lc, 0f);
            float[] fb = maskFactorB(lc, d, 0f);
            runStage(Stage.II_BLOCKS, config.stage1Epochs(), a, b, fa, fb, fc, y, fcVal, yVal, config, ws, shuffle,
                    listener, cancelled, seen, train.rows());
            if (config.stage2Epochs() > 0) {
                runStage(Stage.II_FULL, config.stage2Epochs(), a, b, null, null, fc, y, fcVal, yVal, config, ws,
                        shuffle, listener, cancelled, seen, train.rows());
            }
            // stage 1 alone: the off-block / off-identity entries are still exactly 0, so A_eff = A
        }
        return new FusionModel(a, b, fs, lc, d, new Provenance(config, train.sha256(), FusionEngine.VERSION));
    }

    private static void check(FusionData train, FusionData validation, FusionConfig config) {
        if (!train.hasLabels()) {
            throw new InvalidInputException("labels", "training needs labels [N]");
        }
        if (config.strategy() == Strategy.II) {
            int[] lc = train.labelCounts();
            for (int i = 0; i < lc.length; i++) {
                if (lc[i] != train.classes()) {
                    throw new InvalidInputException("labelCounts[" + i + "]", "Strategy II stacks d x d identities in B, so |l_"
                            + i + "| must equal d = " + train.classes() + ", got " + lc[i]);
                }
            }
        }
        if (config.earlyStoppingPatience() > 0 && validation == null) {
            throw new InvalidInputException("config.earlyStoppingPatience", "early stopping (patience "
                    + config.earlyStoppingPatience() + ") needs a validation set");
        }
        if (validation != null) {
            if (!validation.hasLabels()) {
                throw new InvalidInputException("validation.labels", "validation set needs labels");
            }
            if (!Arrays.equals(validation.featureSizes(), train.featureSizes())
                    || validation.classes() != train.classes()) {
                throw new InvalidInputException("validation.features", "validation shapes "
                        + Arrays.toString(validation.featureSizes()) + " (d = " + validation.classes()
                        + ") differ from training shapes " + Arrays.toString(train.featureSizes()) + " (d = "
                        + train.classes() + ")");
            }
        }
    }

    /**
     * Buffers for one mini-batch of at most {@code maxRows} rows, reused across batches. Public so
     * that a distributed trainer (fusion-spark) computes its per-partition gradients with
     * {@link #lossAndGradients} exactly as this trainer does.
     */
    public static final class Workspace {
        final int maxRows;
        /** Batch rows, {@code [maxRows x |fc|]}: the caller copies the first {@code rows} rows here. */
        public final float[] x;
        /** Batch labels {@code [maxRows]}. */
        public final int[] y;
        final float[] aEff;
        final float[] bEff;
        final float[] h;
        final float[] z;
        final float[] dz;
        final float[] dh;
        /** Gradient of A after {@link FusionTrainer#lossAndGradients} {@code [|fc| x |h|]}. */
        public final float[] da;
        /** Gradient of B after {@link FusionTrainer#lossAndGradients} {@code [|h| x d]}. */
        public final float[] db;

        /**
         * @param maxRows rows per batch, at least 1
         * @param f       {@code |fc| = sum |f_i|}
         * @param l       {@code |h| = sum |l_i|}
         * @param d       classes
         */
        public Workspace(int maxRows, int f, int l, int d) {
            this.maxRows = maxRows;
            x = new float[maxRows * f];
            y = new int[maxRows];
            aEff = new float[f * l];
            bEff = new float[l * d];
            h = new float[maxRows * l];
            z = new float[maxRows * d];
            dz = new float[maxRows * d];
            dh = new float[maxRows * l];
            da = new float[f * l];
            db = new float[l * d];
        }
    }

    private void runStage(Stage stage, int epochs, float[] a, float[] b, float[] fa, float[] fb, float[] fc, int[] y,
                          float[] fcVal, int[] yVal, FusionConfig config, Workspace ws, SplittableRandom shuffle,
                          Consumer<Progress> listener, BooleanSupplier cancelled, long[] seen, int rows) {
        int f = ws.x.length / ws.maxRows;
        int l = ws.h.length / ws.maxRows;
        int d = ws.z.length / ws.maxRows;
        float[] ma = new float[a.length];
        float[] va = new float[a.length];
        float[] mb = new float[b.length];
        float[] vb = new float[b.length];
        long t = 0;
        int[] perm = new int[rows];
        for (int i = 0; i < rows; i++) {
            perm[i] = i;
        }
        boolean early = config.earlyStoppingPatience() > 0;
        double best = Double.POSITIVE_INFINITY;
        float[] bestA = null;
        float[] bestB = null;
        int wait = 0;
        TrainingSession session = backend.openSession(new TrainingSession.Spec(ws.maxRows, f, l, d,
                config.learningRate(), config.beta1(), config.beta2(), config.epsilon(), config.l2()), a, b, fa, fb);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            for (int i = rows - 1; i > 0; i--) {
                int j = shuffle.nextInt(i + 1);
                int tmp = perm[i];
                perm[i] = perm[j];
                perm[j] = tmp;
            }
            double lossSum = 0;
            long[] correct = {0};
            for (int start = 0; start < rows; start += ws.maxRows) {
                if (cancelled.getAsBoolean()) {
                    if (session != null) {
                        session.close();
                    }
                    throw new CancellationException("training cancelled in " + stage + " epoch " + epoch);
                }
                int bs = Math.min(ws.maxRows, rows - start);
                for (int r = 0; r < bs; r++) {
                    int src = perm[start + r];
                    System.arraycopy(fc, src * f, ws.x, r * f, f);
                    ws.y[r] = y[src];
                }
                if (session != null) {
                    lossSum += session.step(ws.x, ws.y, bs, correct);
                } else {
                    lossSum += lossAndGradients(ws, bs, a, b, fa, fb, config.l2(), correct);
                    t++;
                    backend.adamUpdate(a, ws.da, ma, va, a.length, config.learningRate(), config.beta1(),
                            config.beta2(), config.epsilon(), t);
                    backend.adamUpdate(b, ws.db, mb, vb, b.length, config.learningRate(), config.beta1(),
                            config.beta2(), config.epsilon(), t);
                }
                seen[0] += bs;
            }
            if (session != null && (fcVal != null || early || epoch == epochs)) {
                session.readWeights(a, b); // the host copy is read below, or is the stage's result
            }
            double valLoss = Double.NaN;
            if (fcVal != null) {
                valLoss = meanLoss(fcVal, yVal, a, b, fa, fb, ws);
            }
            listener.accept(new Progress(stage, epoch, lossSum / rows, (double) correct[0] / rows, valLoss, seen[0]));
            if (early) {
                if (valLoss < best) {
                    best = valLoss;
                    bestA = a.clone();
                    bestB = b.clone();
                    wait = 0;
                } else if (++wait >= config.earlyStoppingPatience()) {
                    break;
                }
            }
        }
        if (session != null) {
            session.close();
        }
        if (early && bestA != null) {
            System.arraycopy(bestA, 0, a, 0, a.length);
            System.arraycopy(bestB, 0, b, 0, b.length);
        }
    }

    /**
     * Forward and backward pass on the first {@code rows} rows of {@code ws.x} / {@code ws.y}.
     * Leaves in {@code ws.da} / {@code ws.db} the gradients with respect to the raw A and B of
     * {@code mean CE + l2/2 (||A_eff||^2 + ||B_eff||^2)}: {@code dA = (FC^T dH + l2 A_eff) ⊙ factorA},
     * {@code dB = (H^T dZ + l2 B_eff) ⊙ factorB}, {@code dH = dZ B_eff^T}, {@code dZ = (Y - onehot) / rows}.
     *
     * @param ws      batch buffers holding the rows
     * @param rows    rows of the batch, 1..ws.maxRows
     * @param a       raw A {@code [|fc| x |h|]}
     * @param b       raw B {@code [|h| x d]}
     * @param fa      mask factor of A or null (no mask)
     * @param fb      mask factor of B or null
     * @param l2      L2 coefficient (0: the gradients of the cross-entropy alone)
     * @param correct out[0] += rows of the batch predicted correctly
     * @return the summed (not mean) cross-entropy of the rows, nats
     */
    public double lossAndGradients(Workspace ws, int rows, float[] a, float[] b, float[] fa, float[] fb, float l2,
                            long[] correct) {
        int f = ws.x.length / ws.maxRows;
        int l = ws.h.length / ws.maxRows;
        int d = ws.z.length / ws.maxRows;
        backend.maskedGemm(rows, l, f, ws.x, a, fa, ws.aEff, ws.h);
        backend.maskedGemm(rows, d, l, ws.h, b, fb, ws.bEff, ws.z);
        double loss = backend.softmaxCrossEntropy(ws.z, ws.y, 0, rows, d, 1f / rows, ws.dz, correct);
        backend.gemm(true, false, l, d, rows, 1f, ws.h, l, ws.dz, d, 0f, ws.db, d);
        backend.gemm(false, true, rows, l, d, 1f, ws.dz, d, ws.bEff, d, 0f, ws.dh, l);
        backend.gemm(true, false, f, l, rows, 1f, ws.x, f, ws.dh, l, 0f, ws.da, l);
        if (l2 > 0f) {
            for (int i = 0; i < ws.da.length; i++) {
                ws.da[i] += l2 * ws.aEff[i];
            }
            for (int i = 0; i < ws.db.length; i++) {
                ws.db[i] += l2 * ws.bEff[i];
            }
        }
        if (fa != null) {
            backend.applyMask(ws.da, fa, ws.da, ws.da.length);
        }
        if (fb != null) {
            backend.applyMask(ws.db, fb, ws.db, ws.db.length);
        }
        return loss;
    }

    private double meanLoss(float[] fc, int[] y, float[] a, float[] b, float[] fa, float[] fb, Workspace ws) {
        int f = ws.x.length / ws.maxRows;
        int l = ws.h.length / ws.maxRows;
        int d = ws.z.length / ws.maxRows;
        int rows = y.length;
        double loss = 0;
        for (int start = 0; start < rows; start += ws.maxRows) {
            int bs = Math.min(ws.maxRows, rows - start);
            System.arraycopy(fc, start * f, ws.x, 0, bs * f);
            backend.maskedGemm(bs, l, f, ws.x, a, fa, ws.aEff, ws.h);
            backend.maskedGemm(bs, d, l, ws.h, b, fb, ws.bEff, ws.z);
            loss += backend.softmaxCrossEntropy(ws.z, y, start, bs, d, 0f, null, null);
        }
        return loss / rows;
    }

    /**
     * Initial weights: {A [|fc| x |h|], B [|h| x d]} as described in the class comment, drawn
     * from {@code new SplittableRandom(config.seed())}.
     */
    static float[][] initialWeights(FusionData data, FusionConfig config) {
        long[] keys = new long[data.models()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = modelKey(data.featuresView(i));
        }
        return initialWeights(data.featureSizes(), data.labelCounts(), data.classes(), config, keys);
    }

    /**
     * A 64-bit fingerprint of one model's training features (the bits of every value, mixed as
     * SplitMix64 does), which seeds that model's rows of A: equal features give equal rows wherever
     * the model stands in the fusion.
     *
     * @param features {@code [N x |f_i|]} row-major
     * @return the fingerprint
     */
    public static long modelKey(float[] features) {
        long h = 0x9E3779B97F4A7C15L ^ features.length;
        for (float v : features) {
            h = mix64(h + Float.floatToIntBits(v));
        }
        return h;
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Initial weights for the given shapes when the rows are not at hand (the distributed trainer):
     * model i's key is its position i, so the weights depend on the order of the models.
     *
     * @param fs     {@code |f_i|}
     * @param lc     {@code |l_i|}
     * @param d      classes
     * @param config strategy and seed
     * @return {A [|fc| x |h|], B [|h| x d]}, row-major
     */
    public static float[][] initialWeights(int[] fs, int[] lc, int d, FusionConfig config) {
        long[] keys = new long[fs.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = i;
        }
        return initialWeights(fs, lc, d, config, keys);
    }

    /**
     * Initial weights as described in the class comment: model i's rows of A from
     * {@code new SplittableRandom(mix(config.seed, keys[i]))} (Glorot-uniform; Strategy II only its
     * block), Strategy I's B from {@code new SplittableRandom(config.seed)}, Strategy II's B the
     * stacked identities.
     *
     * @param fs     {@code |f_i|}
     * @param lc     {@code |l_i|}
     * @param d      classes
     * @param config strategy and seed
     * @param keys   one key per model ({@link #modelKey} of its training features, or its position)
     * @return {A [|fc| x |h|], B [|h| x d]}, row-major
     */
    public static float[][] initialWeights(int[] fs, int[] lc, int d, FusionConfig config, long[] keys) {
        int f = Arrays.stream(fs).sum();
        int l = Arrays.stream(lc).sum();
        float[] a = new float[f * l];
        float[] b = new float[l * d];
        int row0 = 0;
        int col0 = 0;
        for (int i = 0; i < fs.length; i++) {
            SplittableRandom rng = new SplittableRandom(mix64(config.seed() ^ mix64(keys[i])));
            if (config.strategy() == Strategy.I) {
                double lim = Math.sqrt(6.0 / (f + l));
                for (int j = row0 * l; j < (row0 + fs[i]) * l; j++) {
                    a[j] = (float) ((rng.nextDouble() * 2 - 1) * lim);
                }
            } else {
                double lim = Math.sqrt(6.0 / (fs[i] + lc[i]));
                for (int r = 0; r < fs[i]; r++) {
                    for (int c = 0; c < lc[i]; c++) {
                        a[(row0 + r) * l + col0 + c] = (float) ((rng.nextDouble() * 2 - 1) * lim);
                    }
                }
                for (int j = 0; j < d; j++) {
                    b[(col0 + j) * d + j] = 1f;
                }
            }
            row0 += fs[i];
            col0 += lc[i];
        }
        if (config.strategy() == Strategy.I) {
            fillGlorot(b, l, d, new SplittableRandom(config.seed()));
        }
        return new float[][] {a, b};
    }

    private static void fillGlorot(float[] w, int fanIn, int fanOut, SplittableRandom rng) {
        double lim = Math.sqrt(6.0 / (fanIn + fanOut));
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((rng.nextDouble() * 2 - 1) * lim);
        }
    }

    /**
     * Mask factor of A, {@code M_A + gamma (1 - M_A)} {@code [|fc| x |h|]}: 1 on model i's block
     * (rows of f_i, columns of l_i), gamma elsewhere; null when gamma = 1 (no mask).
     *
     * @param fs    {@code |f_i|}
     * @param lc    {@code |l_i|}
     * @param gamma 0 (stage 1) or 1 (stage 2), or any value in between
     * @return the factor or null
     */
    public static float[] maskFactorA(int[] fs, int[] lc, float gamma) {
        if (gamma == 1f) {
            return null;
        }
        int f = Arrays.stream(fs).sum();
        int l = Arrays.stream(lc).sum();
        float[] m = new float[f * l];
        Arrays.fill(m, gamma);
        int row0 = 0;
        int col0 = 0;
        for (int i = 0; i < fs.length; i++) {
            for (int r = 0; r < fs[i]; r++) {
                Arrays.fill(m, (row0 + r) * l + col0, (row0 + r) * l + col0 + lc[i], 1f);
            }
            row0 += fs[i];
            col0 += lc[i];
        }
        return m;
    }

    /**
     * Mask factor of B, {@code M_B + gamma (1 - M_B)} {@code [|h| x d]}: 1 on the diagonal of
     * each stacked {@code d x d} block, gamma elsewhere; null when gamma = 1.
     *
     * @param lc    {@code |l_i|} (each must be d for the identity blocks)
     * @param d     classes
     * @param gamma mask value off the identities
     * @return the factor or null
     */
    public static float[] maskFactorB(int[] lc, int d, float gamma) {
        if (gamma == 1f) {
            return null;
        }
        int l = Arrays.stream(lc).sum();
        float[] m = new float[l * d];
        Arrays.fill(m, gamma);
        int col0 = 0;
        for (int c : lc) {
            for (int j = 0; j < Math.min(c, d); j++) {
                m[(col0 + j) * d + j] = 1f;
            }
            col0 += c;
        }
        return m;
    }
}
