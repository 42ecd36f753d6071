package dev.fusionledger.spark;

import java.io.Serializable;

/**
 * Figures of one {@link FusionClassifier#fit}, kept with the fitted model on the driver (not saved).
 *
 * @param rows           training rows N
 * @param blocks         row blocks cached on the executors
 * @param prepareSeconds wall time to read the DataFrame into cached float32 blocks and hash them
 *                       (includes computing the DataFrame's upstream stages), seconds
 * @param trainSeconds   wall time of the optimisation steps, seconds
 * @param steps          optimisation steps (Spark jobs) run
 * @param rowsSeen       rows over all steps' batches
 * @param finalLoss      mean cross-entropy over the last epoch's batches, nats
 */
public record FusionTrainingSummary(long rows, int blocks, double prepareSeconds, double trainSeconds, long steps,
                                    long rowsSeen, double finalLoss) implements Serializable {
    /** @return rows seen per second of optimisation */
    public double samplesPerSecond() {
        return rowsSeen / trainSeconds;
    }
}
