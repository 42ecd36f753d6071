package dev.fusionledger.fusion;

/**
 * Contributions of n models, measured as test accuracy of fusions trained on subsets of them.
 * v(S) is the test accuracy of a fusion trained (same config, same seed) on the models in S;
 * v(empty) is the accuracy of always predicting the most frequent training class. All values are
 * accuracy fractions or their differences, in [-1, 1].
 *
 * @param prefixAccuracy  {@code [n]} v({1..k}) for k = 1..n, submission order (paper Fig. 7/9)
 * @param marginal        {@code [n]} v({1..k}) - v({1..k-1}) (the paper's contribution)
 * @param leaveOneOut     {@code [n]} v(all) - v(all without i)
 * @param shapley         {@code [n]} Monte-Carlo Shapley estimate over the given permutations
 * @param fullAccuracy    v(all)
 * @param emptyAccuracy   v(empty)
 * @param permutations    permutations sampled for Shapley
 * @param fusionsTrained  distinct subsets trained
 */
public record ContributionReport(double[] prefixAccuracy, double[] marginal, double[] leaveOneOut,
                                 double[] shapley, double fullAccuracy, double emptyAccuracy, int permutations,
                                 int fusionsTrained) {
}
