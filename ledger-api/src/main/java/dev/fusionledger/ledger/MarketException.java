package dev.fusionledger.ledger;

/**
 * A violated market rule. The message is {@code "<CODE>: <field>: <text>"} (docs/ledger-api.md,
 * "Errors"); a chaincode transaction that throws it writes nothing.
 *
 * <p>It is an {@link IllegalArgumentException} so that checks the SDK runs locally before sending
 * (a task spec, a vote entry) surface as the argument errors the SDK documents, with the same
 * message the chaincode would give.
 */
public final class MarketException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;
    private final String field;
    private final String text;

    /**
     * @param code  the stable error code
     * @param field the argument or subject at fault (e.g. {@code mafrBps}, {@code taskId})
     * @param text  what is wrong and the allowed range
     */
    public MarketException(ErrorCode code, String field, String text) {
        super(code.name() + ": " + field + ": " + text);
        this.code = code;
        this.field = field;
        this.text = text;
    }

    /** @return the error code */
    public ErrorCode code() {
        return code;
    }

    /** @return the argument or subject at fault */
    public String field() {
        return field;
    }

    /** @return what is wrong and the allowed range (the message after the field) */
    public String text() {
        return text;
    }

    /** @return INVALID_ARGUMENT on {@code field} */
    public static MarketException invalid(String field, String text) {
        return new MarketException(ErrorCode.INVALID_ARGUMENT, field, text);
    }

    /** @return NOT_FOUND on {@code field} */
    public static MarketException notFound(String field, String text) {
        return new MarketException(ErrorCode.NOT_FOUND, field, text);
    }

    /** @return PERMISSION_DENIED on {@code field} */
    public static MarketException denied(String field, String text) {
        return new MarketException(ErrorCode.PERMISSION_DENIED, field, text);
    }

    /** @return FAILED_PRECONDITION on {@code field} */
    public static MarketException precondition(String field, String text) {
        return new MarketException(ErrorCode.FAILED_PRECONDITION, field, text);
    }

    /** @return ALREADY_EXISTS on {@code field} */
    public static MarketException exists(String field, String text) {
        return new MarketException(ErrorCode.ALREADY_EXISTS, field, text);
    }

    /** @return INSUFFICIENT_FUNDS on {@code field} */
    public static MarketException funds(String field, String text) {
        return new MarketException(ErrorCode.INSUFFICIENT_FUNDS, field, text);
    }
}
