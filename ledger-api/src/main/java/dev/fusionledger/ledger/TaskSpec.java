package dev.fusionledger.ledger;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * What an initiator announces ({@code AnnounceTask(specJson)}; Mendis et al. Sec. III-A task,
 * Chamatidis et al. bidding terms). The one validator of a spec is {@link #validate()};
 * {@link #parse} adds the JSON-level checks of the chaincode. Amounts are credits, rates basis
 * points, durations seconds.
 *
 * @param labels               1..1000 distinct labels of 1..64 characters
 * @param inputShape           1..8 dimensions, each 1..1000000
 * @param verificationDataHash SHA-256 (64 lowercase hex) of the verification data
 * @param recommendedModelHash optional SHA-256 of a recommended model (Mendis et al., Scenario II),
 *                             {@code null} when none
 * @param mafrBps              minimum acceptable fitness rate (MAFR), basis points 0..10000
 * @param minContributionBps   minimum contribution for acceptance, basis points 0..10000
 * @param minOwnAccuracyBps    minimum accuracy of the model on its declared labels (Mendis et al.
 *                             Fig. 6/8), basis points 0..10000; optional in JSON, default 0 (no minimum)
 * @param requiredDataPoints   data points to cover, 1..10^12
 * @param rewardBudget         credits escrowed for contributors, 1..10^15
 * @param verifierFee          credits per revealing verifier, 0..10^15
 * @param verifierQuorum       verifiers drawn (k), 1..100
 * @param verifierStake        credits staked by each verifier, 0..10^15
 * @param maxEpochs            training epochs, 1..1000
 * @param epochSeconds         epoch length, seconds 1..31536000
 * @param latePenaltyBps       payment reduction per late epoch, basis points 0..10000
 * @param biddingSeconds       bidding phase, seconds 1..31536000
 * @param commitSeconds        vote commit phase, seconds 1..31536000
 * @param revealSeconds        vote reveal phase, seconds 1..31536000
 */
@JsonPropertyOrder({"labels", "inputShape", "verificationDataHash", "recommendedModelHash", "mafrBps",
    "minContributionBps", "minOwnAccuracyBps", "requiredDataPoints", "rewardBudget", "verifierFee", "verifierQuorum",
    "verifierStake", "maxEpochs", "epochSeconds", "latePenaltyBps", "biddingSeconds", "commitSeconds",
    "revealSeconds"})
public record TaskSpec(List<String> labels, List<Integer> inputShape, String verificationDataHash,
                       String recommendedModelHash, int mafrBps, int minContributionBps, int minOwnAccuracyBps,
                       long requiredDataPoints, long rewardBudget, long verifierFee, int verifierQuorum,
                       long verifierStake, int maxEpochs, long epochSeconds, int latePenaltyBps,
                       long biddingSeconds, long commitSeconds, long revealSeconds) {

    /** A numeric field: its name, allowed range and accessor. */
    private record Num(String name, Range range, ToLongFunction<TaskSpec> get, boolean optional) {
    }

    /** The numeric fields in JSON order, with their ranges: the one table of the spec's limits. */
    private static final List<Num> NUMBERS = List.of(
            new Num("mafrBps", Limits.BPS, TaskSpec::mafrBps, false),
            new Num("minContributionBps", Limits.BPS, TaskSpec::minContributionBps, false),
            new Num("minOwnAccuracyBps", Limits.BPS, TaskSpec::minOwnAccuracyBps, true),
            new Num("requiredDataPoints", Limits.DATA_POINTS, TaskSpec::requiredDataPoints, false),
            new Num("rewardBudget", Limits.AMOUNT, TaskSpec::rewardBudget, false),
            new Num("verifierFee", Limits.AMOUNT_OR_ZERO, TaskSpec::verifierFee, false),
            new Num("verifierQuorum", Limits.QUORUM, TaskSpec::verifierQuorum, false),
            new Num("verifierStake", Limits.AMOUNT_OR_ZERO, TaskSpec::verifierStake, false),
            new Num("maxEpochs", Limits.EPOCHS, TaskSpec::maxEpochs, false),
            new Num("epochSeconds", Limits.SECONDS, TaskSpec::epochSeconds, false),
            new Num("latePenaltyBps", Limits.BPS, TaskSpec::latePenaltyBps, false),
            new Num("biddingSeconds", Limits.SECONDS, TaskSpec::biddingSeconds, false),
            new Num("commitSeconds", Limits.SECONDS, TaskSpec::commitSeconds, false),
            new Num("revealSeconds", Limits.SECONDS, TaskSpec::revealSeconds, false));

    /** Every field, in JSON order. */
    public static final List<String> FIELDS;

    static {
        List<String> f = new ArrayList<>(List.of("labels", "inputShape", "verificationDataHash", "recommendedModelHash"));
        NUMBERS.forEach(n -> f.add(n.name()));
        FIELDS = List.copyOf(f);
    }

    /** Fields that may be left out of the JSON: {@code recommendedModelHash} (null) and {@code minOwnAccuracyBps} (0). */
    public static final List<String> OPTIONAL_FIELDS = List.of("recommendedModelHash", "minOwnAccuracyBps");

    public TaskSpec {
        // copies that keep null elements, so that validate() names them instead of a NullPointerException
        labels = labels == null ? null : Collections.unmodifiableList(new ArrayList<>(labels));
        inputShape = inputShape == null ? null : Collections.unmodifiableList(new ArrayList<>(inputShape));
    }

    /**
     * Checks every field against its range (see the record components).
     *
     * @return this spec
     * @throws MarketException INVALID_ARGUMENT naming the first field out of range, in JSON order
     */
    public TaskSpec validate() {
        if (labels == null || labels.isEmpty() || labels.size() > Limits.MAX_LABELS) {
            throw MarketException.invalid("labels", "must be an array of 1.." + Limits.MAX_LABELS + " strings");
        }
        Set<String> seen = new HashSet<>();
        for (String l : labels) {
            if (l == null || l.isEmpty() || l.length() > Limits.MAX_LABEL_CHARS) {
                throw MarketException.invalid("labels", "each label must be a string of 1.." + Limits.MAX_LABEL_CHARS
                        + " characters");
            }
            if (!seen.add(l)) {
                throw MarketException.invalid("labels", "duplicate label '" + Checks.clip(l) + "'");
            }
        }
        if (inputShape == null || inputShape.isEmpty() || inputShape.size() > Limits.MAX_SHAPE_DIMS) {
            throw MarketException.invalid("inputShape", "must be an array of 1.." + Limits.MAX_SHAPE_DIMS
                    + " integers in " + Limits.DIMENSION);
        }
        for (Integer d : inputShape) {
            if (d == null || !Limits.DIMENSION.contains(d)) {
                throw MarketException.invalid("inputShape", "each dimension must be an integer in " + Limits.DIMENSION
                        + ", got " + d);
            }
        }
        if (verificationDataHash == null) {
            throw MarketException.invalid("verificationDataHash", "is required");
        }
        Checks.hash("verificationDataHash", verificationDataHash);
        if (recommendedModelHash != null) {
            Checks.hash("recommendedModelHash", recommendedModelHash);
        }
        for (Num n : NUMBERS) {
            n.range().check(n.name(), n.get().applyAsLong(this));
        }
        return this;
    }

    /**
     * Parses and validates spec JSON (at most 16 KiB): every field required except
     * {@link #OPTIONAL_FIELDS}; unknown fields, duplicate keys, wrong types rejected; then
     * {@link #validate()}.
     *
     * @throws MarketException INVALID_ARGUMENT naming the field ({@code specJson} for the document as a whole)
     */
    public static TaskSpec parse(String json) {
        JsonNode n = LedgerJson.parse("specJson", json, Limits.MAX_SPEC_BYTES);
        if (!n.isObject()) {
            throw MarketException.invalid("specJson", "must be a JSON object");
        }
        Iterator<String> names = n.fieldNames();
        while (names.hasNext()) {
            String f = names.next();
            if (!FIELDS.contains(f)) {
                throw MarketException.invalid(Checks.clip(f), "unknown field; allowed: " + String.join(", ", FIELDS));
            }
        }
        JsonNode labels = required(n, "labels");
        if (!labels.isArray()) {
            throw MarketException.invalid("labels", "must be an array of 1.." + Limits.MAX_LABELS + " strings");
        }
        List<String> ls = new ArrayList<>();
        for (JsonNode l : labels) {
            if (!l.isTextual()) {
                throw MarketException.invalid("labels", "each label must be a string of 1.." + Limits.MAX_LABEL_CHARS
                        + " characters");
            }
            ls.add(l.asText());
        }
        JsonNode shape = required(n, "inputShape");
        if (!shape.isArray()) {
            throw MarketException.invalid("inputShape", "must be an array of 1.." + Limits.MAX_SHAPE_DIMS
                    + " integers in " + Limits.DIMENSION);
        }
        List<Integer> dims = new ArrayList<>();
        for (JsonNode d : shape) {
            if (!d.isIntegralNumber() || !d.canConvertToInt()) {
                throw MarketException.invalid("inputShape", "each dimension must be an integer in " + Limits.DIMENSION
                        + ", got " + Checks.clip(d.toString()));
            }
            dims.add(d.asInt());
        }
        String data = text(n, "verificationDataHash", true);
        String recommended = text(n, "recommendedModelHash", false);
        long[] v = new long[NUMBERS.size()];
        for (int i = 0; i < v.length; i++) {
            Num num = NUMBERS.get(i);
            JsonNode x = n.get(num.name());
            if (x == null || x.isNull()) {
                if (num.optional()) {
                    continue;
                }
                throw MarketException.invalid(num.name(), "is required");
            }
            if (!x.isIntegralNumber() || !x.canConvertToLong()) {
                throw MarketException.invalid(num.name(), "must be an integer in " + num.range() + ", got "
                        + Checks.clip(x.toString()));
            }
            v[i] = num.range().check(num.name(), x.asLong());
        }
        return new TaskSpec(ls, dims, data, recommended, (int) v[0], (int) v[1], (int) v[2], v[3], v[4], v[5],
                (int) v[6], v[7], (int) v[8], v[9], (int) v[10], v[11], v[12], v[13]).validate();
    }

    /** @return credits escrowed at announcement: {@code rewardBudget + verifierQuorum × verifierFee} */
    public long escrowRequired() {
        return Checks.add("rewardBudget", rewardBudget, Checks.mul("verifierFee", verifierQuorum, verifierFee));
    }

    private static JsonNode required(JsonNode n, String f) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) {
            throw MarketException.invalid(f, "is required");
        }
        return v;
    }

    private static String text(JsonNode n, String f, boolean needed) {
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
        return v.asText();
    }
}
