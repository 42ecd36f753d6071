package dev.fusionledger.client.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 helpers shared by the model store and the commitment helper. */
public final class Hashes {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private Hashes() {
    }

    /** Lowercase hex SHA-256 of {@code bytes} (64 characters). */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** Whether {@code s} is 64 lowercase hex characters. */
    public static boolean isSha256Hex(String s) {
        return s != null && SHA256_HEX.matcher(s).matches();
    }

    /**
     * @throws IllegalArgumentException naming {@code field} when {@code s} is not 64 lowercase hex
     *                                  characters
     */
    public static String requireSha256Hex(String field, String s) {
        if (!isSha256Hex(s)) {
            throw new IllegalArgumentException(field + ": must be 64 lowercase hex characters (SHA-256), got '"
                    + s + "'");
        }
        return s;
    }
}
