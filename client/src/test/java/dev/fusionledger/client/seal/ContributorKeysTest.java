package dev.fusionledger.client.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.store.LocalModelStore;
import dev.fusionledger.client.store.ModelFormat;
import dev.fusionledger.client.store.ModelManifest;
import dev.fusionledger.client.testing.Scenario;
import dev.fusionledger.ledger.Checkpoint;
import dev.fusionledger.ledger.KeyDelivery;
import dev.fusionledger.ledger.KeyEscrowStatus;
import dev.fusionledger.ledger.VoteEntry;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contributor's automatic key delivery and the recipients' opening, on the market's real rules
 * in memory: keys kept per model, delivered to the drawn verifiers once drawn and to the initiator
 * once settled, each once; the verifier opens the sealed model; the initiator checks its key.
 */
class ContributorKeysTest {
    static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    @Test
    void keysGoToWhoIsDueWhenDueAndOnlyOnce(@TempDir Path dir) throws Exception {
        Scenario s = new Scenario().funded(100_000);
        Map<String, KeyPair> enrolment = new HashMap<>();
        for (FusionLedgerClient c : List.of(s.initiator, s.v1, s.v2, s.bob)) {
            enrolment.put(c.clientAccountId(), p256());
        }
        ContributorKeys keys = new ContributorKeys(dir.resolve("keys"), id -> {
            KeyPair k = enrolment.get(id);
            if (k == null) {
                throw new IllegalArgumentException("accountId: unknown " + id);
            }
            return k.getPublic();
        });
        LocalModelStore store = new LocalModelStore(dir.resolve("models"));
        ModelManifest manifest = new ModelManifest(ModelFormat.ONNX, List.of(28, 28, 1), 3, List.of("0", "1", "2"));
        byte[] plain1 = new byte[5000];
        byte[] plain2 = new byte[6000];
        new Random(1).nextBytes(plain1);
        new Random(2).nextBytes(plain2);

        String task = s.initiator.announceTask(Scenario.spec()).value().taskId();
        s.alice.submitBid(task, 1500, 4);
        s.v1.registerVerifier(task);
        s.v2.registerVerifier(task);
        s.initiator.resolveBidding(task);
        var metrics = JsonNodeFactory.instance.objectNode();
        SealedModels.Stored e1 = SealedModels.store(store, plain1, manifest);
        keys.save(e1);
        s.alice.submitSealedCheckpoint(task, 1, e1.modelHash(), e1.keyCommitment(), e1.artifactCid(), metrics);
        assertThat(keys.deliverDue(s.alice, task, s.market.now())).as("nothing is due while training").isEmpty();
        s.initiator.endEpoch(task, true);
        SealedModels.Stored e2 = SealedModels.store(store, plain2, manifest);
        keys.save(e2);
        assertThat(keys.load(e2.modelHash())).isEqualTo(e2.dataKey());
        s.alice.submitSealedCheckpoint(task, 2, e2.modelHash(), e2.keyCommitment(), null, metrics);
        s.initiator.endEpoch(task, false);

        List<KeyDelivery> toVerifiers = keys.deliverDue(s.alice, task, s.market.now());
        assertThat(toVerifiers).extracting(KeyDelivery::recipient)
                .containsExactlyInAnyOrder(s.v1.clientAccountId(), s.v2.clientAccountId());
        assertThat(toVerifiers).allMatch(d -> d.modelHash().equals(e2.modelHash()) && d.epoch() == 2);
        assertThat(keys.deliverDue(s.alice, task, s.market.now())).as("level-triggered: once").isEmpty();

        Checkpoint fin = s.v1.getCheckpoints(task).stream().filter(c -> c.epoch() == 2).findFirst().orElseThrow();
        assertThat(ContributorKeys.openDelivered(s.v1, store, enrolment.get(s.v1.clientAccountId()).getPrivate(), fin))
                .isEqualTo(plain2);
        // bob (not drawn) holds no key for it
        assertThatThrownBy(() -> ContributorKeys.openDelivered(s.bob, store, enrolment.get(s.bob.clientAccountId()).getPrivate(),
                fin)).isInstanceOf(SealException.class).hasMessageContaining("has delivered no key");

        List<VoteEntry> votes = List.of(new VoteEntry(s.alice.clientAccountId(), 9000, 300, 9500));
        s.voteAndSettle(task, votes);
        assertThat(s.initiator.getKeyEscrows(task)).singleElement().satisfies(e -> assertThat(e.status()).isEqualTo(KeyEscrowStatus.HELD));
        long before = s.alice.balanceOf(s.alice.clientAccountId()).balance();

        List<KeyDelivery> toInitiator = keys.deliverDue(s.alice, task, s.market.now());
        assertThat(toInitiator).singleElement().satisfies(d -> assertThat(d.recipientRole()).isEqualTo(KeyDelivery.INITIATOR));
        assertThat(s.initiator.getKeyEscrows(task)).singleElement()
                .satisfies(e -> assertThat(e.status()).isEqualTo(KeyEscrowStatus.RELEASED));
        assertThat(s.alice.balanceOf(s.alice.clientAccountId()).balance()).isGreaterThan(before);
        assertThat(keys.deliverDue(s.alice, task, s.market.now())).isEmpty();
        List<InitiatorKeys.Result> got = InitiatorKeys.collect(s.initiator,
                enrolment.get(s.initiator.clientAccountId()).getPrivate(), task, true);
        assertThat(got).singleElement().satisfies(r -> {
            assertThat(r.ok()).isTrue();
            assertThat(r.dataKey()).isEqualTo(e2.dataKey());
        });
        assertThat(s.initiator.getKeyDisputes(task)).isEmpty();
    }
}
