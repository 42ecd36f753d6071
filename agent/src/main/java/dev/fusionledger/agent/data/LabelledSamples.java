package dev.fusionledger.agent.data;

import java.util.List;

/**
 * Labelled samples in memory.
 *
 * @param samples [rows × prod(sampleShape)] float32 row-major
 * @param labels [rows] class indices 0..L-1 into the task's labels
 * @param sampleShape shape of one sample as stored, e.g. [1, 28, 28]
 */
public record LabelledSamples(float[] samples, int[] labels, List<Integer> sampleShape) {
    /** @throws IllegalArgumentException if the sizes disagree */
    public LabelledSamples {
        sampleShape = List.copyOf(sampleShape);
        int size = sampleShape.stream().reduce(1, Math::multiplyExact);
        if (labels.length == 0 || samples.length != (long) labels.length * size) {
            throw new IllegalArgumentException("samples: need " + labels.length + " × " + size + " values for "
                    + labels.length + " labels, got " + samples.length);
        }
    }

    /** Number of samples. */
    public int rows() {
        return labels.length;
    }

    /** Values per sample: the product of {@link #sampleShape()}. */
    public int sampleSize() {
        return samples.length / labels.length;
    }
}
