package dev.fusionledger.client.store;

import java.util.List;

/**
 * What a model artifact is, stored beside it: its format, the shape of one input sample, the length
 * of its output vector (its top layer, |f_i| in the fusion notation of Mendis et al., Section III-B;
 * docs/fusion.md) and the labels its outputs stand for.
 *
 * @param format     serialisation format of the artifact
 * @param inputShape shape of one input sample, e.g. {@code [28, 28]} for an MNIST digit; every
 *                   dimension in 1..2^20, 1..8 dimensions
 * @param outputSize length of the output vector per sample, in 1..2^20
 * @param labels     the label of each output position; empty or exactly {@code outputSize} entries
 * @throws IllegalArgumentException naming the field and its allowed range when any value is out of
 *                                  range
 */
public record ModelManifest(ModelFormat format, List<Integer> inputShape, int outputSize, List<String> labels) {

    /** Largest allowed dimension and output size. */
    public static final int MAX_DIMENSION = 1 << 20;

    public ModelManifest {
        if (format == null) {
            throw new IllegalArgumentException("format: required, one of DJL, ONNX, TORCHSCRIPT");
        }
        if (inputShape == null || inputShape.isEmpty() || inputShape.size() > 8) {
            throw new IllegalArgumentException("inputShape: must have 1..8 dimensions, got "
                    + (inputShape == null ? "none" : inputShape.size()));
        }
        for (Integer d : inputShape) {
            if (d == null || d < 1 || d > MAX_DIMENSION) {
                throw new IllegalArgumentException("inputShape: every dimension must be in 1.."
                        + MAX_DIMENSION + ", got " + inputShape);
            }
        }
        if (outputSize < 1 || outputSize > MAX_DIMENSION) {
            throw new IllegalArgumentException("outputSize: must be in 1.." + MAX_DIMENSION + ", got " + outputSize);
        }
        labels = labels == null ? List.of() : List.copyOf(labels);
        if (!labels.isEmpty() && labels.size() != outputSize) {
            throw new IllegalArgumentException("labels: must be empty or have outputSize=" + outputSize
                    + " entries, got " + labels.size());
        }
        inputShape = List.copyOf(inputShape);
    }
}
