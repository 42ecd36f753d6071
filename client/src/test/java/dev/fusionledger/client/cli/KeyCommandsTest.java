package dev.fusionledger.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.seal.ArtifactCipher;
import dev.fusionledger.client.seal.KeyWrap;
import dev.fusionledger.client.testing.Scenario;
import dev.fusionledger.ledger.KeyEscrowStatus;
import dev.fusionledger.ledger.VoteEntry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fusionledger keys list|check|reclaim} on the market rules in memory. */
class KeyCommandsTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    static Run run(Scenario s, String user, Path state, String... args) {
        ClientFactory factory = (profile, org, u, retries) -> FusionLedgerClient.over(s.market.as(
                org.equals("Org2") ? "Org2MSP" : "Org1MSP", u, u.equals("Admin")));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 6];
        all[0] = "--state-dir";
        all[1] = state.toString();
        all[2] = "--org";
        all[3] = "Org1";
        all[4] = "--user";
        all[5] = user;
        System.arraycopy(args, 0, all, 6, args.length);
        int code = FusionLedgerCli.run(factory, new PrintWriter(out), new PrintWriter(err), all);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void theInitiatorChecksItsKeysAndAWrongOneIsDisputed() throws Exception {
        Scenario s = new Scenario().funded(100_000);
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ini = g.generateKeyPair();
        Path pem = tmp.resolve("initiator.pem");
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(ini.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");

        String task = s.initiator.announceTask(Scenario.spec()).value().taskId();
        s.alice.submitBid(task, 700, 4);
        s.bob.submitBid(task, 800, 5);
        s.v1.registerVerifier(task);
        s.v2.registerVerifier(task);
        s.initiator.resolveBidding(task);
        ArtifactCipher.Sealed a = ArtifactCipher.seal(new byte[] {1, 2, 3});
        ArtifactCipher.Sealed b = ArtifactCipher.seal(new byte[] {4, 5, 6});
        String ha = dev.fusionledger.ledger.Sha256.hex(a.sealed());
        String hb = dev.fusionledger.ledger.Sha256.hex(b.sealed());
        var metrics = JsonNodeFactory.instance.objectNode();
        s.alice.submitSealedCheckpoint(task, 1, ha, a.keyCommitment(), null, metrics);
        s.bob.submitSealedCheckpoint(task, 1, hb, b.keyCommitment(), null, metrics);
        s.initiator.endEpoch(task, true);
        s.alice.submitSealedCheckpoint(task, 2, ha, a.keyCommitment(), null, metrics);
        s.bob.submitSealedCheckpoint(task, 2, hb, b.keyCommitment(), null, metrics);
        s.initiator.endEpoch(task, false);
        List<VoteEntry> votes = List.of(new VoteEntry(s.alice.clientAccountId(), 9000, 300, 9500),
                new VoteEntry(s.bob.clientAccountId(), 9000, 300, 9500));
        s.voteAndSettle(task, votes);
        String i = s.initiator.clientAccountId();
        s.alice.deliverKey(task, i, KeyWrap.wrap(a.dataKey(), ini.getPublic(), KeyWrap.context(task, s.alice.clientAccountId(), i, ha)));
        s.bob.deliverKey(task, i, KeyWrap.wrap(new byte[32], ini.getPublic(), KeyWrap.context(task, s.bob.clientAccountId(), i, hb)));

        Run list = run(s, "User1", tmp, "keys", "list", task);
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).contains("INITIATOR").contains("RELEASED");

        Run check = run(s, "User1", tmp, "keys", "check", task, "--key", pem.toString());
        assertThat(check.code()).as(check.err()).isEqualTo(ExitCodes.INTEGRITY);
        assertThat(check.out()).contains("ok").contains("does not hash to its commitment").contains("recorded");
        assertThat(s.initiator.getKeyDisputes(task)).singleElement()
                .satisfies(k -> assertThat(k.contributor()).isEqualTo(s.bob.clientAccountId()));
        // again: nothing new is recorded, still exit 8
        assertThat(run(s, "User1", tmp, "keys", "check", task, "--key", pem.toString()).code()).isEqualTo(ExitCodes.INTEGRITY);
        assertThat(s.initiator.getKeyDisputes(task)).hasSize(1);

        Run early = run(s, "User1", tmp, "keys", "reclaim", task, s.alice.clientAccountId());
        assertThat(early.code()).isEqualTo(ExitCodes.REJECTED);
        assertThat(s.initiator.getKeyEscrows(task)).allMatch(e -> e.status() == KeyEscrowStatus.RELEASED);
    }
}
