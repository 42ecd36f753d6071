package dev.fusionledger.chaincode.market;

import java.util.regex.Pattern;

/** Argument parsing with errors that name the field and the allowed range. */
final class Args {
    /** Largest amount of credits one argument may carry: 10^15. */
    static final long MAX_AMOUNT = 1_000_000_000_000_000L;
    /** Largest number of data points: 10^12. */
    static final long MAX_DATA_POINTS = 1_000_000_000_000L;
    /** Longest account id accepted, characters. */
    static final int MAX_ACCOUNT_ID = 1024;
    /** Longest task id accepted, characters. */
    static final int MAX_TASK_ID = 128;

    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,19}");
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SALT = Pattern.compile("[\\x20-\\x7b\\x7d\\x7e]{1,128}");

    private Args() {
    }

    static long parseLong(String field, String text, long min, long max) {
        if (text == null || !INTEGER.matcher(text).matches()) {
            throw MarketException.invalid(field, "must be an integer in " + min + ".." + max + ", got '" + clip(text) + "'");
        }
        long v;
        try {
            v = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw MarketException.invalid(field, "must be an integer in " + min + ".." + max + ", got '" + clip(text) + "'");
        }
        return range(field, v, min, max);
    }

    static long range(String field, long v, long min, long max) {
        if (v < min || v > max) {
            throw MarketException.invalid(field, "must be in " + min + ".." + max + ", got " + v);
        }
        return v;
    }

    static boolean parseBool(String field, String text) {
        if ("true".equals(text)) {
            return true;
        }
        if ("false".equals(text)) {
            return false;
        }
        throw MarketException.invalid(field, "must be 'true' or 'false', got '" + clip(text) + "'");
    }

    static String hash(String field, String text) {
        if (text == null || !HASH.matcher(text).matches()) {
            throw MarketException.invalid(field, "must be 64 lowercase hex characters (SHA-256), got '" + clip(text) + "'");
        }
        return text;
    }

    static String taskId(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_TASK_ID || text.indexOf('\u0000') >= 0) {
            throw MarketException.invalid("taskId", "must be 1.." + MAX_TASK_ID + " characters, got '" + clip(text) + "'");
        }
        return text;
    }

    static String accountId(String field, String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_ACCOUNT_ID || !text.contains("::")
                || text.indexOf('\u0000') >= 0) {
            throw MarketException.invalid(field, "must be an account id '<mspId>::<identity>' of 1.."
                    + MAX_ACCOUNT_ID + " characters, got '" + clip(text) + "'");
        }
        return text;
    }

    static String salt(String text) {
        if (text == null || !SALT.matcher(text).matches()) {
            throw MarketException.invalid("salt", "must be 1..128 printable ASCII characters without '|', got '" + clip(text) + "'");
        }
        return text;
    }

    static long add(String field, long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw MarketException.invalid(field, "amount overflows a 64-bit credit count");
        }
    }

    static long mul(String field, long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw MarketException.invalid(field, "amount overflows a 64-bit credit count");
        }
    }

    static String clip(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
