package dev.fusionledger.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Formatting helpers of the templates. */
public final class Fmt {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Fmt() {
    }

    /** @return epoch seconds as {@code yyyy-MM-dd HH:mm:ss UTC}, or {@code -} for 0 */
    public static String time(long epochSeconds) {
        return epochSeconds <= 0 ? "-" : TIME.format(Instant.ofEpochSecond(epochSeconds));
    }

    /** @return the first 12 characters of an id followed by an ellipsis (ids of up to 16 characters whole) */
    public static String shortId(String id) {
        if (id == null) {
            return "-";
        }
        return id.length() <= 16 ? id : id.substring(0, 12) + "\u2026";
    }

    /** @return an account id's readable part: {@code Org1MSP::User1} for an X.509 identity in the id */
    public static String who(String accountId) {
        if (accountId == null) {
            return "-";
        }
        int sep = accountId.indexOf("::");
        if (sep < 0) {
            return shortId(accountId);
        }
        String msp = accountId.substring(0, sep);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("CN=([^,/]+)").matcher(accountId.substring(sep));
        return m.find() ? msp + "::" + m.group(1) : shortId(accountId);
    }

    /** @return {@link #who} without the domain: {@code Org1MSP::User1} */
    public static String brief(String accountId) {
        String w = who(accountId);
        int at = w.indexOf('@');
        return at < 0 ? w : w.substring(0, at);
    }

    /** @return the caller's roles in a task: initiator, selected contributor, drawn verifier ({@code ""} for none) */
    public static String roles(dev.fusionledger.ledger.Task t, String me) {
        java.util.List<String> r = new java.util.ArrayList<>();
        if (t.initiator().equals(me)) {
            r.add("initiator");
        }
        if (t.selectedBidders().contains(me)) {
            r.add("contributor");
        }
        if (t.drawnVerifiers().contains(me)) {
            r.add("verifier");
        }
        return String.join(", ", r);
    }

    /** @return credits with thousands separators, e.g. {@code 1 000 000} */
    public static String credits(long credits) {
        return String.format(java.util.Locale.ROOT, "%,d", credits).replace(',', '\u202f');
    }

    /** @return basis points as a percentage, e.g. {@code 80.00 %} for 8000 */
    public static String bps(long bps) {
        return String.format(java.util.Locale.ROOT, "%.2f %%", bps / 100.0);
    }

    /** @return a URL path segment for an id (account ids contain {@code /}, {@code =} and spaces) */
    public static String path(String id) {
        return java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
