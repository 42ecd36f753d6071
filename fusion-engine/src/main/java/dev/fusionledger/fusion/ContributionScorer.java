package dev.fusionledger.fusion;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Scores each contributed model by training fusions of subsets of the models (see
 * {@link ContributionReport} for the definitions). Each distinct subset is trained once; a
 * Shapley estimate over P permutations trains at most {@code P * n + n + 1} fusions.
 */
public final class ContributionScorer {
    /** Maximum Shapley permutations accepted. */
    public static final int MAX_PERMUTATIONS = 10_000;
    private final FusionTrainer trainer;

    /** @param trainer trains each subset's fusion */
    public ContributionScorer(FusionTrainer trainer) {
        this.trainer = trainer;
    }

    /**
     * @param train        labelled training rows of all n models
     * @param test         labelled test rows, same shapes
     * @param config       training config used for every subset (early stopping must be off)
     * @param permutations Monte-Carlo permutations, 1..10000
     * @param seed         seeds the permutations
     * @param cancelled    polled between and inside trainings
     * @return the report
     * @throws InvalidInputException when shapes differ, labels are missing, permutations are out
     *                               of range, or the config asks for early stopping
     * @throws CancellationException when cancelled
     */
    public ContributionReport score(FusionData train, FusionData test, FusionConfig config, int permutations,
                                    long seed, BooleanSupplier cancelled) {
        if (permutations < 1 || permutations > MAX_PERMUTATIONS) {
            throw new InvalidInputException("shapleyPermutations", "must be in 1.." + MAX_PERMUTATIONS + ", got "
                    + permutations);
        }
        if (!train.hasLabels() || !test.hasLabels()) {
            throw new InvalidInputException(train.hasLabels() ? "test.labels" : "train.labels", "labels [N] required");
        }
        if (!java.util.Arrays.equals(train.featureSizes(), test.featureSizes()) || train.classes() != test.classes()) {
            throw new InvalidInputException("test.features", "test shapes differ from training shapes");
        }
        if (config.earlyStoppingPatience() > 0) {
            throw new InvalidInputException("config.earlyStoppingPatience", "must be 0 for contribution scoring");
        }
        int n = train.models();
        Map<Long, Double> cache = new HashMap<>();
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
        double empty = (double) hits / test.rows();
        cache.put(0L, empty);
        java.util.function.LongToDoubleFunction value = mask -> cache.computeIfAbsent(mask, m -> {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("contribution scoring cancelled");
            }
            int[] idx = new int[Long.bitCount(m)];
            int k = 0;
            for (int i = 0; i < n; i++) {
                if ((m & (1L << i)) != 0) {
                    idx[k++] = i;
                }
            }
            FusionModel model = trainer.train(train.selectModels(idx), null, config, p -> { }, cancelled);
            return model.evaluate(test.selectModels(idx), trainer.backend()).accuracy();
        });
        double[] prefix = new double[n];
        double[] marginal = new double[n];
        long mask = 0;
        double prev = empty;
        for (int i = 0; i < n; i++) {
            mask |= 1L << i;
            prefix[i] = value.applyAsDouble(mask);
            marginal[i] = prefix[i] - prev;
            prev = prefix[i];
        }
        long all = mask;
        double full = prefix[n - 1];
        double[] loo = new double[n];
        for (int i = 0; i < n; i++) {
            loo[i] = full - value.applyAsDouble(all & ~(1L << i));
        }
        double[] shapley = new double[n];
        SplittableRandom rng = new SplittableRandom(seed);
        int[] perm = new int[n];
        for (int p = 0; p < permutations; p++) {
            for (int i = 0; i < n; i++) {
                perm[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
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
        return new ContributionReport(prefix, marginal, loo, shapley, full, empty, permutations, cache.size() - 1);
    }
}
