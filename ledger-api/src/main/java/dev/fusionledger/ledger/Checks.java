package dev.fusionledger.ledger;

import java.util.regex.Pattern;

/**
 * Argument checks with errors that name the field and the allowed range (docs/ledger-api.md,
 * "Errors"). Every check throws {@link MarketException} INVALID_ARGUMENT on {@code field}.
 */
public final class Checks {
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,19}");
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");
    private static final Pattern CID = Pattern.compile("b[a-z2-7]{8,127}|Qm[1-9A-HJ-NP-Za-km-z]{44}");
    private static final Pattern REASON = Pattern.compile("[\\x20-\\x7e]+");
    private static final Pattern SALT = Pattern.compile("[\\x20-\\x7b\\x7d\\x7e]{1,128}");

    private Checks() {
    }

    /** @return the decimal integer {@code text} (no sign {@code +}, leading zeros allowed) checked against {@code range} */
    public static long parseLong(String field, String text, Range range) {
        if (text == null || !INTEGER.matcher(text).matches()) {
            throw MarketException.invalid(field, "must be an integer in " + range + ", got '" + clip(text) + "'");
        }
        long v;
        try {
            v = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw MarketException.invalid(field, "must be an integer in " + range + ", got '" + clip(text) + "'");
        }
        return range.check(field, v);
    }

    /** @return {@code true} for {@code "true"}, {@code false} for {@code "false"} */
    public static boolean parseBool(String field, String text) {
        if ("true".equals(text)) {
            return true;
        }
        if ("false".equals(text)) {
            return false;
        }
        throw MarketException.invalid(field, "must be 'true' or 'false', got '" + clip(text) + "'");
    }

    /** @return {@code text} when it is 64 lowercase hex characters (a SHA-256) */
    public static String hash(String field, String text) {
        if (text == null || !HASH.matcher(text).matches()) {
            throw MarketException.invalid(field, "must be 64 lowercase hex characters (SHA-256), got '" + clip(text) + "'");
        }
        return text;
    }

    /** @return {@code text} when it is a task id of 1..128 characters without U+0000 (field {@code taskId}) */
    public static String taskId(String text) {
        if (text == null || text.isEmpty() || text.length() > Limits.MAX_TASK_ID || text.indexOf('\u0000') >= 0) {
            throw MarketException.invalid("taskId", "must be 1.." + Limits.MAX_TASK_ID + " characters, got '" + clip(text) + "'");
        }
        return text;
    }

    /** @return {@code text} when it is an account id {@code <mspId>::<identity>} of 1..1024 characters */
    public static String accountId(String field, String text) {
        if (text == null || text.isEmpty() || text.length() > Limits.MAX_ACCOUNT_ID || !text.contains("::")
                || text.indexOf('\u0000') >= 0) {
            throw MarketException.invalid(field, "must be an account id '<mspId>::<identity>' of 1.."
                    + Limits.MAX_ACCOUNT_ID + " characters, got '" + clip(text) + "'");
        }
        return text;
    }

    /**
     * @return {@code text} when it is standard base64 (RFC 4648, padded) of 1..{@link Limits#MAX_WRAPPED_KEY}
     *     characters (field {@code wrappedKey})
     */
    public static String wrappedKey(String text) {
        if (text == null || text.isEmpty() || text.length() > Limits.MAX_WRAPPED_KEY || text.length() % 4 != 0
                || !BASE64.matcher(text).matches()) {
            throw MarketException.invalid("wrappedKey", "must be padded base64 of 4.." + Limits.MAX_WRAPPED_KEY
                    + " characters, got '" + clip(text) + "'");
        }
        return text;
    }

    /**
     * @return {@code null} for an empty {@code text}, else {@code text} when it is an IPFS CID: CIDv1 in
     *     base32 ({@code b...}, at most {@link Limits#MAX_CID} characters) or CIDv0 ({@code Qm...}, 46
     *     base58 characters) (field {@code artifactCid})
     */
    public static String cidOrEmpty(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.length() > Limits.MAX_CID || !CID.matcher(text).matches()) {
            throw MarketException.invalid("artifactCid", "must be empty or an IPFS CID (CIDv1 base32 'b...' of at most "
                    + Limits.MAX_CID + " characters, or CIDv0 'Qm...'), got '" + clip(text) + "'");
        }
        return text;
    }

    /** @return {@code text} when it is 1..{@link Limits#MAX_DISPUTE_REASON} printable ASCII characters (field {@code reason}) */
    public static String reason(String text) {
        if (text == null || text.isEmpty() || text.length() > Limits.MAX_DISPUTE_REASON || !REASON.matcher(text).matches()) {
            throw MarketException.invalid("reason", "must be 1.." + Limits.MAX_DISPUTE_REASON
                    + " printable ASCII characters, got '" + clip(text) + "'");
        }
        return text;
    }

    /** @return {@code text} when it is a salt of 1..128 printable ASCII characters without {@code |} (field {@code salt}) */
    public static String salt(String text) {
        if (text == null || !SALT.matcher(text).matches()) {
            throw MarketException.invalid("salt", "must be 1.." + Limits.MAX_SALT
                    + " printable ASCII characters without '|', got '" + clip(text) + "'");
        }
        return text;
    }

    /** @return {@code a + b}, INVALID_ARGUMENT on {@code field} when it overflows a long */
    public static long add(String field, long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw MarketException.invalid(field, "amount overflows a 64-bit credit count");
        }
    }

    /** @return {@code a × b}, INVALID_ARGUMENT on {@code field} when it overflows a long */
    public static long mul(String field, long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw MarketException.invalid(field, "amount overflows a 64-bit credit count");
        }
    }

    /** @return {@code text} cut to 80 characters for an error message ({@code "null"} for null) */
    public static String clip(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
