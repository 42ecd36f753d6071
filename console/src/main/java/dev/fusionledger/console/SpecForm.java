package dev.fusionledger.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fusionledger.ledger.Limits;
import dev.fusionledger.ledger.MarketException;
import dev.fusionledger.ledger.TaskSpec;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The announce form: one text field per {@link TaskSpec} field ({@code labels} and
 * {@code inputShape} comma-separated). The spec is checked by {@link TaskSpec#parse}, the
 * chaincode's own validation, once per field on an otherwise valid spec, so that every field in
 * error gets its own message next to it, then once as a whole.
 */
public final class SpecForm {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The form's starting values: an MNIST-shaped task, short phases (the verification hash left to fill). */
    static final Map<String, String> DEFAULTS = defaults();
    /** A valid spec the per-field checks put one field at a time into. */
    private static final ObjectNode VALID = build(validBase());

    private final Map<String, String> values;
    private final Map<String, String> errors = new LinkedHashMap<>();
    private TaskSpec spec;

    private SpecForm(Map<String, String> values) {
        this.values = values;
    }

    /** @return the blank form with its starting values */
    public static SpecForm blank() {
        return new SpecForm(new LinkedHashMap<>(DEFAULTS));
    }

    /**
     * Reads and checks the submitted fields.
     *
     * @param param the submitted value of a field, {@code null} when absent
     */
    public static SpecForm read(Function<String, String> param) {
        Map<String, String> v = new LinkedHashMap<>();
        for (String f : TaskSpec.FIELDS) {
            String x = param.apply(f);
            v.put(f, x == null ? "" : x.strip());
        }
        SpecForm form = new SpecForm(v);
        form.check();
        return form;
    }

    private void check() {
        for (String f : TaskSpec.FIELDS) {
            ObjectNode one = VALID.deepCopy();
            put(one, f, values.get(f));
            try {
                TaskSpec.parse(one.toString());
            } catch (MarketException e) {
                errors.put(f, e.text());
            }
        }
        if (errors.isEmpty()) {
            ObjectNode all = JSON.createObjectNode();
            values.forEach((f, x) -> put(all, f, x));
            try {
                spec = TaskSpec.parse(all.toString());
                spec.escrowRequired();
            } catch (MarketException e) {
                errors.put(TaskSpec.FIELDS.contains(e.field()) ? e.field() : "form", e.text());
                spec = null;
            }
        }
    }

    /** Puts a form value into spec JSON as the type the field takes; malformed values stay text for the validator to name. */
    private static void put(ObjectNode n, String f, String x) {
        if (x.isEmpty()) {
            n.remove(f);
            return;
        }
        switch (f) {
            case "labels" -> {
                ArrayNode a = n.putArray(f);
                for (String l : x.split("\\s*,\\s*", -1)) {
                    a.add(l);
                }
            }
            case "inputShape" -> {
                ArrayNode a = n.putArray(f);
                for (String d : x.split("\\s*,\\s*", -1)) {
                    if (d.matches("-?\\d{1,30}")) {
                        a.add(new BigInteger(d));
                    } else {
                        a.add(d);
                    }
                }
            }
            case "verificationDataHash", "recommendedModelHash" -> n.put(f, x);
            default -> {
                if (x.matches("-?\\d{1,30}")) {
                    n.put(f, new BigInteger(x));
                } else {
                    n.put(f, x);
                }
            }
        }
    }

    private static ObjectNode build(Map<String, String> values) {
        ObjectNode n = JSON.createObjectNode();
        values.forEach((f, x) -> put(n, f, x));
        return n;
    }

    private static Map<String, String> defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("labels", "0,1,2,3,4,5,6,7,8,9");
        m.put("inputShape", "28,28,1");
        m.put("verificationDataHash", "");
        m.put("recommendedModelHash", "");
        m.put("mafrBps", "8000");
        m.put("minContributionBps", "0");
        m.put("minOwnAccuracyBps", "0");
        m.put("requiredDataPoints", "1000");
        m.put("rewardBudget", "10000");
        m.put("verifierFee", "100");
        m.put("verifierQuorum", "3");
        m.put("verifierStake", "50");
        m.put("maxEpochs", "2");
        m.put("epochSeconds", "600");
        m.put("latePenaltyBps", "1000");
        m.put("biddingSeconds", "600");
        m.put("commitSeconds", "600");
        m.put("revealSeconds", "600");
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Map<String, String> validBase() {
        Map<String, String> m = new LinkedHashMap<>(defaults());
        m.put("verificationDataHash", "0".repeat(64));
        return m;
    }

    /** @return the field's submitted (or starting) value, {@code ""} when none */
    public String value(String field) {
        return values.getOrDefault(field, "");
    }

    /** @return the field's error, or {@code null} */
    public String error(String field) {
        return errors.get(field);
    }

    /** @return every field in error with its message, in form order ({@code form} for the spec as a whole) */
    public Map<String, String> errors() {
        return errors;
    }

    /** @return whether the spec is valid */
    public boolean valid() {
        return errors.isEmpty() && spec != null;
    }

    /** @return the valid spec, or {@code null} */
    public TaskSpec spec() {
        return spec;
    }

    /** Records an error the ledger gave for the spec (e.g. insufficient funds for the escrow). */
    public void reject(String field, String message) {
        errors.put(field != null && TaskSpec.FIELDS.contains(field) ? field : "form", message);
    }

    /** @return the fields in form order */
    public static List<String> fields() {
        return TaskSpec.FIELDS;
    }

    /** @return the label and help text of a field, with its range from {@link Limits} */
    public static String[] describe(String field) {
        return switch (field) {
            case "labels" -> new String[] {"Labels", "class labels, comma-separated: 1.." + Limits.MAX_LABELS
                + " distinct, 1.." + Limits.MAX_LABEL_CHARS + " characters each"};
            case "inputShape" -> new String[] {"Input shape", "comma-separated: 1.." + Limits.MAX_SHAPE_DIMS
                + " dimensions, each " + Limits.DIMENSION};
            case "verificationDataHash" -> new String[] {"Verification data SHA-256", "64 lowercase hex"};
            case "recommendedModelHash" -> new String[] {"Recommended model SHA-256", "optional, 64 lowercase hex"};
            case "mafrBps" -> new String[] {"MAFR", "minimum acceptable fitness rate, basis points " + Limits.BPS};
            case "minContributionBps" -> new String[] {"Minimum contribution", "basis points " + Limits.BPS};
            case "minOwnAccuracyBps" -> new String[] {"Minimum own accuracy", "basis points " + Limits.BPS + " (0: none)"};
            case "requiredDataPoints" -> new String[] {"Required data points", "" + Limits.DATA_POINTS};
            case "rewardBudget" -> new String[] {"Reward budget", "credits for contributors, " + Limits.AMOUNT};
            case "verifierFee" -> new String[] {"Verifier fee", "credits per revealing verifier, " + Limits.AMOUNT_OR_ZERO};
            case "verifierQuorum" -> new String[] {"Verifier quorum", "verifiers drawn, " + Limits.QUORUM};
            case "verifierStake" -> new String[] {"Verifier stake", "credits each verifier stakes, " + Limits.AMOUNT_OR_ZERO};
            case "maxEpochs" -> new String[] {"Epochs", "training epochs, " + Limits.EPOCHS};
            case "epochSeconds" -> new String[] {"Epoch length", "seconds, " + Limits.SECONDS};
            case "latePenaltyBps" -> new String[] {"Late penalty", "per late epoch, basis points " + Limits.BPS};
            case "biddingSeconds" -> new String[] {"Bidding phase", "seconds, " + Limits.SECONDS};
            case "commitSeconds" -> new String[] {"Commit phase", "seconds, " + Limits.SECONDS};
            case "revealSeconds" -> new String[] {"Reveal phase", "seconds, " + Limits.SECONDS};
            default -> new String[] {field, ""};
        };
    }
}
