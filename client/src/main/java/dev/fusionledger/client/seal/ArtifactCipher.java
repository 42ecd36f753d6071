package dev.fusionledger.client.seal;

import dev.fusionledger.ledger.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts a model artifact with a fresh 256-bit data key, AES-256-GCM (NIST SP 800-38D) from the
 * JDK (docs/model-store.md, "Encrypted artifacts"). Sealed form: the 4 ASCII bytes {@code FLS1},
 * a 12-byte random nonce, then the ciphertext with its 16-byte tag; the magic is the associated data.
 * The ledger gets the SHA-256 of the sealed bytes (the store's id) and {@link #commitment} of the key.
 */
public final class ArtifactCipher {
    /** Length of a data key, bytes (AES-256). */
    public static final int KEY_BYTES = 32;
    static final byte[] MAGIC = "FLS1".getBytes(StandardCharsets.US_ASCII);
    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ArtifactCipher() {
    }

    /**
     * A sealed artifact and its data key.
     *
     * @param sealed        {@code FLS1 | nonce | ciphertext+tag}
     * @param dataKey       the 32-byte AES key (keep secret; delivered wrapped per recipient)
     * @param keyCommitment SHA-256 hex of {@code dataKey}, the value that goes on the ledger
     */
    public record Sealed(byte[] sealed, byte[] dataKey, String keyCommitment) {
    }

    /**
     * Encrypts {@code plain} under a fresh random key.
     *
     * @throws IllegalArgumentException when {@code plain} is null or empty
     */
    public static Sealed seal(byte[] plain) {
        if (plain == null || plain.length == 0) {
            throw new IllegalArgumentException("plain: artifact must not be empty");
        }
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, key, nonce);
            byte[] out = new byte[MAGIC.length + NONCE_BYTES + c.getOutputSize(plain.length)];
            System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
            System.arraycopy(nonce, 0, out, MAGIC.length, NONCE_BYTES);
            c.doFinal(plain, 0, plain.length, out, MAGIC.length + NONCE_BYTES);
            return new Sealed(out, key, commitment(key));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available in this JDK", e);
        }
    }

    /**
     * Decrypts a sealed artifact.
     *
     * @throws IllegalArgumentException naming {@code dataKey} when it is not 32 bytes or does not hash
     *                                  to {@code keyCommitment}, naming {@code sealed} when the bytes
     *                                  are not a sealed artifact
     * @throws SealException            when the tag does not verify (wrong key or altered bytes)
     */
    public static byte[] open(byte[] sealed, byte[] dataKey, String keyCommitment) throws SealException {
        if (dataKey == null || dataKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("dataKey: must be " + KEY_BYTES + " bytes");
        }
        if (keyCommitment != null && !commitment(dataKey).equals(keyCommitment)) {
            throw new SealException("dataKey: its SHA-256 " + commitment(dataKey) + " is not the commitment on the ledger "
                    + keyCommitment);
        }
        if (sealed == null || sealed.length < MAGIC.length + NONCE_BYTES + TAG_BITS / 8
                || !Arrays.equals(MAGIC, Arrays.copyOf(sealed, MAGIC.length))) {
            throw new IllegalArgumentException("sealed: not a sealed artifact (no FLS1 header)");
        }
        byte[] nonce = Arrays.copyOfRange(sealed, MAGIC.length, MAGIC.length + NONCE_BYTES);
        try {
            Cipher c = cipher(Cipher.DECRYPT_MODE, dataKey, nonce);
            ByteBuffer body = ByteBuffer.wrap(sealed, MAGIC.length + NONCE_BYTES, sealed.length - MAGIC.length - NONCE_BYTES);
            ByteBuffer out = ByteBuffer.allocate(c.getOutputSize(body.remaining()));
            c.doFinal(body, out);
            return Arrays.copyOf(out.array(), out.position());
        } catch (javax.crypto.AEADBadTagException e) {
            throw new SealException("sealed: the artifact does not decrypt with this key (wrong key or altered bytes)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available in this JDK", e);
        }
    }

    /** @return SHA-256 hex of {@code dataKey}: the key commitment of the ledger */
    public static String commitment(byte[] dataKey) {
        return Sha256.hex(dataKey);
    }

    /** Whether {@code bytes} start like a sealed artifact. */
    public static boolean isSealed(byte[] bytes) {
        return bytes != null && bytes.length >= MAGIC.length && Arrays.equals(MAGIC, Arrays.copyOf(bytes, MAGIC.length));
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(MAGIC);
        return c;
    }
}
