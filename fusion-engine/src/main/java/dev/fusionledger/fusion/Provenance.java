package dev.fusionledger.fusion;

/**
 * Where a fusion model came from.
 *
 * @param config         the training config (its seed included)
 * @param trainingSha256 {@link FusionData#sha256()} of the training rows, lowercase hex
 * @param engineVersion  {@link FusionEngine#VERSION} of the engine that trained it
 */
public record Provenance(FusionConfig config, String trainingSha256, String engineVersion) {
    /** @return the seed of the run */
    public long seed() {
        return config.seed();
    }
}
