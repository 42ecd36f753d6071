package dev.fusionledger.chaincode.market;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * What an initiator announces (Mendis et al. Sec. III-A task; Chamatidis et al. bidding terms).
 * Amounts in credits, rates in basis points, durations in seconds; ranges in {@link #parse}.
 */
@JsonPropertyOrder({"labels", "inputShape", "verificationDataHash", "recommendedModelHash", "mafrBps",
    "minContributionBps", "requiredDataPoints", "rewardBudget", "verifierFee", "verifierQuorum",
    "verifierStake", "maxEpochs", "epochSeconds", "latePenaltyBps", "biddingSeconds", "commitSeconds",
    "revealSeconds"})
public final class TaskSpec {
    /** Largest spec JSON accepted, bytes. */
    public static final int MAX_BYTES = 16 * 1024;
    /** Longest duration, seconds (one year). */
    public static final long MAX_SECONDS = 31_536_000L;

    public List<String> labels;
    public List<Integer> inputShape;
    public String verificationDataHash;
    public String recommendedModelHash;
    public int mafrBps;
    public int minContributionBps;
    public long requiredDataPoints;
    public long rewardBudget;
    public long verifierFee;
    public int verifierQuorum;
    public long verifierStake;
    public int maxEpochs;
    public long epochSeconds;
    public int latePenaltyBps;
    public long biddingSeconds;
    public long commitSeconds;
    public long revealSeconds;

    private static final List<String> FIELDS = List.of("labels", "inputShape", "verificationDataHash",
            "recommendedModelHash", "mafrBps", "minContributionBps", "requiredDataPoints", "rewardBudget",
            "verifierFee", "verifierQuorum", "verifierStake", "maxEpochs", "epochSeconds", "latePenaltyBps",
            "biddingSeconds", "commitSeconds", "revealSeconds");

    /**
     * Parses and validates a spec: every field required except {@code recommendedModelHash}; labels
     * 1..1000 distinct strings of 1..64 chars; inputShape 1..8 ints in 1..1000000; hashes 64 lowercase
     * hex; bps 0..10000; requiredDataPoints 1..10^12; rewardBudget 1..10^15; verifierFee and
     * verifierStake 0..10^15; verifierQuorum 1..100; maxEpochs 1..1000; durations 1..31536000 s.
     *
     * @throws MarketException INVALID_ARGUMENT naming the field on any violation, unknown field,
     *     duplicate key, wrong type, or JSON over 16 KiB
     */
    public static TaskSpec parse(String json) {
        JsonNode n = Json.parse("specJson", json, MAX_BYTES);
        if (!n.isObject()) {
            throw MarketException.invalid("specJson", "must be a JSON object");
        }
        Iterator<String> names = n.fieldNames();
        while (names.hasNext()) {
            String f = names.next();
            if (!FIELDS.contains(f)) {
                throw MarketException.invalid(Args.clip(f), "unknown field; allowed: " + String.join(", ", FIELDS));
            }
        }
        TaskSpec s = new TaskSpec();
        JsonNode labels = required(n, "labels");
        if (!labels.isArray() || labels.size() < 1 || labels.size() > 1000) {
            throw MarketException.invalid("labels", "must be an array of 1..1000 strings");
        }
        s.labels = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode l : labels) {
            if (!l.isTextual() || l.asText().isEmpty() || l.asText().length() > 64) {
                throw MarketException.invalid("labels", "each label must be a string of 1..64 characters");
            }
            if (!seen.add(l.asText())) {
                throw MarketException.invalid("labels", "duplicate label '" + Args.clip(l.asText()) + "'");
            }
            s.labels.add(l.asText());
        }
        JsonNode shape = required(n, "inputShape");
        if (!shape.isArray() || shape.size() < 1 || shape.size() > 8) {
            throw MarketException.invalid("inputShape", "must be an array of 1..8 integers in 1..1000000");
        }
        s.inputShape = new ArrayList<>();
        for (JsonNode d : shape) {
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.asInt() < 1 || d.asInt() > 1_000_000) {
                throw MarketException.invalid("inputShape", "each dimension must be an integer in 1..1000000, got " + d);
            }
            s.inputShape.add(d.asInt());
        }
        s.verificationDataHash = hash(n, "verificationDataHash", true);
        s.recommendedModelHash = hash(n, "recommendedModelHash", false);
        s.mafrBps = (int) number(n, "mafrBps", 0, 10_000);
        s.minContributionBps = (int) number(n, "minContributionBps", 0, 10_000);
        s.requiredDataPoints = number(n, "requiredDataPoints", 1, Args.MAX_DATA_POINTS);
        s.rewardBudget = number(n, "rewardBudget", 1, Args.MAX_AMOUNT);
        s.verifierFee = number(n, "verifierFee", 0, Args.MAX_AMOUNT);
        s.verifierQuorum = (int) number(n, "verifierQuorum", 1, 100);
        s.verifierStake = number(n, "verifierStake", 0, Args.MAX_AMOUNT);
        s.maxEpochs = (int) number(n, "maxEpochs", 1, 1000);
        s.epochSeconds = number(n, "epochSeconds", 1, MAX_SECONDS);
        s.latePenaltyBps = (int) number(n, "latePenaltyBps", 0, 10_000);
        s.biddingSeconds = number(n, "biddingSeconds", 1, MAX_SECONDS);
        s.commitSeconds = number(n, "commitSeconds", 1, MAX_SECONDS);
        s.revealSeconds = number(n, "revealSeconds", 1, MAX_SECONDS);
        return s;
    }

    /** @return credits escrowed at announcement: rewardBudget + verifierQuorum x verifierFee */
    public long escrowAtAnnounce() {
        return Args.add("rewardBudget", rewardBudget, Args.mul("verifierFee", verifierQuorum, verifierFee));
    }

    private static JsonNode required(JsonNode n, String f) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) {
            throw MarketException.invalid(f, "is required");
        }
        return v;
    }

    private static long number(JsonNode n, String f, long min, long max) {
        JsonNode v = required(n, f);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw MarketException.invalid(f, "must be an integer in " + min + ".." + max + ", got " + Args.clip(v.toString()));
        }
        return Args.range(f, v.asLong(), min, max);
    }

    private static String hash(JsonNode n, String f, boolean needed) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) {
            if (needed) {
                throw MarketException.invalid(f, "is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw MarketException.invalid(f, "must be 64 lowercase hex characters (SHA-256)");
        }
        return Args.hash(f, v.asText());
    }
}
