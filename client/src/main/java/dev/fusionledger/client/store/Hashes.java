package dev.fusionledger.client.store;

import dev.fusionledger.ledger.Sha256;
import java.util.regex.Pattern;

/** SHA-256 helpers of the model store and the SDK's argument checks. */
public final class Hashes {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private Hashes() {
    }

    /** Lowercase hex SHA-256 of {@code bytes} (64 characters), as the ledger computes it ({@link Sha256}). */
    public static String sha256Hex(byte[] bytes) {
        return Sha256.hex(bytes);
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
