package dev.fusionledger.fusion;

/** A training stage, reported in {@link Progress}. */
public enum Stage {
    /** The single stage of Strategy I. */
    STRATEGY_I,
    /** Strategy II stage 1, gamma = 0: block entries of A and identity positions of B only. */
    II_BLOCKS,
    /** Strategy II stage 2, gamma = 1: all entries of A and B. */
    II_FULL
}
