package dev.fusionledger.agent.model;

import java.util.List;

/**
 * The small JSON manifest stored next to the parameters in a model artifact
 * ({@value CnnModel#MANIFEST_ENTRY} in the zip).
 *
 * @param format always {@value CnnModel#FORMAT}
 * @param architecture Table I name, {@code C1}..{@code C5}
 * @param engine DJL engine the parameters are for ({@code PyTorch})
 * @param inputShape shape of one input image: [1, 28, 28] (channels, height, width), grey levels in [0, 1]
 * @param outputSize number of output scores: 10
 * @param labels the label of each output, in order: "0".."9"
 * @param outputs what the scores are: {@code softmax} (probabilities summing to 1 per image)
 * @param trainedDigits the digits the model was trained on, sorted; empty for an untrained model
 * @param seed the seed that initialised (and, if trained, shuffled) the model
 * @param epochs epochs of training the parameters are from (the early-stopping best); 0 if untrained
 * @param featureLayer the layer whose output is the model's upper-layer feature vector f_i, what the
 *     verifiers fuse: {@value #FEATURE_LAYER} (the hidden fully connected layer after its ReLU)
 * @param featureSize |f_i|, the length of that vector: 500
 */
public record ModelManifest(String format, String architecture, String engine, List<Integer> inputShape,
        int outputSize, List<String> labels, String outputs, List<Integer> trainedDigits, long seed, int epochs,
        String featureLayer, int featureSize) {

    /** The feature layer of the Table I networks. */
    public static final String FEATURE_LAYER = "hidden-relu";

    /** Manifest of a model of {@code architecture}; see the record components. */
    public static ModelManifest of(CnnArchitecture architecture, List<Integer> trainedDigits, long seed, int epochs) {
        return new ModelManifest(CnnModel.FORMAT, architecture.name(), "PyTorch", List.of(1, 28, 28),
                CnnArchitecture.OUTPUTS, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), "softmax",
                List.copyOf(trainedDigits), seed, epochs, FEATURE_LAYER, CnnArchitecture.HIDDEN);
    }
}
