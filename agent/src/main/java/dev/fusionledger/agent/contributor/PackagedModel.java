package dev.fusionledger.agent.contributor;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fusionledger.agent.model.ModelPackages;
import dev.fusionledger.agent.model.ModelRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model trained beforehand (e.g. in PyTorch and exported as ONNX, then packed with
 * {@code fusionledger pack-model}): the same package is checkpointed every epoch.
 */
public final class PackagedModel implements Training {
    private final byte[] artifact;

    /**
     * Reads and checks the package: it must load.
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it is not a loadable model package (the message says why)
     */
    public PackagedModel(Path file) throws IOException {
        this.artifact = Files.readAllBytes(file);
        try (ModelRunner m = ModelPackages.load(artifact)) {
            if (m.featureSize() < 1) {
                throw new IllegalArgumentException(file + ": no feature output");
            }
        }
    }

    @Override
    public EpochModel train(Context context) {
        return new EpochModel(artifact, JsonNodeFactory.instance.objectNode().put("source", "packaged"));
    }
}
