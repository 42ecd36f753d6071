package dev.fusionledger.fusion;

/**
 * Contributions of n models, measured as test accuracy of fusions trained on subsets of them
 * (docs/fusion.md, "Contribution"). v(S) is the test accuracy of a fusion trained (same config,
 * same seed) on the models in S, in submission order; v(empty) is the accuracy of always
 * predicting the most frequent training class. ν_i is model i's null: a network of the same
 * architecture with fresh random weights, whose features the caller supplies. All values are
 * accuracy fractions or their differences, in [-1, 1]; a measure that was not asked for is
 * {@code NaN} in every entry.
 *
 * @param prefixAccuracy     {@code [n]} v({1..k}) for k = 1..n, submission order (paper Fig. 7/9)
 * @param marginal           {@code [n]} v({1..k}) - v({1..k-1}) (the paper's contribution)
 * @param leaveOneOut        {@code [n]} v(all) - v(all without i)
 * @param shapley            {@code [n]} Monte-Carlo Shapley estimate over the given permutations
 * @param nullPrefixAccuracy {@code [n]} v({1..k-1} + ν_k): model k replaced by its null
 * @param nullMarginal       {@code [n]} v({1..k}) - v({1..k-1} + ν_k): what model k adds to the
 *                           models submitted before it, beyond what random features of its
 *                           architecture add (0 for a random network or a copy of an earlier model)
 * @param fullAccuracy       v(all)
 * @param emptyAccuracy      v(empty)
 * @param permutations       permutations sampled for Shapley (0 = not computed)
 * @param fusionsTrained     distinct subsets trained
 */
public record ContributionReport(double[] prefixAccuracy, double[] marginal, double[] leaveOneOut,
                                 double[] shapley, double[] nullPrefixAccuracy, double[] nullMarginal,
                                 double fullAccuracy, double emptyAccuracy, int permutations, int fusionsTrained) {
}
