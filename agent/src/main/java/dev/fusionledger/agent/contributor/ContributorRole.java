package dev.fusionledger.agent.contributor;

import dev.fusionledger.agent.model.CnnModel;
import dev.fusionledger.agent.model.ModelPackages;
import dev.fusionledger.agent.model.ModelRunner;
import dev.fusionledger.agent.model.PortableManifest;
import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.LedgerException;
import dev.fusionledger.client.store.ModelFormat;
import dev.fusionledger.client.store.ModelManifest;
import dev.fusionledger.client.store.ModelStore;
import dev.fusionledger.ledger.Bid;
import dev.fusionledger.ledger.Checkpoint;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The contributor's job for one task (docs/agents.md, "Contributor"): bid, then, once selected, per
 * ledger epoch train ({@link Training}), store the model package and submit its hash as the
 * epoch's checkpoint. {@link #step} is level-triggered like the verifier's: it does what is due
 * now, so it can be called again after a restart.
 */
public final class ContributorRole {
    /** What one {@link #step} found or did. */
    public enum Action {
        /** Submitted a bid. */
        BID,
        /** Bid before; the initiator has not resolved the bidding yet. */
        WAITING_FOR_SELECTION,
        /** The task went on without this contributor (not selected, cancelled). */
        NOT_SELECTED,
        /** Submitted the current epoch's checkpoint. */
        CHECKPOINTED,
        /** Checkpointed the current epoch before; waiting for the initiator to end it. */
        WAITING_FOR_EPOCH,
        /** Training is over for this task (verifying or settled). */
        DONE
    }

    /**
     * The outcome of one step.
     *
     * @param action what happened
     * @param epoch the epoch checkpointed, or 0
     * @param modelHash the checkpointed package's SHA-256, or null
     * @param transactionId the bid or checkpoint transaction, or null
     */
    public record Outcome(Action action, int epoch, String modelHash, String transactionId) {}

    private final FusionLedgerClient client;
    private final ModelStore store;
    private final Training training;
    private final Path workDir;
    private final Consumer<String> log;
    private final dev.fusionledger.client.seal.ContributorKeys keys;

    /**
     * @param client the contributor's ledger identity
     * @param store where its model packages go (verifiers read them there)
     * @param training its training
     * @param workDir a directory for the training's files (one subdirectory per task)
     * @param log one line per step that did something
     */
    public ContributorRole(FusionLedgerClient client, ModelStore store, Training training, Path workDir,
            Consumer<String> log) {
        this(client, store, training, workDir, log, null);
    }

    /**
     * A contributor that seals its models (docs/model-store.md): each package is encrypted with a
     * fresh key and checkpointed with {@code SubmitSealedCheckpoint}; once verifying, each step
     * delivers the final model's key to the drawn verifiers, and once settled to the initiator.
     *
     * @param keys where the data keys are kept and how recipients' keys are found; null stores in clear
     */
    public ContributorRole(FusionLedgerClient client, ModelStore store, Training training, Path workDir,
            Consumer<String> log, dev.fusionledger.client.seal.ContributorKeys keys) {
        this.keys = keys;
        this.client = client;
        this.store = store;
        this.training = training;
        this.workDir = workDir;
        this.log = log;
    }

    /**
     * Does what is due for the task now.
     *
     * @param dataPoints the data points to bid (used only while the task is bidding and this
     *     contributor has not bid), 1..
     * @param pricePerPoint credits per data point to bid
     * @throws LedgerException if the ledger refuses a call or cannot be reached
     * @throws Exception if training fails (no checkpoint is submitted)
     */
    public Outcome step(String taskId, long dataPoints, long pricePerPoint) throws Exception {
        Task t = client.getTask(taskId);
        String me = client.clientAccountId();
        switch (t.state()) {
            case BIDDING -> {
                boolean bid = client.getBids(taskId).stream().map(Bid::bidder).anyMatch(me::equals);
                if (bid) {
                    return new Outcome(Action.WAITING_FOR_SELECTION, 0, null, null);
                }
                String tx = client.submitBid(taskId, dataPoints, pricePerPoint).transactionId();
                log.accept("task " + taskId + ": bid " + dataPoints + " data points at " + pricePerPoint + " [tx " + tx + "]");
                return new Outcome(Action.BID, 0, null, tx);
            }
            case TRAINING -> {
                if (!t.selectedBidders().contains(me)) {
                    return new Outcome(Action.NOT_SELECTED, 0, null, null);
                }
                int epoch = t.currentEpoch();
                for (Checkpoint cp : client.getCheckpoints(taskId)) {
                    if (cp.contributor().equals(me) && cp.epoch() == epoch) {
                        return new Outcome(Action.WAITING_FOR_EPOCH, epoch, cp.modelHash(), null);
                    }
                }
                Path dir = workDir.resolve(taskId.length() > 16 ? taskId.substring(0, 16) : taskId);
                Files.createDirectories(dir);
                Training.EpochModel m = training.train(new Training.Context(t, epoch, dir));
                String hash;
                String tx;
                if (keys != null) {
                    var sealed = dev.fusionledger.client.seal.SealedModels.store(store, m.artifact(), storeManifest(m.artifact()));
                    keys.save(sealed);
                    hash = sealed.modelHash();
                    tx = client.submitSealedCheckpoint(taskId, epoch, hash, sealed.keyCommitment(), sealed.artifactCid(),
                            m.metrics()).transactionId();
                } else {
                    hash = store.put(m.artifact(), storeManifest(m.artifact()));
                    tx = client.submitCheckpoint(taskId, epoch, hash, m.metrics()).transactionId();
                }
                log.accept("task " + taskId + ": checkpoint of epoch " + epoch + ", model " + hash + " [tx " + tx + "]");
                return new Outcome(Action.CHECKPOINTED, epoch, hash, tx);
            }
            case VERIFYING, SETTLED -> {
                if (keys != null) {
                    for (var d : keys.deliverDue(client, taskId, java.time.Instant.now().getEpochSecond())) {
                        log.accept("task " + taskId + ": delivered the key of model " + d.modelHash() + " to the "
                                + d.recipientRole().toLowerCase(java.util.Locale.ROOT) + " " + d.recipient());
                    }
                }
                return new Outcome(t.selectedBidders().contains(me) ? Action.DONE : Action.NOT_SELECTED, 0, null, null);
            }
            default -> {
                return new Outcome(Action.NOT_SELECTED, 0, null, null);
            }
        }
    }

    /**
     * What the model store keeps beside a package: its format, input shape, feature size and labels.
     *
     * @throws IllegalArgumentException if the package does not load
     */
    public static ModelManifest storeManifest(byte[] artifact) throws IOException {
        try (ModelRunner m = ModelPackages.load(artifact)) {
            ModelFormat f = switch (m.format()) {
                case CnnModel.FORMAT -> ModelFormat.DJL;
                case PortableManifest.ONNX -> ModelFormat.ONNX;
                default -> ModelFormat.TORCHSCRIPT;
            };
            return new ModelManifest(f, m.inputShape(), m.featureSize(), java.util.List.of());
        }
    }

    /** A task's state, for callers deciding whether to keep stepping. */
    public static boolean open(TaskState s) {
        return s == TaskState.BIDDING || s == TaskState.TRAINING;
    }
}
