package dev.fusionledger.fusion;

/** Fusion training strategy (Mendis et al., Section III-B). */
public enum Strategy {
    /** A and B random (seeded); all weights trained by back-propagation in one stage. */
    I,
    /**
     * A block-diagonal (block W_i at model i's rows and columns), B stacked d x d identities.
     * Stage 1 (gamma = 0) trains only the block entries of A and the identity positions of B;
     * stage 2 (gamma = 1) trains all entries.
     */
    II
}
