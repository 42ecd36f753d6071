package dev.fusionledger.demo.model;

import dev.fusionledger.agent.model.CnnModel;

import java.util.List;

/**
 * Outcome of {@link ContributorTrainer#train}: the model (holding the parameters of the best epoch)
 * and the per-epoch figures. The caller owns (and must close) the model.
 *
 * @param model the trained model, parameters of epoch {@code bestEpoch}
 * @param epochs one entry per epoch run, in order
 * @param bestEpoch 1-based epoch with the highest test accuracy (the earliest on ties)
 * @param bestTestAccuracy that accuracy, in [0, 1]
 * @param seconds wall time of the whole training, seconds
 * @param snapshots per requested local epoch e, the artifact of the best model after e epochs (the
 *     final model for an e past early stopping); empty when none were requested
 */
public record TrainingResult(CnnModel model, List<EpochStats> epochs, int bestEpoch, double bestTestAccuracy,
        double seconds, java.util.SortedMap<Integer, byte[]> snapshots) {

    /**
     * One epoch.
     *
     * @param epoch 1-based
     * @param meanLoss mean softmax cross-entropy over the epoch's training images (nats)
     * @param trainAccuracy accuracy on the training batches during the epoch, in [0, 1]
     * @param testAccuracy accuracy on the test split after the epoch, in [0, 1]
     * @param seconds wall time of the epoch (training and test), seconds
     */
    public record EpochStats(int epoch, double meanLoss, double trainAccuracy, double testAccuracy, double seconds) {}
}
