package dev.fusionledger.client;

import dev.fusionledger.ledger.ErrorCode;

/**
 * The chaincode rejected a call: one of its {@link ErrorCode}s with the field or subject and the
 * reason, parsed from the chaincode message {@code "<CODE>: <field>: <text>"}. Nothing was
 * written to the ledger. Catch a subclass to handle one code.
 */
public class MarketRuleException extends LedgerException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;
    private final String field;
    private final String reason;

    public MarketRuleException(ErrorCode code, String field, String reason, String transactionId, Phase phase,
                               Throwable cause) {
        super(code + ": " + field + ": " + reason, transactionId, phase, cause);
        this.code = code;
        this.field = field;
        this.reason = reason;
    }

    /** The chaincode's error code. */
    public ErrorCode code() {
        return code;
    }

    /** The field or subject the chaincode named (e.g. {@code mafrBps}, {@code taskId}). */
    public String field() {
        return field;
    }

    /** What is wrong and the allowed range, as the chaincode worded it. */
    public String reason() {
        return reason;
    }

    /** {@code "<CODE>: <field>: <text>"} for any of the ledger's {@link ErrorCode}s. */
    private static final java.util.regex.Pattern RULE = java.util.regex.Pattern.compile(
            "\\b(" + String.join("|", java.util.Arrays.stream(ErrorCode.values()).map(Enum::name).toList()) + "): "
                    + "([^:]*?): (.*)", java.util.regex.Pattern.DOTALL);

    /**
     * Parses a chaincode message {@code "<CODE>: <field>: <text>"}, possibly wrapped by the peer
     * (e.g. {@code "chaincode response 500, NOT_FOUND: taskId: ..."}).
     *
     * @return the typed exception, or {@code null} when {@code message} carries no chaincode code
     */
    public static MarketRuleException parse(String message, String txId, Phase phase, Throwable cause) {
        if (message == null) {
            return null;
        }
        java.util.regex.Matcher m = RULE.matcher(message);
        if (!m.find()) {
            return null;
        }
        return of(ErrorCode.valueOf(m.group(1)), m.group(2).trim(), m.group(3).trim(), txId, phase, cause);
    }

    /** Builds the subclass for {@code code}. */
    public static MarketRuleException of(ErrorCode code, String field, String reason, String txId, Phase phase,
                                         Throwable cause) {
        return switch (code) {
            case INVALID_ARGUMENT -> new InvalidArgumentException(field, reason, txId, phase, cause);
            case NOT_FOUND -> new NotFoundException(field, reason, txId, phase, cause);
            case PERMISSION_DENIED -> new PermissionDeniedException(field, reason, txId, phase, cause);
            case FAILED_PRECONDITION -> new FailedPreconditionException(field, reason, txId, phase, cause);
            case INSUFFICIENT_FUNDS -> new InsufficientFundsException(field, reason, txId, phase, cause);
            case ALREADY_EXISTS -> new AlreadyExistsException(field, reason, txId, phase, cause);
        };
    }
}
