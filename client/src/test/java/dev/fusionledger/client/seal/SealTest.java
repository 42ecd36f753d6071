package dev.fusionledger.client.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionledger.ledger.Checks;
import dev.fusionledger.ledger.KeyDelivery;
import dev.fusionledger.ledger.Sha256;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** AES-256-GCM sealing and the ECDH P-256 + HKDF-SHA256 + AES-GCM key wrap (docs/model-store.md). */
class SealTest {
    static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void aSealedArtifactOpensOnlyWithItsKey() throws Exception {
        byte[] plain = bytes(100_000, 1);
        ArtifactCipher.Sealed s = ArtifactCipher.seal(plain);
        ArtifactCipher.Sealed again = ArtifactCipher.seal(plain);
        assertThat(s.dataKey()).hasSize(32).isNotEqualTo(again.dataKey());
        assertThat(s.sealed()).isNotEqualTo(again.sealed());
        assertThat(s.sealed()).hasSize(plain.length + 4 + 12 + 16);
        assertThat(s.keyCommitment()).isEqualTo(Sha256.hex(s.dataKey()));
        assertThat(ArtifactCipher.open(s.sealed(), s.dataKey(), s.keyCommitment())).isEqualTo(plain);
        assertThat(ArtifactCipher.isSealed(s.sealed())).isTrue();
        assertThat(ArtifactCipher.isSealed(plain)).isFalse();
        // another key: its commitment does not match, and without the commitment the tag fails
        assertThatThrownBy(() -> ArtifactCipher.open(s.sealed(), again.dataKey(), s.keyCommitment()))
                .isInstanceOf(SealException.class).hasMessageStartingWith("dataKey:");
        assertThatThrownBy(() -> ArtifactCipher.open(s.sealed(), again.dataKey(), null))
                .isInstanceOf(SealException.class).hasMessageStartingWith("sealed:");
        byte[] altered = s.sealed().clone();
        altered[altered.length / 2] ^= 1;
        assertThatThrownBy(() -> ArtifactCipher.open(altered, s.dataKey(), s.keyCommitment())).isInstanceOf(SealException.class);
        assertThatThrownBy(() -> ArtifactCipher.open(plain, s.dataKey(), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("sealed:");
        assertThatThrownBy(() -> ArtifactCipher.open(s.sealed(), new byte[16], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("dataKey:");
        assertThatThrownBy(() -> ArtifactCipher.seal(new byte[0])).hasMessageStartingWith("plain:");
    }

    @Test
    void aWrappedKeyOpensOnlyForItsRecipientAndContext() throws Exception {
        KeyPair verifier = p256();
        KeyPair other = p256();
        byte[] key = bytes(32, 2);
        String ctx = KeyWrap.context("task", "Org1MSP::x509::alice", "Org2MSP::x509::v", "a".repeat(64));
        String w = KeyWrap.wrap(key, verifier.getPublic(), ctx);
        assertThat(w).hasSize(168);
        assertThat(Checks.wrappedKey(w)).isEqualTo(w); // fits the ledger's limit
        assertThat(KeyWrap.wrap(key, verifier.getPublic(), ctx)).isNotEqualTo(w); // fresh ephemeral key
        assertThat(KeyWrap.unwrap(w, verifier.getPrivate(), ctx)).isEqualTo(key);
        assertThatThrownBy(() -> KeyWrap.unwrap(w, other.getPrivate(), ctx)).isInstanceOf(SealException.class)
                .hasMessageStartingWith("wrappedKey:");
        String otherCtx = KeyWrap.context("task2", "Org1MSP::x509::alice", "Org2MSP::x509::v", "a".repeat(64));
        assertThatThrownBy(() -> KeyWrap.unwrap(w, verifier.getPrivate(), otherCtx)).isInstanceOf(SealException.class);
        byte[] raw = Base64.getDecoder().decode(w);
        raw[raw.length - 1] ^= 1;
        assertThatThrownBy(() -> KeyWrap.unwrap(Base64.getEncoder().encodeToString(raw), verifier.getPrivate(), ctx))
                .isInstanceOf(SealException.class);
        byte[] badPoint = Base64.getDecoder().decode(w);
        Arrays.fill(badPoint, 2, 30, (byte) 7);
        assertThatThrownBy(() -> KeyWrap.unwrap(Base64.getEncoder().encodeToString(badPoint), verifier.getPrivate(), ctx))
                .isInstanceOf(SealException.class);
        assertThatThrownBy(() -> KeyWrap.unwrap("AAAA", verifier.getPrivate(), ctx)).isInstanceOf(SealException.class)
                .hasMessageContaining("126 bytes");
        assertThatThrownBy(() -> KeyWrap.wrap(new byte[31], verifier.getPublic(), ctx)).hasMessageStartingWith("dataKey:");
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        assertThatThrownBy(() -> KeyWrap.wrap(key, rsa.generateKeyPair().getPublic(), ctx)).hasMessageStartingWith("recipient:");
    }

    @Test
    void theRecipientChecksTheUnwrappedKeyAgainstTheCommitment() throws Exception {
        KeyPair initiator = p256();
        ArtifactCipher.Sealed s = ArtifactCipher.seal(bytes(1000, 3));
        String ctx = KeyWrap.context("t", "c", "i", "h".repeat(64));
        KeyDelivery right = new KeyDelivery("t", "c", "i", KeyDelivery.INITIATOR, 1, "h".repeat(64), s.keyCommitment(),
                KeyWrap.wrap(s.dataKey(), initiator.getPublic(), ctx), 0);
        assertThat(SealedModels.dataKey(right, initiator.getPrivate())).isEqualTo(s.dataKey());
        KeyDelivery wrong = new KeyDelivery("t", "c", "i", KeyDelivery.INITIATOR, 1, "h".repeat(64), s.keyCommitment(),
                KeyWrap.wrap(bytes(32, 4), initiator.getPublic(), ctx), 0);
        assertThatThrownBy(() -> SealedModels.dataKey(wrong, initiator.getPrivate())).isInstanceOf(SealException.class)
                .hasMessageContaining("does not hash to its commitment");
    }
}
