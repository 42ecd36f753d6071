package dev.fusionledger.fusion;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.LongToDoubleFunction;

/**
 * Scores each contributed model by training fusions of subsets of the models (see
 * {@link ContributionReport} for the definitions, docs/fusion.md for the rationale). Each distinct
 * subset is trained once: the prefixes take n fusions, leave-one-out n more, the null-relative
 * marginal n more, and a Shapley estimate over P permutations at most {@code P * n} more.
 */
public final class ContributionScorer {
    /** Maximum Shapley permutations accepted. */
    public static final int MAX_PERMUTATIONS = 10_000;
    /** Maximum models n (the subsets are bit masks over the n models and their n nulls). */
    public static final int MAX_MODELS = 32;
    private final FusionTrainer trainer;

    /** @param trainer trains each subset's fusion */
    public ContributionScorer(FusionTrainer trainer) {
        this.trainer = trainer;
    }

    /**
     * Which measures to compute besides the prefix accuracies and marginals (always computed).
     *
     * @param shapleyPermutations Monte-Carlo permutations, 0..10000; 0 = no Shapley estimate
     * @param shapleySeed         seeds the permutations
     * @param leaveOneOut         whether to compute leave-one-out
     * @param nullTrain           null features ν_i for the training rows, same shapes as the
     *                            models' (one null per model, in the same order), or null = no
     *                            null-relative measures
     * @param nullTest            the same for the test rows; given exactly when nullTrain is
     */
    public record Measures(int shapleyPermutations, long shapleySeed, boolean leaveOneOut, FusionData nullTrain,
                           FusionData nullTest) {
        /** The measures of the first engine version: leave-one-out and Shapley, no nulls. */
        public static Measures classic(int permutations, long seed) {
            return new Measures(permutations, seed, true, null, null);
        }
    }

    /**
     * {@link #score(FusionData, FusionData, FusionConfig, Measures, BooleanSupplier)} with
     * {@link Measures#classic}: prefix, marginal, leave-one-out and Shapley over
     * {@code permutations} (1..10000) permutations.
     */
    public ContributionReport score(FusionData train, FusionData test, FusionConfig config, int permutations,
                                    long seed, BooleanSupplier cancelled) {
        if (permutations < 1) {
            throw new InvalidInputException("shapleyPermutations", "must be in 1.." + MAX_PERMUTATIONS + ", got "
                    + permutations);
        }
        return score(train, test, config, Measures.classic(permutations, seed), cancelled);
    }

