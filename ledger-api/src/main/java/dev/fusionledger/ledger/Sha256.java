package dev.fusionledger.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 (FIPS 180-4) as the ledger uses it: model ids, data hashes, commitments, the verifier draw. */
public final class Sha256 {
    private Sha256() {
    }

    /** @return the 32-byte SHA-256 of {@code data} */
    public static byte[] digest(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** @return lowercase hex SHA-256 of {@code data} (64 characters) */
    public static String hex(byte[] data) {
        return HexFormat.of().formatHex(digest(data));
    }

    /** @return lowercase hex SHA-256 of the UTF-8 bytes of {@code text} */
    public static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }
}
