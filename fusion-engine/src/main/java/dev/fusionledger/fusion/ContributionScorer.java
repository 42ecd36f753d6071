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
        return score(train, test, config, measures, cancelled, localEvaluator());
    }

    /**
     * As {@link #score(FusionData, FusionData, FusionConfig, Measures, BooleanSupplier)}, with the
     * coalitions the measures need computed by {@code evaluator} in one batch (fusion-spark runs
     * them as Spark tasks). The report is the same whatever evaluator computes the values.
     *
     * @param evaluator computes v(S) for the needed coalitions
     * @return the report
     * @throws InvalidInputException as the other overload
     * @throws CancellationException when cancelled
     */
    public ContributionReport score(FusionData train, FusionData test, FusionConfig config, Measures measures,
                                    BooleanSupplier cancelled, CoalitionEvaluator evaluator) {
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
        // pass 1: which coalitions the measures need (the set does not depend on the values)
        java.util.TreeSet<Long> needed = new java.util.TreeSet<>();
        report(n, nulls, measures, empty, mask -> {
            if (mask != 0) {
                needed.add(mask);
            }
            return 0;
        });
        long[] masks = needed.stream().mapToLong(Long::longValue).toArray();
        double[] values = evaluator.values(all, allTest, config, masks, cancelled);
        if (values.length != masks.length) {
            throw new IllegalStateException("coalition evaluator returned " + values.length + " values for "
                    + masks.length + " coalitions");
        }
        Map<Long, Double> cache = new HashMap<>();
        cache.put(0L, empty);
        for (int i = 0; i < masks.length; i++) {
            cache.put(masks[i], values[i]);
        }
        // pass 2: the measures from the values
        return report(n, nulls, measures, empty, cache::get);
    }

    /**
     * Trains coalitions one after the other on the caller's thread; the default evaluator.
     *
     * @return the evaluator training with this scorer's trainer
     */
    public CoalitionEvaluator localEvaluator() {
        return (train, test, config, masks, cancelled) -> {
            double[] v = new double[masks.length];
            for (int i = 0; i < masks.length; i++) {
                v[i] = coalitionValue(trainer, train, test, config, masks[i], cancelled);
            }
            return v;
        };
    }

    /**
     * v(S): the test accuracy of a fusion trained on the models of the coalition S (in index order).
     * Every evaluator (this JVM, or a Spark task in fusion-spark) computes coalitions with this method,
     * so the same config and backend give the same values wherever they run.
     *
     * @param trainer   trains the fusion
     * @param train     training rows of all models, the nulls (if any) at indexes n..2n-1
     * @param test      test rows, same shapes
     * @param config    training config
     * @param mask      the coalition, bit i = model i of {@code train}; not 0
     * @param cancelled polled before and inside the training
     * @return test accuracy in [0, 1]
     * @throws CancellationException when cancelled
     */
    public static double coalitionValue(FusionTrainer trainer, FusionData train, FusionData test, FusionConfig config,
                                        long mask, BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) {
            throw new CancellationException("contribution scoring cancelled");
        }
        int[] idx = new int[Long.bitCount(mask)];
        int k = 0;
        for (int i = 0; i < train.models(); i++) {
            if ((mask & (1L << i)) != 0) {
                idx[k++] = i;
            }
        }
        FusionModel model = trainer.train(train.selectModels(idx), null, config, p -> { }, cancelled);
        return model.evaluate(test.selectModels(idx), trainer.backend()).accuracy();
    }

    /**
     * Computes v(S) for a batch of coalitions, possibly in parallel or on other machines; each value
     * must be {@link #coalitionValue} of its mask.
     */
    @FunctionalInterface
    public interface CoalitionEvaluator {
        /**
         * @param train     training rows of the n models followed by their n nulls when null-relative
         *                  measures are asked for (2n models then)
         * @param test      test rows, same shapes
         * @param config    training config for every coalition
         * @param masks     distinct non-empty coalitions, ascending (bit i = model i of {@code train})
         * @param cancelled polled by the trainings
         * @return v(S) per mask, in the order of {@code masks}
         * @throws CancellationException when cancelled
         */
        double[] values(FusionData train, FusionData test, FusionConfig config, long[] masks,
                        BooleanSupplier cancelled);
    }

    // bit i = model i, bit n + i = its null; selectModels keeps index order, so a null stands
    // at the position of the model it replaces only when all lower models are real (prefixes)
    private static ContributionReport report(int n, boolean nulls, Measures measures, double empty,
                                             LongToDoubleFunction value) {
        int permutations = measures.shapleyPermutations();
        Map<Long, Boolean> distinct = new HashMap<>();
        LongToDoubleFunction v = mask -> {
            if (mask != 0) {
                distinct.put(mask, Boolean.TRUE);
            }
            return mask == 0 ? empty : value.applyAsDouble(mask);
        };
        double[] prefix = new double[n];
        double[] marginal = new double[n];
        double[] nullPrefix = nan(n);
        double[] nullMarginal = nan(n);
        long mask = 0;
        double prev = empty;
        for (int i = 0; i < n; i++) {
            if (nulls) {
                nullPrefix[i] = v.applyAsDouble(mask | (1L << (n + i)));
            }
            mask |= 1L << i;
            prefix[i] = v.applyAsDouble(mask);
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
                loo[i] = full - v.applyAsDouble(everyone & ~(1L << i));
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
                    double after = v.applyAsDouble(s);
                    shapley[i] += after - before;
                    before = after;
                }
            }
            for (int i = 0; i < n; i++) {
                shapley[i] /= permutations;
            }
        }
        return new ContributionReport(prefix, marginal, loo, shapley, nullPrefix, nullMarginal, full, empty,
                permutations, distinct.size());
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
