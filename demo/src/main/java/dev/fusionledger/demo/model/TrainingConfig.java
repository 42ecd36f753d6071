package dev.fusionledger.demo.model;

/**
 * How a contributor trains its CNN (Mendis et al., Table I: Adam, learning rate 1e-4; early stopping on the
 * contributor's own test split).
 *
 * @param maxEpochs at most this many passes over the training split, in [1, 1000]
 * @param patience stop after this many epochs without a better test accuracy, in [1, 1000]
 * @param batchSize images per Adam step, in [1, 4096]
 * @param learningRate Adam learning rate, in (0, 1]
 * @param seed seeds the initial parameters, the per-epoch shuffling and the shifts
 * @param shiftPixels input augmentation: each training image is shifted by a random (dx, dy) with
 *     |dx|, |dy| &le; shiftPixels pixels, drawn afresh every epoch (vacated pixels are 0); 0 = off;
 *     in [0, 4]
 */
public record TrainingConfig(int maxEpochs, int patience, int batchSize, double learningRate, long seed,
        int shiftPixels) {

    /** The paper's learning rate. */
    public static final double PAPER_LEARNING_RATE = 1e-4;
    /** Largest input shift, pixels. */
    public static final int MAX_SHIFT = 4;

    /**
     * @throws IllegalArgumentException naming the field and the allowed range
     */
    public TrainingConfig {
        check("maxEpochs", maxEpochs, 1, 1000);
        check("patience", patience, 1, 1000);
        check("batchSize", batchSize, 1, 4096);
        if (!(learningRate > 0 && learningRate <= 1)) {
            throw new IllegalArgumentException("learningRate must be in (0, 1], got " + learningRate);
        }
        check("shiftPixels", shiftPixels, 0, MAX_SHIFT);
    }

    /** Without augmentation; see the record components. */
    public TrainingConfig(int maxEpochs, int patience, int batchSize, double learningRate, long seed) {
        this(maxEpochs, patience, batchSize, learningRate, seed, 0);
    }

    /** This config with {@code shiftPixels} = {@code pixels}. */
    public TrainingConfig withShift(int pixels) {
        return new TrainingConfig(maxEpochs, patience, batchSize, learningRate, seed, pixels);
    }

    /** Adam at 1e-4, batches of 32, the given epochs, patience and seed. */
    public static TrainingConfig paper(int maxEpochs, int patience, long seed) {
        return new TrainingConfig(maxEpochs, patience, 32, PAPER_LEARNING_RATE, seed);
    }

    private static void check(String field, int v, int lo, int hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(field + " must be in [" + lo + ", " + hi + "], got " + v);
        }
    }
}
