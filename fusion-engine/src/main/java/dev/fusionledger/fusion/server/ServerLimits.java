package dev.fusionledger.fusion.server;

/**
 * Limits of a {@link FusionServer}. Requests beyond them get {@code RESOURCE_EXHAUSTED}.
 *
 * @param maxMessageBytes        largest inbound gRPC message, bytes (default 64 MiB)
 * @param maxValues              largest data set a request may carry or declare, in float values
 *                               summed over all models and rows (default 200 million, 800 MB)
 * @param maxModels              most models n per request (default 64)
 * @param maxPermutations        most Shapley permutations (default 1000)
 * @param maxConcurrentTrainings Train streams training at once; more get RESOURCE_EXHAUSTED (default 2)
 */
public record ServerLimits(int maxMessageBytes, long maxValues, int maxModels, int maxPermutations,
                           int maxConcurrentTrainings) {

    /**
     * @throws IllegalArgumentException when a limit is not positive or maxModels exceeds 64
     */
    public ServerLimits {
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 1024, got " + maxMessageBytes);
        }
        if (maxValues < 1) {
            throw new IllegalArgumentException("maxValues must be positive, got " + maxValues);
        }
        if (maxModels < 1 || maxModels > 64) {
            throw new IllegalArgumentException("maxModels must be in 1..64, got " + maxModels);
        }
        if (maxPermutations < 1) {
            throw new IllegalArgumentException("maxPermutations must be positive, got " + maxPermutations);
        }
        if (maxConcurrentTrainings < 1) {
            throw new IllegalArgumentException("maxConcurrentTrainings must be positive, got " + maxConcurrentTrainings);
        }
    }

    /** @return the defaults listed above */
    public static ServerLimits defaults() {
        return new ServerLimits(64 << 20, 200_000_000L, 64, 1000, 2);
    }
}
