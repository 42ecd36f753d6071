package dev.fusionledger.agent.contributor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fusionledger.agent.model.ModelPackages;
import dev.fusionledger.agent.model.ModelRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The user's own training program, run once per epoch with {@code bash -c COMMAND} in the task's
 * work directory, with the environment variables {@code FUSIONLEDGER_TASK_ID},
 * {@code FUSIONLEDGER_EPOCH} (1..), {@code FUSIONLEDGER_MAX_EPOCHS}, {@code FUSIONLEDGER_EPOCH_DEADLINE}
 * (Unix seconds) and {@code FUSIONLEDGER_OUT} (an empty directory). It must write the epoch's model
 * package to {@code $FUSIONLEDGER_OUT/model.zip} and may write {@code $FUSIONLEDGER_OUT/metrics.json}
 * (a JSON object); its output goes to {@code <workDir>/train-<epoch>.log}. A non-zero exit, a
 * missing or unloadable package, or running past the epoch deadline fails the epoch.
 */
public final class CommandTraining implements Training {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String command;
    private final java.util.function.LongSupplier clock;

    /**
     * @param command the shell command
     * @param clock now, Unix seconds
     * @throws IllegalArgumentException if the command is blank
     */
    public CommandTraining(String command, java.util.function.LongSupplier clock) {
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("train-command: must not be blank");
        }
        this.command = command;
        this.clock = clock;
    }

    @Override
    public EpochModel train(Context ctx) throws IOException, InterruptedException {
        Path out = ctx.workDir().resolve("epoch-" + ctx.epoch());
        Files.createDirectories(out);
        try (var old = Files.list(out)) {
            for (Path p : old.toList()) {
                Files.deleteIfExists(p);
            }
        }
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", "-c", command)).directory(ctx.workDir().toFile())
                .redirectErrorStream(true).redirectOutput(ctx.workDir().resolve("train-" + ctx.epoch() + ".log").toFile());
        pb.environment().put("FUSIONLEDGER_TASK_ID", ctx.task().taskId());
        pb.environment().put("FUSIONLEDGER_EPOCH", Integer.toString(ctx.epoch()));
        pb.environment().put("FUSIONLEDGER_MAX_EPOCHS", Integer.toString(ctx.task().spec().maxEpochs()));
        pb.environment().put("FUSIONLEDGER_EPOCH_DEADLINE", Long.toString(ctx.task().epochDeadline()));
        pb.environment().put("FUSIONLEDGER_OUT", out.toAbsolutePath().toString());
        Process p = pb.start();
        long seconds = Math.max(1, ctx.task().epochDeadline() - clock.getAsLong());
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("train-command: still running at the epoch deadline (" + seconds + " s); stopped it");
        }
        if (p.exitValue() != 0) {
            throw new IOException("train-command: exit " + p.exitValue() + " (see " + pb.redirectOutput().file() + ")");
        }
        Path pkg = out.resolve("model.zip");
        if (!Files.isRegularFile(pkg)) {
            throw new IOException("train-command: wrote no " + pkg);
        }
        byte[] artifact = Files.readAllBytes(pkg);
        try (ModelRunner m = ModelPackages.load(artifact)) {
            m.featureSize();
        }
        JsonNode metrics = JsonNodeFactory.instance.objectNode();
        Path mf = out.resolve("metrics.json");
        if (Files.isRegularFile(mf)) {
            metrics = JSON.readTree(mf.toFile());
            if (metrics == null || !metrics.isObject()) {
                throw new IOException("train-command: " + mf + " is not a JSON object");
            }
        }
        return new EpochModel(artifact, metrics);
    }
}
