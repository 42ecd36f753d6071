package dev.fusionledger.demo.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.Submitted;
import dev.fusionledger.client.seal.ContributorKeys;
import dev.fusionledger.client.seal.InitiatorKeys;
import dev.fusionledger.client.seal.ProfileCertificates;
import dev.fusionledger.client.store.IpfsModelStore;
import dev.fusionledger.client.store.ModelStore;
import dev.fusionledger.client.store.StoredModel;
import dev.fusionledger.demo.run.DemoRunner.Context;
import dev.fusionledger.ledger.Checkpoint;
import dev.fusionledger.ledger.KeyEscrow;
import dev.fusionledger.ledger.KeyEscrowStatus;
import java.util.List;

/**
 * The steps of a scenario that exist only when models are sealed (each org on its own IPFS node,
 * docs/model-store.md): the contributors' key keepers, the initiator's check of the keys delivered
 * to it after Settle, and the copiers, who can copy only ciphertext.
 */
final class SealedSteps {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Context ctx;
    private final String scenario;
    private final String logName;

    /**
     * @param scenario "I" or "II" (keys are kept per scenario)
     * @param logName  the name the run logs under
     */
    SealedSteps(Context ctx, String scenario, String logName) {
        this.ctx = ctx;
        this.scenario = scenario;
        this.logName = logName;
    }

    /** A contributor's key keeper when models are sealed (a copier has no key to keep), else null. */
    ContributorKeys contributorKeys(String c) {
        if (!ctx.sealed() || DemoRunner.VICTIMS.containsKey(c)) {
            return null;
        }
        return new ContributorKeys(ctx.cfg().outDir().resolve("keys").resolve(scenario).resolve(c),
                new ProfileCertificates(ctx.profile()));
    }

    /**
     * The initiator's side after the deliveries: it unwraps every key delivered to it and checks it
     * against its commitment ({@link InitiatorKeys#collect}, a dispute recorded for one that fails);
     * every key escrow must be released.
     *
     * @throws IllegalStateException if a key fails or an escrow is still held
     */
    void initiatorKeys(String taskId) throws Exception {
        FusionLedgerClient client = ctx.parties().get("initiator").client();
        List<InitiatorKeys.Result> got = InitiatorKeys.collect(client, ctx.enrolmentKey("initiator"), taskId, true);
        List<String> bad = got.stream().filter(x -> !x.ok()).map(x -> x.delivery().contributor() + ": " + x.problem())
                .toList();
        List<String> held = client.getKeyEscrows(taskId).stream().filter(e -> e.status() == KeyEscrowStatus.HELD)
                .map(KeyEscrow::contributor).toList();
        ctx.log(logName, "initiator unwrapped " + (got.size() - bad.size()) + " of " + got.size() + " keys delivered to it; "
                + held.size() + " key escrows held");
        if (!bad.isEmpty() || !held.isEmpty()) {
            throw new IllegalStateException("initiator keys failing " + bad + ", escrows still held for " + held);
        }
    }

    /**
     * A copier when models are sealed: it can read only its victim's ciphertext (no key is delivered
     * to it), so it checkpoints that, in clear under the ciphertext's hash, in its own
     * organisation's store. It cannot deliver a key for it; the verifiers find no model in it.
     *
     * @param localEpochs the local epochs it claims in the checkpoint's metrics
     * @throws java.util.NoSuchElementException when the victim has no checkpoint for {@code epoch}
     */
    Submitted<Checkpoint> copySealed(String c, String taskId, int epoch, int localEpochs) throws Exception {
        if (c.equals(DemoRunner.CONTRIBUTORS.get(DemoRunner.HONEST.size()))) {
            Thread.sleep(1100); // a copier must first see the checkpoint it copies on the ledger
        }
        FusionLedgerClient client = ctx.parties().get(c).client();
        String victimAccount = ctx.parties().get(DemoRunner.VICTIMS.get(c)).account();
        Checkpoint victim = client.getCheckpoints(taskId).stream()
                .filter(cp -> cp.contributor().equals(victimAccount) && cp.epoch() == epoch).findFirst().orElseThrow();
        ModelStore store = ctx.store(c);
        if (store instanceof IpfsModelStore ipfs && victim.artifactCid() != null && !ipfs.contains(victim.modelHash())) {
            ipfs.fetch(victim.modelHash(), victim.artifactCid());
        }
        StoredModel ciphertext = store.get(victim.modelHash());
        store.put(ciphertext.bytes(), ciphertext.manifest());
        ObjectNode metrics = JSON.createObjectNode().put("claimedTestAccuracyBps", 9900)
                .put("localEpochs", localEpochs);
        return client.submitCheckpoint(taskId, epoch, victim.modelHash(), metrics);
    }
}
