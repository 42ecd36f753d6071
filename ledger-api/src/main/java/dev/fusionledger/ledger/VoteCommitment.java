package dev.fusionledger.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The commit–reveal of votes (docs/ledger-api.md, "Vote commitment"), the one implementation of
 * chaincode and SDK.
 *
 * <p><b>Canonical votes</b>: the JSON array of {@link VoteEntry} objects sorted by
 * {@code contributor} ({@link String#compareTo}, UTF-16 code-unit order), fields in the order
 * {@code contributor, fitnessBps, contributionBps, ownAccuracyBps}, no whitespace, standard JSON
 * string escaping (as Jackson writes it: {@code "} and {@code \} escaped, control characters as
 * short escapes or {@code \\uXXXX}, everything else literal UTF-8). <b>Commitment</b>: lowercase hex
 * SHA-256 of the UTF-8 bytes of {@code taskId + "|" + verifierAccountId + "|" + canonicalVotes + "|" + salt}.
 */
public final class VoteCommitment {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<String> ENTRY_FIELDS = List.of("contributor", "fitnessBps", "contributionBps",
            "ownAccuracyBps");

    private VoteCommitment() {
    }

    /**
     * @return the canonical votes JSON of {@code votes} (any order)
     * @throws MarketException INVALID_ARGUMENT on {@code votes} when a contributor appears twice
     */
    public static String canonicalVotes(List<VoteEntry> votes) {
        return LedgerJson.text(sorted(votes));
    }

    /**
     * @param salt 1..128 printable ASCII characters without {@code |}
     * @return the commitment a verifier publishes with {@code CommitVote} for {@code votes} (any
     *     order) and opens with {@code RevealVote(taskId, canonicalVotes(votes), salt)}: 64 lowercase hex
     * @throws MarketException INVALID_ARGUMENT naming {@code taskId}, {@code verifierAccountId},
     *     {@code salt} or {@code votes} when malformed
     */
    public static String commitment(String taskId, String verifierAccountId, List<VoteEntry> votes, String salt) {
        Checks.taskId(taskId);
        if (verifierAccountId == null || verifierAccountId.isEmpty()) {
            throw MarketException.invalid("verifierAccountId", "required");
        }
        Checks.salt(salt);
        return Sha256.hex(taskId + "|" + verifierAccountId + "|" + canonicalVotes(votes) + "|" + salt);
    }

    /**
     * Parses votes JSON (at most 64 KiB): an array of objects with exactly the four fields of
     * {@link VoteEntry}, at most one per contributor.
     *
     * @return the entries in canonical order
     * @throws MarketException INVALID_ARGUMENT on {@code votesJson} (or {@code votesJson.<field>} for a
     *     value out of range) for malformed input, ranges, duplicate contributors
     */
    public static List<VoteEntry> parseVotes(String json) {
        JsonNode n = LedgerJson.parse("votesJson", json, Limits.MAX_VOTES_BYTES);
        if (!n.isArray()) {
            throw MarketException.invalid("votesJson", "must be a JSON array of votes");
        }
        List<VoteEntry> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode v : n) {
            if (!v.isObject() || v.size() != ENTRY_FIELDS.size()) {
                throw MarketException.invalid("votesJson", "each vote must be an object with exactly "
                        + String.join(", ", ENTRY_FIELDS));
            }
            Iterator<String> names = v.fieldNames();
            while (names.hasNext()) {
                String f = names.next();
                if (!ENTRY_FIELDS.contains(f)) {
                    throw MarketException.invalid("votesJson", "unknown vote field '" + Checks.clip(f) + "'");
                }
            }
            JsonNode c = v.get("contributor");
            if (!c.isTextual()) {
                throw MarketException.invalid("votesJson", "contributor must be an account id string");
            }
            if (!seen.add(c.asText())) {
                throw MarketException.invalid("votesJson", "duplicate vote for contributor '" + Checks.clip(c.asText()) + "'");
            }
            try {
                out.add(new VoteEntry(c.asText(), integer(v, "fitnessBps", Limits.BPS),
                        integer(v, "contributionBps", Limits.SIGNED_BPS), integer(v, "ownAccuracyBps", Limits.BPS)));
            } catch (MarketException e) {
                throw MarketException.invalid("votesJson." + e.field(), e.text());
            }
        }
        return sorted(out);
    }

    /** @return a fresh random salt: 32 lowercase hex characters (client side; the chaincode draws no randomness) */
    public static String newSalt() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static int integer(JsonNode v, String field, Range range) {
        JsonNode x = v.get(field);
        if (!x.isIntegralNumber() || !x.canConvertToInt()) {
            throw MarketException.invalid(field, "must be an integer in " + range);
        }
        return x.asInt();
    }

    private static List<VoteEntry> sorted(List<VoteEntry> votes) {
        List<VoteEntry> s = new ArrayList<>(votes);
        s.sort(Comparator.comparing(VoteEntry::contributor));
        for (int i = 1; i < s.size(); i++) {
            if (s.get(i).contributor().equals(s.get(i - 1).contributor())) {
                throw MarketException.invalid("votes", "contributor " + Checks.clip(s.get(i).contributor())
                        + " appears more than once, at most one entry per contributor");
            }
        }
        return s;
    }
}
