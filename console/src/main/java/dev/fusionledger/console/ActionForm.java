package dev.fusionledger.console;

import java.util.Map;

/**
 * The confirmation form of an action of {@link ActionPages}.
 *
 * @param action {@code register}, {@code resolve}, {@code end-epoch} or {@code settle}
 * @param choice for end-epoch: {@code continue} or {@code back-off}, else {@code null}
 * @param errors field -> message: {@code confirm}, {@code choice}, or {@code ledger} for the ledger's answer
 */
public record ActionForm(String taskId, String action, String choice, Map<String, String> errors) {
    /** @return the page's heading, e.g. "Settle the task" */
    public String title() {
        return switch (action) {
            case "register" -> "Register as a verifier";
            case "resolve" -> "Resolve the bidding";
            case "end-epoch" -> "End the current epoch";
            default -> "Settle the task";
        };
    }

    /** @return the chaincode transaction the action submits, e.g. {@code Settle} */
    public String transaction() {
        return switch (action) {
            case "register" -> "RegisterVerifier";
            case "resolve" -> "ResolveBidding";
            case "end-epoch" -> "EndEpoch";
            default -> "Settle";
        };
    }

    /** @return the message for {@code field} ({@code confirm}, {@code choice}, {@code ledger}), or null when none */
    public String error(String field) {
        return errors.get(field);
    }
}
