package dev.fusionledger.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fusionledger.client.ConnectionProfile;
import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.PermissionDeniedException;
import dev.fusionledger.client.seal.ArtifactCipher;
import dev.fusionledger.client.seal.InitiatorKeys;
import dev.fusionledger.client.seal.ProfileCertificates;
import dev.fusionledger.client.seal.SealException;
import dev.fusionledger.client.seal.SealedModels;
import dev.fusionledger.client.store.Hashes;
import dev.fusionledger.client.store.IpfsModelStore;
import dev.fusionledger.client.store.ModelFormat;
import dev.fusionledger.client.store.ModelManifest;
import dev.fusionledger.ledger.Checkpoint;
import dev.fusionledger.ledger.KeyDelivery;
import dev.fusionledger.ledger.KeyEscrow;
import dev.fusionledger.ledger.KeyEscrowStatus;
import dev.fusionledger.ledger.Settlement;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskSpec;
import dev.fusionledger.ledger.TaskState;
import dev.fusionledger.ledger.VoteCommitment;
import dev.fusionledger.ledger.VoteEntry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 11's proof on the real network with one Kubo node per organisation
 * (docs/model-store.md): contributors in Org1 (alice, carol) store sealed models on Org1's node,
 * one in Org2 (bob) on Org2's node; the drawn verifier (Org2) fetches every model from its own
 * node, unwraps its keys and opens them; the undrawn verifier fetches the ciphertext but cannot
 * open it; the initiator is refused keys before settlement, gets alice's after it (her payment
 * released), disputes carol's wrong key, and gets bob's withheld payment back after the deadline
 * (bob struck). Starts the IPFS nodes with {@code network/ipfs-up.sh} when the profile has none.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SealedIpfsIT {
    static final long EPOCH_SECONDS = 30;
    static final long COMMIT_SECONDS = 30;
    static final long REVEAL_SECONDS = 12;

    ConnectionProfile profile;
    ProfileCertificates certs;
    FusionLedgerClient treasurer;
    FusionLedgerClient initiator;
    FusionLedgerClient alice;
    FusionLedgerClient carol;
    FusionLedgerClient bob;
    FusionLedgerClient va;
    FusionLedgerClient vb;
    final LedgerNetwork.Parties parties = new LedgerNetwork.Parties();

    @BeforeAll
    void connect() throws Exception {
        Path path = LedgerNetwork.up();
        profile = ConnectionProfile.load(path);
        if (profile.organization("Org1").modelStore() == null) {
            Process p = new ProcessBuilder("bash", LedgerNetwork.ROOT.resolve("network/ipfs-up.sh").toString())
                    .inheritIO().start();
            int rc = p.waitFor();
            String why = "network/ipfs-up.sh failed (exit " + rc + "): no IPFS nodes (Kubo needs Go to build once)";
            if ("true".equals(System.getenv("CI"))) {
                // CI has Go (it builds the Fabric binaries the same way): a failed start is a failure there
                assertThat(rc).as(why).isZero();
            }
            Assumptions.assumeTrue(rc == 0, why + ", skipping the IPFS store's integration test");
            profile = ConnectionProfile.load(path);
        }
        certs = new ProfileCertificates(profile);
        initiator = parties.client("Org1", "User5");
        alice = parties.client("Org1", "User6");
        carol = parties.client("Org1", "User4");
        bob = parties.client("Org2", "User5");
        va = parties.client("Org2", "User6");
        vb = parties.client("Org2", "User4");
        treasurer = parties.funded(1_000_000);
    }

    @AfterAll
    void close() {
        parties.close();
    }

    IpfsModelStore store(String org) {
        return new IpfsModelStore(URI.create(profile.organization(org).modelStore().api()));
    }

    PrivateKey key(String org, String user) throws Exception {
        return InitiatorKeys.readPrivateKey(Path.of(ConnectionProfile.user(profile.organization(org), user).privateKey()));
    }

    static byte[] model(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** POSTs one RPC call to org's node, returns its JSON. */
    com.fasterxml.jackson.databind.JsonNode rpc(String org, String cmd) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var r = http.send(java.net.http.HttpRequest.newBuilder(URI.create(profile.organization(org).modelStore().api()
                + "/api/v0/" + cmd)).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(cmd).isEqualTo(200);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
    }

    @Test
    void theNodesFormAPrivateSwarmOfTheirOwn() throws Exception {
        for (String[] pair : new String[][] {{"Org1", "Org2"}, {"Org2", "Org1"}}) {
            var peers = rpc(pair[0], "swarm/peers").path("Peers");
            assertThat(peers).as(pair[0] + "'s peers").hasSize(1);
            assertThat(peers.get(0).path("Peer").asText()).isEqualTo(profile.organization(pair[1]).modelStore().peerId());
            assertThat(peers.get(0).path("Addr").asText()).startsWith("/ip4/127.0.0.1/tcp/");
            var cfg = rpc(pair[0], "config/show");
            assertThat(cfg.path("Bootstrap")).isEmpty();
            assertThat(cfg.path("Routing").path("Type").asText()).isEqualTo("none");
            assertThat(cfg.path("Swarm").path("Transports").path("Network").path("QUIC").asBoolean(true)).isFalse();
            assertThat(cfg.path("Addresses").path("Swarm").toString()).contains("/ip4/127.0.0.1/tcp/").doesNotContain("0.0.0.0");
        }
    }

    @Test
    void sealedModelsTravelBetweenTheOrgsNodesAndKeysOnlyToWhoMaySeeThem() throws Exception {
        IpfsModelStore org1 = store("Org1");
        IpfsModelStore org2 = store("Org2");
        ModelManifest manifest = new ModelManifest(ModelFormat.ONNX, List.of(28, 28, 1), 10,
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
        long nonce = System.nanoTime();
        byte[] plainA = model(nonce, 3_000_000);
        byte[] plainC = model(nonce + 1, 200_000);
        byte[] plainB = model(nonce + 2, 500_000);
        SealedModels.Stored sa = SealedModels.store(org1, plainA, manifest);
        SealedModels.Stored sc = SealedModels.store(org1, plainC, manifest);
        SealedModels.Stored sb = SealedModels.store(org2, plainB, manifest);
        assertThat(sa.artifactCid()).startsWith("b");
        assertThat(org2.contains(sa.modelHash())).isFalse();

        String ini = initiator.clientAccountId();
        String a = alice.clientAccountId();
        String c = carol.clientAccountId();
        String b = bob.clientAccountId();
        TaskSpec spec = new TaskSpec(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), List.of(28, 28, 1),
                Hashes.sha256Hex("sealed verification split".getBytes(StandardCharsets.UTF_8)), null,
                8000, 0, 0, 1500, 10_000, 100, 1, 50, 1, EPOCH_SECONDS, 1000, 600, COMMIT_SECONDS, REVEAL_SECONDS);
        String taskId = initiator.announceTask(spec).value().taskId();
        alice.submitBid(taskId, 500, 4);
        carol.submitBid(taskId, 500, 5);
        bob.submitBid(taskId, 500, 6);
        va.registerVerifier(taskId);
        vb.registerVerifier(taskId);
        assertThat(initiator.resolveBidding(taskId).value().selectedBidders()).containsExactlyInAnyOrder(a, b, c);
        var metrics = JsonNodeFactory.instance.objectNode().put("accuracyBps", 9400);
        Checkpoint cpA = alice.submitSealedCheckpoint(taskId, 1, sa.modelHash(), sa.keyCommitment(), sa.artifactCid(), metrics).value();
        carol.submitSealedCheckpoint(taskId, 1, sc.modelHash(), sc.keyCommitment(), sc.artifactCid(), metrics);
        bob.submitSealedCheckpoint(taskId, 1, sb.modelHash(), sb.keyCommitment(), sb.artifactCid(), metrics);
        assertThat(cpA.keyCommitment()).isEqualTo(sa.keyCommitment());
        assertThat(cpA.artifactCid()).isEqualTo(sa.artifactCid());

        Task verifying = initiator.endEpoch(taskId, false).value();
        assertThat(verifying.state()).isEqualTo(TaskState.VERIFYING);
        String drawnId = verifying.drawnVerifiers().get(0);
        FusionLedgerClient drawn = drawnId.equals(va.clientAccountId()) ? va : vb;
        FusionLedgerClient undrawn = drawn == va ? vb : va;
        String drawnUser = drawn == va ? "User6" : "User4";
        String undrawnUser = drawn == va ? "User4" : "User6";

        // keys to the drawn verifier, by each contributor; the initiator is refused before settlement
        for (var e : List.of(Map.entry(alice, sa), Map.entry(carol, sc), Map.entry(bob, sb))) {
            String me = e.getKey().clientAccountId();
            e.getKey().deliverKey(taskId, drawnId, SealedModels.wrapFor(e.getValue().dataKey(), certs.certificate(drawnId),
                    taskId, me, drawnId, e.getValue().modelHash()));
        }
        assertThatThrownBy(() -> alice.deliverKey(taskId, ini, SealedModels.wrapFor(sa.dataKey(), certs.certificate(ini),
                taskId, a, ini, sa.modelHash()))).isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> alice.deliverKey(taskId, undrawn.clientAccountId(), SealedModels.wrapFor(sa.dataKey(),
                certs.certificate(undrawn.clientAccountId()), taskId, a, undrawn.clientAccountId(), sa.modelHash())))
                .isInstanceOf(PermissionDeniedException.class);

        // the drawn verifier (Org2) fetches from its own node and opens every model
        PrivateKey drawnKey = key("Org2", drawnUser);
        Map<String, byte[]> plains = Map.of(a, plainA, c, plainC, b, plainB);
        for (Checkpoint cp : drawn.getCheckpoints(taskId)) {
            KeyDelivery d = drawn.getKeyDeliveries(taskId).stream()
                    .filter(x -> x.contributor().equals(cp.contributor()) && x.recipient().equals(drawnId)).findFirst().orElseThrow();
            byte[] opened = SealedModels.open(org2, cp, SealedModels.dataKey(d, drawnKey));
            assertThat(opened).as("model of " + cp.contributor()).isEqualTo(plains.get(cp.contributor()));
        }
        assertThat(org2.contains(sa.modelHash())).isTrue();
        // the undrawn verifier has the ciphertext (same swarm) but no key opens it
        byte[] cipher = org2.get(sa.modelHash()).bytes();
        assertThat(ArtifactCipher.isSealed(cipher)).isTrue();
        assertThat(new String(cipher, StandardCharsets.ISO_8859_1)).doesNotContain(new String(plainA, 0, 64, StandardCharsets.ISO_8859_1));
        KeyDelivery toDrawn = drawn.getKeyDeliveries(taskId).stream().filter(x -> x.contributor().equals(a)).findFirst().orElseThrow();
        PrivateKey undrawnKey = key("Org2", undrawnUser);
        assertThatThrownBy(() -> SealedModels.dataKey(toDrawn, undrawnKey)).isInstanceOf(SealException.class);
        String undrawnId = undrawn.clientAccountId();
        assertThat(undrawn.getKeyDeliveries(taskId)).noneMatch(x -> x.recipient().equals(undrawnId));

        // votes: everyone accepted
        List<VoteEntry> votes = List.of(new VoteEntry(a, 9100, 300, 9600), new VoteEntry(b, 9000, 200, 9600),
                new VoteEntry(c, 9000, 200, 9600));
        String salt = VoteCommitment.newSalt();
        drawn.commitVote(taskId, VoteCommitment.commitment(taskId, drawnId, votes, salt));
        drawn.revealVote(taskId, votes, salt);
        Settlement st = initiator.settle(taskId).value();
        assertThat(st.contributors()).allMatch(o -> o.accepted());
        long payA = st.contributors().stream().filter(o -> o.contributor().equals(a)).findFirst().orElseThrow().payment();
        long payB = st.contributors().stream().filter(o -> o.contributor().equals(b)).findFirst().orElseThrow().payment();
        assertThat(initiator.getKeyEscrows(taskId)).hasSize(3).allMatch(k -> k.status() == KeyEscrowStatus.HELD);
        assertThat(initiator.getTask(taskId).escrow()).isEqualTo(st.contributors().stream().mapToLong(o -> o.payment()).sum());

        // alice: the right key (payment released); carol: a wrong one (disputed); bob: none (reclaimed)
        long aliceBefore = alice.balanceOf(a).balance();
        alice.deliverKey(taskId, ini, SealedModels.wrapFor(sa.dataKey(), certs.certificate(ini), taskId, a, ini, sa.modelHash()));
        assertThat(alice.balanceOf(a).balance()).isEqualTo(aliceBefore + payA);
        carol.deliverKey(taskId, ini, SealedModels.wrapFor(model(7, 32), certs.certificate(ini), taskId, c, ini, sc.modelHash()));
        List<InitiatorKeys.Result> keys = InitiatorKeys.collect(initiator, key("Org1", "User5"), taskId, true);
        assertThat(keys).hasSize(2);
        InitiatorKeys.Result ra = keys.stream().filter(r -> r.delivery().contributor().equals(a)).findFirst().orElseThrow();
        InitiatorKeys.Result rc = keys.stream().filter(r -> r.delivery().contributor().equals(c)).findFirst().orElseThrow();
        assertThat(ra.ok()).isTrue();
        Checkpoint aliceCp = initiator.getCheckpoints(taskId).stream().filter(x -> x.contributor().equals(a)).findFirst().orElseThrow();
        assertThat(SealedModels.open(org1, aliceCp, ra.dataKey())).isEqualTo(plainA);
        assertThat(rc.ok()).isFalse();
        assertThat(rc.dispute()).isNotNull();
        assertThat(initiator.getKeyDisputes(taskId)).singleElement().satisfies(k -> {
            assertThat(k.contributor()).isEqualTo(c);
            assertThat(k.reason()).isEqualTo(InitiatorKeys.MISMATCH);
        });

        long bobStrikes = initiator.getReputation(b).strikes();
        long iniBefore = initiator.balanceOf(ini).balance();
        KeyEscrow held = initiator.getKeyEscrows(taskId).stream().filter(k -> k.contributor().equals(b)).findFirst().orElseThrow();
        LedgerNetwork.sleepUntilAfter(held.deadline());
        KeyEscrow back = initiator.reclaimKeyEscrow(taskId, b).value();
        assertThat(back.status()).isEqualTo(KeyEscrowStatus.RETURNED);
        assertThat(back.amount()).isEqualTo(payB);
        assertThat(initiator.balanceOf(ini).balance()).isEqualTo(iniBefore + payB);
        assertThat(initiator.getReputation(b).strikes()).isEqualTo(bobStrikes + 1);
        assertThat(initiator.getTask(taskId).escrow()).isZero();
    }
}
