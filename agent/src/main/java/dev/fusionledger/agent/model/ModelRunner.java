package dev.fusionledger.agent.model;

import java.util.List;

/**
 * A contributed model loaded for verification, whatever framework made it (docs/agents.md, "Model
 * packages"): the demo's DJL CNNs ({@link CnnModel}), ONNX and TorchScript exports
 * ({@link PortableModel}). Load one with {@link ModelPackages#load}. Not thread-safe.
 */
public interface ModelRunner extends AutoCloseable {
    /** The package format, e.g. {@code fusionledger-onnx/v1}. */
    String format();

    /** A short description for reports: architecture or producer. */
    String description();

    /** Shape of one input sample, e.g. [1, 28, 28]. */
    List<Integer> inputShape();

    /** |f_i|: the length of the feature vector per sample. */
    int featureSize();

    /** The label of each score position, in order (L entries). */
    List<String> labels();

    /** The labels the contributor declares the model was trained on; empty means all of {@link #labels()}. */
    List<String> trainedLabels();

    /**
     * Features and scores of every sample.
     *
     * @param samples [N × prod(inputShape)] float32 row-major, N ≥ 0
     * @throws IllegalArgumentException if samples.length is not a multiple of the sample size
     */
    ModelOutputs outputs(float[] samples);

    /** Frees the model's native memory. */
    @Override
    void close();
}
