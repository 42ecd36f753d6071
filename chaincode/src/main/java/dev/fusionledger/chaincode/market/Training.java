package dev.fusionledger.chaincode.market;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fusionledger.ledger.Checkpoint;
import dev.fusionledger.ledger.Checks;
import dev.fusionledger.ledger.LedgerJson;
import dev.fusionledger.ledger.Limits;
import dev.fusionledger.ledger.MarketException;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskState;
import dev.fusionledger.ledger.Verifier;
import dev.fusionledger.ledger.VerifierStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checkpoints and epochs; the back-off draws the verifiers (docs/ledger-api.md, "Phases and deadlines"). */
final class Training {
    private final Tx tx;

    Training(Tx tx) {
        this.tx = tx;
    }

    Checkpoint submitCheckpoint(String taskId, String epoch, String modelHash, String metricsJson) {
        return submit(taskId, epoch, modelHash, null, null, metricsJson, "SubmitCheckpoint");
    }

    /** A checkpoint of a sealed artifact: {@code modelHash} is its ciphertext's SHA-256, {@code keyCommitment} its data key's. */
    Checkpoint submitSealedCheckpoint(String taskId, String epoch, String modelHash, String keyCommitment,
                                      String artifactCid, String metricsJson) {
        String commitment = Checks.hash("keyCommitment", keyCommitment);
        return submit(taskId, epoch, modelHash, commitment, Checks.cidOrEmpty(artifactCid), metricsJson,
                "SubmitSealedCheckpoint");
    }

    private Checkpoint submit(String taskId, String epoch, String modelHash, String keyCommitment, String cid,
                              String metricsJson, String event) {
        int e = (int) Checks.parseLong("epoch", epoch, Limits.EPOCHS);
        String hash = Checks.hash("modelHash", modelHash);
        JsonNode metrics = LedgerJson.parse("metricsJson", metricsJson, Limits.MAX_METRICS_BYTES);
        if (!metrics.isObject()) {
            throw MarketException.invalid("metricsJson", "must be a JSON object");
        }
        Task t = tx.task(taskId);
        Tx.requireState(t, TaskState.TRAINING);
        String me = tx.me();
        if (!t.selectedBidders().contains(me)) {
            throw MarketException.denied("caller", "only selected contributors submit checkpoints");
        }
        if (e != t.currentEpoch()) {
            throw MarketException.precondition("epoch", "the current epoch is " + t.currentEpoch() + ", got " + e);
        }
        String key = tx.keys.checkpoint(t.taskId(), me, e);
        if (tx.store.get(key, Checkpoint.class) != null) {
            throw MarketException.exists("checkpoint", "epoch " + e + " has a checkpoint already");
        }
        long now = tx.now();
        Checkpoint c = new Checkpoint(t.taskId(), me, e, hash, keyCommitment, cid, LedgerJson.sorted(metrics), now, now > t.epochDeadline());
        tx.store.put(key, c);
        return tx.emit(event, c);
    }

    Task endEpoch(String taskId, String continueTraining) {
        boolean cont = Checks.parseBool("continueTraining", continueTraining);
        Task t = tx.task(taskId);
        Tx.requireState(t, TaskState.TRAINING);
        long now = tx.now();
        if (!t.initiator().equals(tx.me())) {
            long grace = Checks.add("epochSeconds", t.epochDeadline(), t.spec().epochSeconds());
            if (cont || now <= grace) {
                throw MarketException.denied("caller", "only the initiator ends epochs; anyone may back off (continueTraining=false)"
                        + " once the initiator let a full epoch pass after the deadline, i.e. after " + grace);
            }
        }
        Task r;
        if (cont && t.currentEpoch() < t.spec().maxEpochs()) {
            r = t.withEpoch(t.currentEpoch() + 1, Checks.add("epochSeconds", now, t.spec().epochSeconds()), t.currentEpoch())
                    .withState(TaskState.TRAINING, now);
        } else {
            List<Verifier> vs = tx.store.range(Verifier.class, Keys.VERIFIER, t.taskId());
            List<String> ids = new ArrayList<>();
            for (Verifier v : vs) {
                ids.add(v.verifier());
            }
            List<String> drawn = VerifierDraw.draw(ids, t.spec().verifierQuorum(), tx.ledger.txId());
            Set<String> d = new HashSet<>(drawn);
            for (Verifier v : vs) {
                if (!d.contains(v.verifier())) {
                    tx.credit(v.verifier(), v.stake());
                }
                tx.store.put(tx.keys.verifier(t.taskId(), v.verifier()),
                        v.withStatus(d.contains(v.verifier()) ? VerifierStatus.DRAWN : VerifierStatus.NOT_DRAWN));
            }
            long commitDeadline = Checks.add("commitSeconds", now, t.spec().commitSeconds());
            r = t.withEpoch(t.currentEpoch(), t.epochDeadline(), t.currentEpoch()).withState(TaskState.VERIFYING, now)
                    .withVerification(drawn, commitDeadline, Checks.add("revealSeconds", commitDeadline, t.spec().revealSeconds()));
        }
        tx.put(r);
        return tx.emit("EndEpoch", r);
    }
}
