package dev.fusionledger.fusion;

/**
 * Evaluation of a fusion model on a labelled data set.
 *
 * @param accuracy  fraction of rows whose argmax equals the label, in [0, 1]
 * @param loss      mean cross-entropy, nats per sample
 * @param samples   N
 * @param classes   d
 * @param confusion {@code [d x d]} counts, row = true class, column = predicted class
 */
public record Metrics(double accuracy, double loss, int samples, int classes, long[] confusion) {
    /**
     * @param trueClass true class
     * @param predicted predicted class
     * @return rows of {@code trueClass} predicted as {@code predicted}
     */
    public long confusion(int trueClass, int predicted) {
        return confusion[trueClass * classes + predicted];
    }
}
