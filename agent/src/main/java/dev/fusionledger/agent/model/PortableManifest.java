package dev.fusionledger.agent.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The manifest of a model exported by another framework (PyTorch, TensorFlow, Keras, scikit-learn...)
 * as ONNX or TorchScript: what a verifier needs to run it on the task's samples (docs/agents.md,
 * "Model packages").
 *
 * @param format {@value #ONNX} or {@value #TORCHSCRIPT}
 * @param inputShape shape of one input sample without the batch dimension, e.g. [1, 28, 28];
 *     1..8 dimensions, each 1..2^20; the batch is fed as [N, inputShape...]
 * @param inputName ONNX: the graph input to feed (null: its first input); TorchScript: ignored
 * @param featureOutput the output holding the upper-layer feature vector f_i [N × featureSize]:
 *     its name for ONNX, its position ("0", "1", ...) in the returned tuple for TorchScript
 * @param featureSize |f_i|, 1..2^20
 * @param scoreOutput the output holding the class scores [N × labels]: name or position as above
 * @param scoreKind {@code softmax} (probabilities) or {@code logits} (the verifier applies softmax)
 * @param labels the label of each score position, in order, 1..1024 distinct non-blank strings
 * @param trainedLabels the labels the model was trained on (subset of labels); empty means all
 * @param producer free text naming what made the model, e.g. "torch 2.5 torch.onnx.export"
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PortableManifest(String format, List<Integer> inputShape, String inputName, String featureOutput,
        int featureSize, String scoreOutput, String scoreKind, List<String> labels, List<String> trainedLabels,
        String producer) {
    /** Format of an ONNX package: manifest.json + {@value #ONNX_ENTRY}. */
    public static final String ONNX = "fusionledger-onnx/v1";
    /** Format of a TorchScript package: manifest.json + {@value #TORCHSCRIPT_ENTRY}. */
    public static final String TORCHSCRIPT = "fusionledger-torchscript/v1";
    /** The model file of an ONNX package. */
    public static final String ONNX_ENTRY = "model.onnx";
    /** The model file of a TorchScript package. */
    public static final String TORCHSCRIPT_ENTRY = "model.pt";
    /** Largest dimension and feature size. */
    public static final int MAX_DIMENSION = 1 << 20;
    /** Most labels. */
    public static final int MAX_LABELS = 1024;

    /** @throws IllegalArgumentException naming the field and its allowed values */
    public PortableManifest {
        if (!ONNX.equals(format) && !TORCHSCRIPT.equals(format)) {
            throw new IllegalArgumentException("format: must be " + ONNX + " or " + TORCHSCRIPT + ", got " + format);
        }
        if (inputShape == null || inputShape.isEmpty() || inputShape.size() > 8
                || inputShape.stream().anyMatch(d -> d == null || d < 1 || d > MAX_DIMENSION)) {
            throw new IllegalArgumentException("inputShape: 1..8 dimensions, each in 1.." + MAX_DIMENSION + ", got "
                    + inputShape);
        }
        requireName("featureOutput", featureOutput, format);
        requireName("scoreOutput", scoreOutput, format);
        if (featureSize < 1 || featureSize > MAX_DIMENSION) {
            throw new IllegalArgumentException("featureSize: must be in 1.." + MAX_DIMENSION + ", got " + featureSize);
        }
        if (!"softmax".equals(scoreKind) && !"logits".equals(scoreKind)) {
            throw new IllegalArgumentException("scoreKind: must be softmax or logits, got " + scoreKind);
        }
        if (labels == null || labels.isEmpty() || labels.size() > MAX_LABELS
                || labels.stream().anyMatch(l -> l == null || l.isBlank()) || new HashSet<>(labels).size() != labels.size()) {
            throw new IllegalArgumentException("labels: 1.." + MAX_LABELS + " distinct non-blank labels, got " + labels);
        }
        trainedLabels = trainedLabels == null ? List.of() : List.copyOf(trainedLabels);
        Set<String> known = Set.copyOf(labels);
        for (String l : trainedLabels) {
            if (!known.contains(l)) {
                throw new IllegalArgumentException("trainedLabels: '" + l + "' is not one of labels " + labels);
            }
        }
        inputShape = List.copyOf(inputShape);
        labels = List.copyOf(labels);
    }

    private static void requireName(String field, String value, String format) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": required (" + (ONNX.equals(format) ? "the ONNX output's name"
                    : "the output's position in the TorchScript tuple, e.g. 0") + ")");
        }
        if (TORCHSCRIPT.equals(format) && !value.matches("[0-9]{1,2}")) {
            throw new IllegalArgumentException(field + ": a TorchScript output is named by its position 0..99, got " + value);
        }
    }

    /** The model file's name in the package. */
    public String modelEntry() {
        return ONNX.equals(format) ? ONNX_ENTRY : TORCHSCRIPT_ENTRY;
    }

    /** The DJL engine that runs the format. */
    String engine() {
        return ONNX.equals(format) ? "OnnxRuntime" : "PyTorch";
    }
}
