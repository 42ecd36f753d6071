package dev.fusionledger.client.seal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Wraps a 32-byte data key for one recipient's P-256 public key (the key of its enrolment
 * certificate), an ECIES construction (SEC 1 v2 §5.1) with HKDF-SHA256 (RFC 5869) as its KDF and
 * AES-256-GCM as its cipher, the same primitives as HPKE base mode with DHKEM(P-256, HKDF-SHA256)
 * (RFC 9180) though not its wire format (docs/model-store.md, "Key delivery"). Scheme
 * {@code FL-ECIES-P256-HKDF-SHA256-AES256GCM v1}:
 * <ol>
 *   <li>ephemeral P-256 key pair (e, E); Z = ECDH(e, recipient) (JDK {@code KeyAgreement "ECDH"});</li>
 *   <li>k = HKDF-SHA256(ikm = Z, salt = E uncompressed (65 bytes), info = "fusionledger key wrap v1" | 0 | context), 32 bytes
 *       (BouncyCastle {@link HKDFBytesGenerator});</li>
 *   <li>wrapped = 0x01 | E (65 bytes) | nonce (12 bytes) | AES-256-GCM(k, nonce, dataKey, aad = context) (48 bytes).</li>
 * </ol>
 * {@code context} binds the wrap to its place on the ledger: {@code taskId|contributor|recipient|modelHash},
 * so a wrap copied to another task, recipient or model does not open. 126 bytes, 168 base64 characters.
 */
public final class KeyWrap {
    static final byte VERSION = 1;
    static final int POINT_BYTES = 65;
    static final int NONCE_BYTES = 12;
    static final int WRAPPED_BYTES = 1 + POINT_BYTES + NONCE_BYTES + ArtifactCipher.KEY_BYTES + 16;
    private static final byte[] INFO = "fusionledger key wrap v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyWrap() {
    }

    /** The ledger context of a wrap: {@code taskId|contributor|recipient|modelHash}. */
    public static String context(String taskId, String contributor, String recipient, String modelHash) {
        return taskId + "|" + contributor + "|" + recipient + "|" + modelHash;
    }

    /**
     * Wraps {@code dataKey} for the holder of {@code recipient}'s private key.
     *
     * @return the wrapped key, standard base64 with padding (the {@code wrappedKey} of {@code DeliverKey})
     * @throws IllegalArgumentException naming {@code recipient} when its key is not a P-256 EC key,
     *                                  {@code dataKey} when it is not 32 bytes
     */
    public static String wrap(byte[] dataKey, X509Certificate recipient, String context) {
        return wrap(dataKey, recipient.getPublicKey(), context);
    }

    /** As {@link #wrap(byte[], X509Certificate, String)} for the recipient's public key itself. */
    public static String wrap(byte[] dataKey, PublicKey recipient, String context) {
        if (dataKey == null || dataKey.length != ArtifactCipher.KEY_BYTES) {
            throw new IllegalArgumentException("dataKey: must be " + ArtifactCipher.KEY_BYTES + " bytes");
        }
        ECPublicKey to = p256("recipient", recipient);
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            KeyPair eph = g.generateKeyPair();
            byte[] e = encode((ECPublicKey) eph.getPublic());
            byte[] k = derive(agree(eph.getPrivate(), to), e, context);
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(dataKey);
            byte[] out = new byte[WRAPPED_BYTES];
            out[0] = VERSION;
            System.arraycopy(e, 0, out, 1, POINT_BYTES);
            System.arraycopy(nonce, 0, out, 1 + POINT_BYTES, NONCE_BYTES);
            System.arraycopy(ct, 0, out, 1 + POINT_BYTES + NONCE_BYTES, ct.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("ECDH P-256 / AES-GCM not available in this JDK", ex);
        }
    }

    /**
     * Unwraps a key wrapped for {@code mine}'s public key.
     *
     * @return the 32-byte data key
     * @throws IllegalArgumentException naming {@code mine} when it is not a P-256 key
     * @throws SealException            naming {@code wrappedKey} when it is malformed or does not open
     *                                  with this key and context
     */
    public static byte[] unwrap(String wrappedKey, PrivateKey mine, String context) throws SealException {
        if (!(mine instanceof ECPrivateKey ep) || ep.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new IllegalArgumentException("mine: must be a P-256 EC private key");
        }
        byte[] w;
        try {
            w = Base64.getDecoder().decode(wrappedKey);
        } catch (IllegalArgumentException e) {
            throw new SealException("wrappedKey: not base64");
        }
        if (w.length != WRAPPED_BYTES || w[0] != VERSION) {
            throw new SealException("wrappedKey: must be " + WRAPPED_BYTES + " bytes of scheme version " + VERSION
                    + ", got " + w.length + " bytes");
        }
        byte[] e = Arrays.copyOfRange(w, 1, 1 + POINT_BYTES);
        try {
            ECPublicKey eph = decode(e, ep.getParams());
            byte[] k = derive(agree(mine, eph), e, context);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(k, "AES"),
                    new GCMParameterSpec(128, w, 1 + POINT_BYTES, NONCE_BYTES));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(w, 1 + POINT_BYTES + NONCE_BYTES, w.length - 1 - POINT_BYTES - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException ex) {
            throw new SealException("wrappedKey: does not open with this recipient's key for " + context);
        } catch (java.security.spec.InvalidKeySpecException | java.security.InvalidKeyException ex) {
            throw new SealException("wrappedKey: its ephemeral key is not a P-256 point (" + ex.getMessage() + ")");
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("ECDH P-256 / AES-GCM not available in this JDK", ex);
        }
    }

    private static ECPublicKey p256(String field, PublicKey k) {
        if (!(k instanceof ECPublicKey ek) || ek.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new IllegalArgumentException(field + ": the certificate's key must be a P-256 EC key, got " + k.getAlgorithm());
        }
        return ek;
    }

    private static byte[] agree(PrivateKey a, PublicKey b) throws GeneralSecurityException {
        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
        ka.init(a);
        ka.doPhase(b, true);
        return ka.generateSecret();
    }

    private static byte[] derive(byte[] z, byte[] ephemeral, String context) {
        byte[] ctx = context.getBytes(StandardCharsets.UTF_8);
        byte[] info = new byte[INFO.length + 1 + ctx.length];
        System.arraycopy(INFO, 0, info, 0, INFO.length);
        System.arraycopy(ctx, 0, info, INFO.length + 1, ctx.length);
        HKDFBytesGenerator h = new HKDFBytesGenerator(new SHA256Digest());
        h.init(new HKDFParameters(z, ephemeral, info));
        byte[] k = new byte[32];
        h.generateBytes(k, 0, k.length);
        Arrays.fill(z, (byte) 0);
        return k;
    }

    private static byte[] encode(ECPublicKey k) {
        byte[] out = new byte[POINT_BYTES];
        out[0] = 4;
        put(k.getW().getAffineX(), out, 1);
        put(k.getW().getAffineY(), out, 33);
        return out;
    }

    private static void put(BigInteger v, byte[] out, int at) {
        byte[] b = v.toByteArray();
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, at + 32 - n, n);
    }

    private static ECPublicKey decode(byte[] e, ECParameterSpec params) throws GeneralSecurityException {
        if (e[0] != 4) {
            throw new java.security.spec.InvalidKeySpecException("not an uncompressed point");
        }
        ECPoint p = new ECPoint(new BigInteger(1, Arrays.copyOfRange(e, 1, 33)), new BigInteger(1, Arrays.copyOfRange(e, 33, 65)));
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(p, params));
    }
}
