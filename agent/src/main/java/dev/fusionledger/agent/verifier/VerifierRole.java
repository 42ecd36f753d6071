package dev.fusionledger.agent.verifier;

import dev.fusionledger.agent.data.LabelledSamples;
import dev.fusionledger.agent.data.VerificationData;
import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.LedgerException;
import dev.fusionledger.client.MarketRuleException;
import dev.fusionledger.client.VoteBook;
import dev.fusionledger.client.store.ModelIntegrityException;
import dev.fusionledger.client.store.ModelNotFoundException;
import dev.fusionledger.client.store.ModelStore;
import dev.fusionledger.ledger.Checkpoint;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskState;
import dev.fusionledger.ledger.Verifier;
import dev.fusionledger.ledger.VerifierStatus;
import dev.fusionledger.ledger.VoteEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The verifier's whole job for one task (docs/agents.md): read the final checkpoints, fetch and
 * hash-check every final model, check the verification data against the task's hash, verify
 * ({@link Verification}), save votes and salt ({@link VoteBook}: the CLI's book, so
 * {@code fusionledger verifier reveal} can reveal what an agent committed), commit, and reveal once
 * reveals open. {@link #step} is level-triggered: it looks at the ledger and does the next thing that is
 * due, so calling it again after a crash or restart continues where the verifier stopped.
 */
public final class VerifierRole {
    /** What one {@link #step} found or did. */
    public enum Action {
        /** The task is not (or no longer) verifying, or this identity is not a drawn verifier of it. */
        NOTHING_TO_DO,
        /** Verified and committed. */
        COMMITTED,
        /** Committed before; reveals are not open yet (other drawn verifiers still commit). */
        WAITING_FOR_REVEAL,
        /** Revealed. */
        REVEALED,
        /** Revealed before. */
        DONE,
        /** The commit or reveal deadline passed before this verifier could act. */
        TOO_LATE,
        /**
         * Drawn, but a sealed final model's key is not delivered yet; it waits until half of the commit
         * phase has passed, then verifies without the models whose keys are missing.
         */
        WAITING_FOR_KEYS
    }

    /**
     * The outcome of one step.
     *
     * @param action what happened
     * @param votes the votes committed or revealed (empty otherwise)
     * @param report the verification, when this step verified (null otherwise)
     * @param transactionId the commit or reveal transaction, or null
     */
    public record Outcome(Action action, List<VoteEntry> votes, Verification.Report report, String transactionId) {}

    private final FusionLedgerClient client;
    private final ModelStore store;
    private final VerificationData data;
    private final Verification verification;
    private final VoteBook book;
    private final Consumer<String> log;
    private final LongSupplier clock;
    private final java.nio.file.Path reportDir;
    private java.security.PrivateKey enrolmentKey;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper()
            .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    /**
     * @param client the verifier's ledger identity
     * @param store where the contributors' model packages are
     * @param data the verifier's data directory
     * @param verification how it fuses and scores
     * @param book where votes and salts are kept (written before each commit, read for the reveal)
     * @param log one line per step
     * @param clock now, Unix seconds (the ledger's clock is the submitting client's)
     * @param reportDir where each verification's report is written as {@code <taskId>.json}
     *     (docs/agents.md, "Verification reports"; the console charts it), or null for none
     */
    public VerifierRole(FusionLedgerClient client, ModelStore store, VerificationData data, Verification verification,
            VoteBook book, Consumer<String> log, LongSupplier clock, java.nio.file.Path reportDir) {
        this.client = client;
        this.store = store;
        this.data = data;
        this.verification = verification;
        this.book = book;
        this.log = log;
        this.clock = clock;
        this.reportDir = reportDir;
    }

    /**
     * Opens sealed models (docs/model-store.md) with the keys delivered to this verifier, unwrapped
     * with {@code key}, its enrolment private key; without it a sealed model counts as unavailable.
     *
     * @return this role
     */
    public VerifierRole withEnrolmentKey(java.security.PrivateKey key) {
        this.enrolmentKey = key;
        return this;
    }

    /**
     * Does what is due for the task now: commit if drawn and not committed, reveal if committed and
     * reveals are open.
     *
     * @throws VerificationData.DataMismatchException if the data's hash is not the task's (no vote)
     * @throws IOException if the data or the vote book cannot be read or written
     * @throws LedgerException if the ledger refuses a call or cannot be reached
     * @throws io.grpc.StatusRuntimeException if the fusion engine fails: nothing is committed
     */
    public Outcome step(String taskId) throws IOException, LedgerException {
        Task t = client.getTask(taskId);
        String me = client.clientAccountId();
        if (t.state() != TaskState.VERIFYING || !t.drawnVerifiers().contains(me)) {
            return new Outcome(Action.NOTHING_TO_DO, List.of(), null, null);
        }
        Verifier v = client.getVerifiers(taskId).stream().filter(x -> x.verifier().equals(me)).findFirst()
                .orElse(null);
        if (v == null || v.status() != VerifierStatus.DRAWN) {
            return new Outcome(Action.NOTHING_TO_DO, List.of(), null, null);
        }
        long now = clock.getAsLong();
        if (v.revealedAt() > 0) {
            return new Outcome(Action.DONE, List.of(), null, null);
        }
        if (v.commitment() == null) {
            if (now > t.commitDeadline()) {
                return new Outcome(Action.TOO_LATE, List.of(), null, null);
            }
            if (enrolmentKey != null && now < t.commitDeadline() - t.spec().commitSeconds() / 2 && keysMissing(t, me)) {
                return new Outcome(Action.WAITING_FOR_KEYS, List.of(), null, null);
            }
            Verification.Report report = verify(t);
            VoteBook.Entry pending = book.prepare(taskId, me, votes(report), null);
            String tx;
            try {
                tx = client.commitVote(taskId, pending.commitment()).transactionId();
            } catch (MarketRuleException e) {
                book.rejected(pending); // refused by a rule: nothing on the ledger needs these votes
                throw e;
            }
            book.accepted(pending);
            log.accept("task " + taskId + ": committed " + pending.votes().size() + " votes [tx " + tx + "]");
            return new Outcome(Action.COMMITTED, pending.votes(), report, tx);
        }
        VoteBook.Entry saved = book.find(taskId, me, v.commitment()).orElseThrow(() -> new IllegalStateException(
                "task " + taskId + ": committed " + v.commitment() + " but the vote book in " + book.dir()
                        + " has no votes and salt for it"));
        if (now > t.revealDeadline()) {
            return new Outcome(Action.TOO_LATE, saved.votes(), null, null);
        }
        boolean allCommitted = client.getVerifiers(taskId).stream()
                .filter(x -> t.drawnVerifiers().contains(x.verifier())).allMatch(x -> x.commitment() != null);
        if (!allCommitted && now <= t.commitDeadline()) {
            return new Outcome(Action.WAITING_FOR_REVEAL, saved.votes(), null, null);
        }
        String tx = client.revealVote(taskId, saved.votes(), saved.salt()).transactionId();
        log.accept("task " + taskId + ": revealed [tx " + tx + "]");
        return new Outcome(Action.REVEALED, saved.votes(), null, tx);
    }

    /**
     * Verifies the task's final models without touching the ledger.
     *
     * @throws VerificationData.DataMismatchException if the data's hash is not the task's
     * @throws IOException if the data cannot be read
     * @throws LedgerException if the ledger cannot be read
     */
    public Verification.Report verify(Task t) throws IOException, LedgerException {
        int inputSize = t.spec().inputShape().stream().reduce(1, Math::multiplyExact);
        int labels = t.spec().labels().size();
        LabelledSamples ver = data.verification(t.spec().verificationDataHash(), labels, inputSize);
        LabelledSamples fusionTraining = data.fusionTraining(labels, inputSize);
        List<Checkpoint> finals = new ArrayList<>();
        for (Checkpoint cp : client.getCheckpoints(t.taskId())) {
            if (cp.epoch() == t.epochsCompleted() && t.selectedBidders().contains(cp.contributor())) {
                finals.add(cp);
            }
        }
        finals.sort(Comparator.comparingLong(Checkpoint::submittedAt).thenComparing(Checkpoint::contributor));
        List<Verification.Submission> subs = new ArrayList<>();
        for (Checkpoint cp : finals) {
            subs.add(fetch(cp));
        }
        if (subs.isEmpty()) {
            throw new IllegalStateException("task " + t.taskId() + ": no final checkpoint to verify");
        }
        Verification.Report r = verification.verify(subs, t.spec().labels(), t.spec().minOwnAccuracyBps(),
                fusionTraining, ver);
        log.accept(String.format(java.util.Locale.ROOT, "task %s: verified %d models in %.1f s: fused I %.4f, II %.4f",
                t.taskId(), subs.size(), r.seconds(), r.fusedI(), r.fusedII()));
        if (reportDir != null && t.taskId().matches("[A-Za-z0-9_-]{1,128}")) {
            java.nio.file.Files.createDirectories(reportDir);
            java.nio.file.Path tmp = java.nio.file.Files.createTempFile(reportDir, ".report", ".tmp");
            java.util.Map<String, Object> file = new java.util.LinkedHashMap<>();
            file.put("taskId", t.taskId());
            file.put("verifier", client.clientAccountId());
            file.put("report", r);
            java.nio.file.Files.write(tmp, JSON.writeValueAsBytes(file));
            java.nio.file.Files.move(tmp, reportDir.resolve(t.taskId() + ".json"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return r;
    }

    private boolean keysMissing(Task t, String me) throws LedgerException {
        var deliveries = client.getKeyDeliveries(t.taskId());
        for (Checkpoint cp : client.getCheckpoints(t.taskId())) {
            if (cp.epoch() == t.epochsCompleted() && cp.sealed()
                    && !dev.fusionledger.client.seal.ContributorKeys.delivered(deliveries, cp, me)) {
                return true;
            }
        }
        return false;
    }

    private Verification.Submission fetch(Checkpoint cp) throws IOException {
        if (cp.sealed()) {
            if (enrolmentKey == null) {
                return new Verification.Submission(cp.contributor(), null, "model " + cp.modelHash()
                        + " is sealed and this verifier has no enrolment key to open it");
            }
            try {
                return new Verification.Submission(cp.contributor(),
                        dev.fusionledger.client.seal.ContributorKeys.openDelivered(client, store, enrolmentKey, cp));
            } catch (dev.fusionledger.client.seal.SealException | LedgerException e) {
                return new Verification.Submission(cp.contributor(), null, "sealed model " + cp.modelHash() + ": "
                        + e.getMessage());
            } catch (ModelNotFoundException e) {
                return new Verification.Submission(cp.contributor(), null, "model " + cp.modelHash() + " not in the store");
            } catch (ModelIntegrityException e) {
                return new Verification.Submission(cp.contributor(), null, "model " + cp.modelHash() + " fails its hash check");
            }
        }
        try {
            return new Verification.Submission(cp.contributor(), store.get(cp.modelHash()).bytes());
        } catch (ModelNotFoundException e) {
            return new Verification.Submission(cp.contributor(), null, "model " + cp.modelHash() + " not in the store");
        } catch (ModelIntegrityException e) {
            return new Verification.Submission(cp.contributor(), null, "model " + cp.modelHash() + " fails its hash check");
        }
    }

    /** The votes of a verification: fitness = the Strategy II fusion's accuracy for all, contribution, own accuracy. */
    public static List<VoteEntry> votes(Verification.Report rep) {
        List<VoteEntry> out = new ArrayList<>();
        int fitness = bps(rep.fitness());
        for (Verification.ModelFinding f : rep.models()) {
            out.add(new VoteEntry(f.account(), fitness, bps(f.contribution()), bps(f.ownAccuracy())));
        }
        return out;
    }

    /** A fraction in basis points, rounded, clamped to [-10000, 10000]; NaN is 0. */
    public static int bps(double fraction) {
        if (Double.isNaN(fraction)) {
            return 0;
        }
        return (int) Math.max(-10000, Math.min(10000, Math.round(fraction * 10000)));
    }
}
