package dev.fusionledger.agent.model;

/**
 * What a model computes for a batch of N samples: its upper-layer feature vector f_i (what the
 * verifiers concatenate and fuse, Mendis et al. Section III-B, Fig. 4; docs/fusion.md) and its
 * class scores (for predictions, own accuracy and the contribution game).
 *
 * @param features [N × |f_i|] float32 row-major
 * @param scores [N × L] float32 row-major, one row of probabilities (summing to 1) per sample, L
 *     the number of labels
 */
public record ModelOutputs(float[] features, float[] scores) {}