    /**
     * @param train     labelled training rows of all n models, n in 1..32
     * @param test      labelled test rows, same shapes
     * @param config    training config used for every subset (early stopping must be off)
     * @param measures  which measures beyond prefix and marginal
     * @param cancelled polled between and inside trainings
     * @return the report; measures not asked for are NaN
     * @throws InvalidInputException when shapes differ (also between the models and their nulls),
     *                               labels are missing, n exceeds 32, the permutations are out of
     *                               range, only one of the null sets is given, or the config asks
     *                               for early stopping
     * @throws CancellationException when cancelled
     */
    public ContributionReport score(FusionData train, FusionData test, FusionConfig config, Measures measures,
                                    BooleanSupplier cancelled) {
        int permutations = measures.shapleyPermutations();
        if (permutations < 0 || permutations > MAX_PERMUTATIONS) {
            throw new InvalidInputException("shapleyPermutations", "must be in 0.." + MAX_PERMUTATIONS + ", got "
                    + permutations);
        }
        if (!train.hasLabels() || !test.hasLabels()) {
            throw new InvalidInputException(train.hasLabels() ? "test.labels" : "train.labels", "labels [N] required");
        }
        if (!Arrays.equals(train.featureSizes(), test.featureSizes()) || train.classes() != test.classes()) {
            throw new InvalidInputException("test.features", "test shapes differ from training shapes");
        }
        if (config.earlyStoppingPatience() > 0) {
            throw new InvalidInputException("config.earlyStoppingPatience", "must be 0 for contribution scoring");
        }
        int n = train.models();
        if (n > MAX_MODELS) {
            throw new InvalidInputException("features", "at most " + MAX_MODELS + " models can be scored, got " + n);
        }
        boolean nulls = measures.nullTrain() != null;
        if (nulls != (measures.nullTest() != null)) {
            throw new InvalidInputException(nulls ? "nullTest" : "nullTrain", "null features are needed for both the "
                    + "training and the test rows");
        }
        FusionData all = train;
        FusionData allTest = test;
        if (nulls) {
            checkNulls("nullTrain", measures.nullTrain(), train);
            checkNulls("nullTest", measures.nullTest(), test);
            all = train.concat(measures.nullTrain());
            allTest = test.concat(measures.nullTest());
        }
        double empty = majorityAccuracy(train, test);
        Map<Long, Double> cache = new HashMap<>();
        cache.put(0L, empty);
        FusionData trainSet = all;
        FusionData testSet = allTest;
        // bit i = model i, bit n + i = its null; selectModels keeps index order, so a null stands
        // at the position of the model it replaces only when all lower models are real (prefixes)
        LongToDoubleFunction value = mask -> cache.computeIfAbsent(mask, m -> {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("contribution scoring cancelled");
            }
            int[] idx = new int[Long.bitCount(m)];
            int k = 0;
            for (int i = 0; i < 2 * n; i++) {
                if ((m & (1L << i)) != 0) {
                    idx[k++] = i;
                }
            }
            FusionModel model = trainer.train(trainSet.selectModels(idx), null, config, p -> { }, cancelled);
            return model.evaluate(testSet.selectModels(idx), trainer.backend()).accuracy();
        });
        double[] prefix = new double[n];
        double[] marginal = new double[n];
        double[] nullPrefix = nan(n);
        double[] nullMarginal = nan(n);
        long mask = 0;
        double prev = empty;
        for (int i = 0; i < n; i++) {
            if (nulls) {
                nullPrefix[i] = value.applyAsDouble(mask | (1L << (n + i)));
            }
            mask |= 1L << i;
            prefix[i] = value.applyAsDouble(mask);
            marginal[i] = prefix[i] - prev;
            if (nulls) {
                nullMarginal[i] = prefix[i] - nullPrefix[i];
            }
            prev = prefix[i];
        }
        long everyone = mask;
        double full = prefix[n - 1];
        double[] loo = nan(n);
        if (measures.leaveOneOut()) {
            for (int i = 0; i < n; i++) {
                loo[i] = full - value.applyAsDouble(everyone & ~(1L << i));
            }
        }
        double[] shapley = nan(n);
        if (permutations > 0) {
            Arrays.fill(shapley, 0);
            SplittableRandom rng = new SplittableRandom(measures.shapleySeed());
            int[] perm = new int[n];
            for (int p = 0; p < permutations; p++) {
                shuffle(perm, rng);
                long s = 0;
                double before = empty;
                for (int i : perm) {
                    s |= 1L << i;
                    double after = value.applyAsDouble(s);
                    shapley[i] += after - before;
                    before = after;
                }
            }
            for (int i = 0; i < n; i++) {
                shapley[i] /= permutations;
            }
        }
        return new ContributionReport(prefix, marginal, loo, shapley, nullPrefix, nullMarginal, full, empty,
                permutations, cache.size() - 1);
    }

    private static void checkNulls(String field, FusionData nulls, FusionData models) {
        if (!Arrays.equals(nulls.featureSizes(), models.featureSizes()) || nulls.rows() != models.rows()
                || !Arrays.equals(nulls.labelCounts(), models.labelCounts())) {
            throw new InvalidInputException(field, "must hold one null per model with the model's shape "
                    + Arrays.toString(models.featureSizes()) + " x " + models.rows() + " rows, got "
                    + Arrays.toString(nulls.featureSizes()) + " x " + nulls.rows() + " rows");
        }
    }

    /** Test accuracy of always predicting the most frequent training class: v(empty). */
    private static double majorityAccuracy(FusionData train, FusionData test) {
        int[] counts = new int[train.classes()];
        for (int v : train.labelsView()) {
            counts[v]++;
        }
        int major = 0;
        for (int c = 1; c < counts.length; c++) {
            if (counts[c] > counts[major]) {
                major = c;
            }
        }
        long hits = 0;
        for (int v : test.labelsView()) {
            if (v == major) {
                hits++;
            }
        }
        return (double) hits / test.rows();
    }

    /** Fills {@code perm} with a uniformly random permutation of 0..n-1 (Fisher-Yates). */
    private static void shuffle(int[] perm, SplittableRandom rng) {
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        for (int i = perm.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
    }

    private static double[] nan(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }
}
