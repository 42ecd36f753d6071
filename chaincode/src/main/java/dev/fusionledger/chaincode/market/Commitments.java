package dev.fusionledger.chaincode.market;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Commit–reveal of votes and the deterministic verifier draw.
 *
 * <p>Votes JSON: an array of {@code {"contributor": accountId, "fitnessBps": int 0..10000,
 * "contributionBps": int -10000..10000}}. <b>Canonical votes</b>: that array sorted by
 * {@code contributor} ({@link String#compareTo}, UTF-16 code-unit order), fields in the order
 * contributor, fitnessBps, contributionBps, no whitespace, standard JSON string escaping (as
 * Jackson writes it: {@code "} and {@code \} escaped, control characters as {@code \\uXXXX} or
 * short escapes, everything else literal UTF-8). <b>Commitment</b>: lowercase hex SHA-256 of the
 * UTF-8 bytes of {@code taskId + "|" + verifierAccountId + "|" + canonicalVotes + "|" + salt}.
 */
public final class Commitments {
    /** Largest votes JSON accepted, bytes. */
    public static final int MAX_VOTES_BYTES = 64 * 1024;

    private Commitments() {
    }

    /** @return lowercase hex SHA-256 of the UTF-8 bytes of {@code text} */
    public static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** @return the commitment a verifier publishes for {@code votes} (any order) and {@code salt} */
    public static String commitment(String taskId, String verifierAccountId, List<Vote.Entry> votes, String salt) {
        return sha256Hex(taskId + "|" + verifierAccountId + "|" + canonical(votes) + "|" + salt);
    }

    /** @return the canonical votes JSON of {@code votes} (sorted copy) */
    public static String canonical(List<Vote.Entry> votes) {
        return Json.text(sortedCopy(votes));
    }

    static List<Vote.Entry> sortedCopy(List<Vote.Entry> votes) {
        List<Vote.Entry> s = new ArrayList<>(votes);
        s.sort(Comparator.comparing(e -> e.contributor));
        return s;
    }

    /**
     * Parses votes JSON (≤ 64 KiB, an array of objects with exactly the three fields).
     *
     * @throws MarketException INVALID_ARGUMENT on {@code votesJson} for malformed input, ranges,
     *     duplicate contributors
     */
    public static List<Vote.Entry> parseVotes(String json) {
        JsonNode n = Json.parse("votesJson", json, MAX_VOTES_BYTES);
        if (!n.isArray()) {
            throw MarketException.invalid("votesJson", "must be a JSON array of votes");
        }
        List<Vote.Entry> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode v : n) {
            if (!v.isObject() || v.size() != 3) {
                throw MarketException.invalid("votesJson", "each vote must be an object with exactly contributor, fitnessBps, contributionBps");
            }
            Iterator<String> names = v.fieldNames();
            while (names.hasNext()) {
                String f = names.next();
                if (!f.equals("contributor") && !f.equals("fitnessBps") && !f.equals("contributionBps")) {
                    throw MarketException.invalid("votesJson", "unknown vote field '" + Args.clip(f) + "'");
                }
            }
            JsonNode c = v.get("contributor");
            if (c == null || !c.isTextual()) {
                throw MarketException.invalid("votesJson", "contributor must be an account id string");
            }
            Args.accountId("votesJson.contributor", c.asText());
            int fit = bps(v.get("fitnessBps"), "votesJson.fitnessBps", 0);
            int con = bps(v.get("contributionBps"), "votesJson.contributionBps", -10_000);
            if (!seen.add(c.asText())) {
                throw MarketException.invalid("votesJson", "duplicate vote for contributor '" + Args.clip(c.asText()) + "'");
            }
            out.add(new Vote.Entry(c.asText(), fit, con));
        }
        return sortedCopy(out);
    }

    private static int bps(JsonNode v, String field, int min) {
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw MarketException.invalid(field, "must be an integer in " + min + "..10000");
        }
        return (int) Args.range(field, v.asInt(), min, 10_000);
    }

    /**
     * Deterministic draw: {@code candidates} sorted, then Fisher–Yates from the end where swap i
     * (i = n-1..1) picks {@code j = u64(SHA-256(txId + ":" + i)[0..8]) mod (i+1)}; the first
     * {@code min(k, n)} are drawn.
     *
     * @return the drawn accounts, sorted
     */
    public static List<String> draw(List<String> candidates, int k, String txId) {
        List<String> a = new ArrayList<>(candidates);
        a.sort(Comparator.naturalOrder());
        for (int i = a.size() - 1; i >= 1; i--) {
            byte[] h = sha256((txId + ":" + i).getBytes(StandardCharsets.UTF_8));
            long x = 0;
            for (int b = 0; b < 8; b++) {
                x = (x << 8) | (h[b] & 0xff);
            }
            int j = (int) Long.remainderUnsigned(x, i + 1);
            String t = a.get(i);
            a.set(i, a.get(j));
            a.set(j, t);
        }
        List<String> drawn = new ArrayList<>(a.subList(0, Math.min(k, a.size())));
        drawn.sort(Comparator.naturalOrder());
        return drawn;
    }
}
