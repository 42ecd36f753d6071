package dev.fusionledger.agent.contributor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fusionledger.ledger.Task;
import java.nio.file.Path;

/**
 * The contributor's own training, plugged into {@link ContributorRole} (docs/agents.md,
 * "Contributor"): called once per ledger epoch of a task the contributor was selected for, it
 * returns the model package to checkpoint for that epoch. Implementations: {@link PackagedModel}
 * (a model trained beforehand, e.g. exported from PyTorch as ONNX), {@link CommandTraining} (the
 * user's own training script, run per epoch), and the demo's DJL trainer.
 */
@FunctionalInterface
public interface Training {
    /**
     * What an epoch's training is for.
     *
     * @param task the task as the ledger has it now (its spec: labels, input shape, epochs)
     * @param epoch the ledger epoch to checkpoint, 1..spec.maxEpochs
     * @param workDir a directory for this task's files, kept across epochs
     */
    record Context(Task task, int epoch, Path workDir) {}

    /**
     * An epoch's result.
     *
     * @param artifact the model package (docs/agents.md, "Model packages")
     * @param metrics what the contributor reports with the checkpoint (a JSON object, may be empty)
     */
    record EpochModel(byte[] artifact, JsonNode metrics) {}

    /**
     * Trains for one epoch.
     *
     * @throws Exception if training fails; the role then submits no checkpoint for the epoch
     */
    EpochModel train(Context context) throws Exception;
}
