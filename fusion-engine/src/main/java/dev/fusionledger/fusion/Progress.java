package dev.fusionledger.fusion;

/**
 * Progress after one epoch of one stage.
 *
 * @param stage          the stage
 * @param epoch          1-based epoch within the stage
 * @param loss           mean training cross-entropy over the epoch's mini-batches (nats per sample)
 * @param accuracy       training accuracy over the epoch's mini-batches, in [0, 1]
 * @param validationLoss mean cross-entropy on the validation set, NaN without one
 * @param samplesSeen    training rows processed so far over all stages
 */
public record Progress(Stage stage, int epoch, double loss, double accuracy, double validationLoss,
                       long samplesSeen) {
}
