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
public record ModelOutputs(float[] features, float[] scores) {
    /**
     * The predicted class per row of row-major scores: the arg-max, ties to the smaller index.
     *
     * @param scores [N × classes]
     * @return [N] class indices 0..classes-1
     * @throws IllegalArgumentException if scores.length is not a multiple of classes
     */
    public static int[] predictions(float[] scores, int classes) {
        if (classes < 1 || scores.length % classes != 0) {
            throw new IllegalArgumentException("scores has " + scores.length + " values, not a multiple of " + classes);
        }
        int[] out = new int[scores.length / classes];
        for (int r = 0; r < out.length; r++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (scores[r * classes + c] > scores[r * classes + best]) {
                    best = c;
                }
            }
            out[r] = best;
        }
        return out;
    }
}
