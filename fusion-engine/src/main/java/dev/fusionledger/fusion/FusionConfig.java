package dev.fusionledger.fusion;

/**
 * Hyper-parameters of a fusion training run. Build with {@link #builder()}; every field has a
 * default and {@link Builder#build()} checks the ranges.
 *
 * <table>
 * <caption>Fields, defaults and ranges</caption>
 * <tr><th>field</th><th>default</th><th>range</th></tr>
 * <tr><td>strategy</td><td>II</td><td>I | II</td></tr>
 * <tr><td>epochs (Strategy I)</td><td>20</td><td>1..10000</td></tr>
 * <tr><td>stage1Epochs (Strategy II, gamma=0)</td><td>10</td><td>1..10000</td></tr>
 * <tr><td>stage2Epochs (Strategy II, gamma=1)</td><td>10</td><td>0..10000</td></tr>
 * <tr><td>batchSize (rows)</td><td>128</td><td>1..1048576</td></tr>
 * <tr><td>learningRate (Adam step)</td><td>0.01</td><td>(0, 10]</td></tr>
 * <tr><td>beta1, beta2 (Adam)</td><td>0.9, 0.999</td><td>[0, 1)</td></tr>
 * <tr><td>epsilon (Adam)</td><td>1e-7</td><td>(0, 1]</td></tr>
 * <tr><td>l2 (penalty l2/2 * ||W_eff||^2)</td><td>0</td><td>[0, 1]</td></tr>
 * <tr><td>seed</td><td>0</td><td>any long</td></tr>
 * <tr><td>earlyStoppingPatience (epochs; 0 = off, needs a validation set)</td><td>0</td><td>0..10000</td></tr>
 * </table>
 *
 * @param strategy              training strategy
 * @param epochs                Strategy I epochs
 * @param stage1Epochs          Strategy II stage-1 epochs
 * @param stage2Epochs          Strategy II stage-2 epochs
 * @param batchSize             rows per mini-batch
 * @param learningRate          Adam learning rate
 * @param beta1                 Adam first-moment decay
 * @param beta2                 Adam second-moment decay
 * @param epsilon               Adam epsilon
 * @param l2                    L2 penalty coefficient
 * @param seed                  seeds the initial weights and the shuffling
 * @param earlyStoppingPatience epochs without validation-loss improvement before a stage stops
 */
public record FusionConfig(Strategy strategy, int epochs, int stage1Epochs, int stage2Epochs,
                           int batchSize, float learningRate, float beta1, float beta2, float epsilon,
                           float l2, long seed, int earlyStoppingPatience) {

    /** Maximum epochs per stage. */
    public static final int MAX_EPOCHS = 10_000;
    /** Maximum batch size (rows). */
    public static final int MAX_BATCH = 1 << 20;

    /**
     * Checks every field.
     *
     * @throws InvalidInputException naming the field ({@code config.<name>}) and its range
     */
    public FusionConfig {
        if (strategy == null) {
            throw new InvalidInputException("config.strategy", "must be I or II");
        }
        range("config.epochs", epochs, 1, MAX_EPOCHS);
        range("config.stage1Epochs", stage1Epochs, 1, MAX_EPOCHS);
        range("config.stage2Epochs", stage2Epochs, 0, MAX_EPOCHS);
        range("config.batchSize", batchSize, 1, MAX_BATCH);
        if (!(learningRate > 0 && learningRate <= 10)) {
            throw new InvalidInputException("config.learningRate", "must be in (0, 10], got " + learningRate);
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new InvalidInputException("config.beta1", "must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new InvalidInputException("config.beta2", "must be in [0, 1), got " + beta2);
        }
        if (!(epsilon > 0 && epsilon <= 1)) {
            throw new InvalidInputException("config.epsilon", "must be in (0, 1], got " + epsilon);
        }
        if (!(l2 >= 0 && l2 <= 1)) {
            throw new InvalidInputException("config.l2", "must be in [0, 1], got " + l2);
        }
        range("config.earlyStoppingPatience", earlyStoppingPatience, 0, MAX_EPOCHS);
    }

    private static void range(String field, int v, int lo, int hi) {
        if (v < lo || v > hi) {
            throw new InvalidInputException(field, "must be in " + lo + ".." + hi + ", got " + v);
        }
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this config's values */
    public Builder toBuilder() {
        return new Builder().strategy(strategy).epochs(epochs).stage1Epochs(stage1Epochs)
                .stage2Epochs(stage2Epochs).batchSize(batchSize).learningRate(learningRate)
                .beta1(beta1).beta2(beta2).epsilon(epsilon).l2(l2).seed(seed)
                .earlyStoppingPatience(earlyStoppingPatience);
    }

    /** Builder with the documented defaults. */
    public static final class Builder {
        private Strategy strategy = Strategy.II;
        private int epochs = 20;
        private int stage1Epochs = 10;
        private int stage2Epochs = 10;
        private int batchSize = 128;
        private float learningRate = 0.01f;
        private float beta1 = 0.9f;
        private float beta2 = 0.999f;
        private float epsilon = 1e-7f;
        private float l2 = 0f;
        private long seed = 0L;
        private int earlyStoppingPatience = 0;

        private Builder() {
        }

        /** @param v strategy @return this */
        public Builder strategy(Strategy v) { strategy = v; return this; }
        /** @param v Strategy I epochs @return this */
        public Builder epochs(int v) { epochs = v; return this; }
        /** @param v Strategy II stage-1 epochs @return this */
        public Builder stage1Epochs(int v) { stage1Epochs = v; return this; }
        /** @param v Strategy II stage-2 epochs @return this */
        public Builder stage2Epochs(int v) { stage2Epochs = v; return this; }
        /** @param v rows per mini-batch @return this */
        public Builder batchSize(int v) { batchSize = v; return this; }
        /** @param v Adam learning rate @return this */
        public Builder learningRate(float v) { learningRate = v; return this; }
        /** @param v Adam beta1 @return this */
        public Builder beta1(float v) { beta1 = v; return this; }
        /** @param v Adam beta2 @return this */
        public Builder beta2(float v) { beta2 = v; return this; }
        /** @param v Adam epsilon @return this */
        public Builder epsilon(float v) { epsilon = v; return this; }
        /** @param v L2 coefficient @return this */
        public Builder l2(float v) { l2 = v; return this; }
        /** @param v seed @return this */
        public Builder seed(long v) { seed = v; return this; }
        /** @param v early-stopping patience in epochs, 0 = off @return this */
        public Builder earlyStoppingPatience(int v) { earlyStoppingPatience = v; return this; }

        /**
         * @return the config
         * @throws InvalidInputException when a field is out of range
         */
        public FusionConfig build() {
            return new FusionConfig(strategy, epochs, stage1Epochs, stage2Epochs, batchSize, learningRate,
                    beta1, beta2, epsilon, l2, seed, earlyStoppingPatience);
        }
    }
}
