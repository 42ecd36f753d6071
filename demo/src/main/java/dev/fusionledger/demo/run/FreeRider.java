package dev.fusionledger.demo.run;

import dev.fusionledger.agent.model.CnnArchitecture;
import dev.fusionledger.agent.model.CnnModel;

/**
 * The kinds of free rider the demo plants among the contributors (docs/fusion.md, "Free riders"):
 * each bids and stakes like an honest contributor and checkpoints every ledger epoch, but trains
 * nothing. The verifiers' votes must reject every kind.
 */
public enum FreeRider {
    /** An untrained network of C1's architecture (random weights), claiming no digits: all ten. */
    UNTRAINED,
    /** A byte-identical copy of another contributor's checkpoint of the same ledger epoch. */
    COPY,
    /** Another contributor's checkpoint with Gaussian noise of {@value #NOISE} x rms on every weight. */
    NOISY_COPY;

    /** Relative weight noise of {@link #NOISY_COPY}. */
    public static final float NOISE = 0.02f;

    /**
     * The artifact this free rider checkpoints.
     *
     * @param victim the artifact it copies (ignored by {@link #UNTRAINED})
     * @param seed seeds the untrained weights or the noise
     * @throws IllegalArgumentException if {@code victim} is not a model artifact
     */
    public byte[] artifact(byte[] victim, long seed) {
        return switch (this) {
            case UNTRAINED -> {
                try (CnnModel m = CnnModel.untrained(CnnArchitecture.C1, seed)) {
                    yield m.toArtifact();
                }
            }
            case COPY -> victim.clone();
            case NOISY_COPY -> {
                try (CnnModel m = CnnModel.fromArtifact(victim)) {
                    m.perturb(NOISE, seed);
                    yield m.toArtifact();
                }
            }
        };
    }
}
