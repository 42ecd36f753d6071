package dev.fusionledger.chaincode.market;

/**
 * A rejected market transaction. The message is {@code "<CODE>: <field>: <text>"}; a rejected
 * transaction writes nothing (the ledger discards its write set).
 */
public final class MarketException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;
    private final String field;

    /**
     * @param code  the stable error code
     * @param field the argument or subject at fault (e.g. {@code mafrBps}, {@code taskId})
     * @param text  what is wrong and the allowed range
     */
    public MarketException(ErrorCode code, String field, String text) {
        super(code.name() + ": " + field + ": " + text);
        this.code = code;
        this.field = field;
    }

    /** @return the error code */
    public ErrorCode code() {
        return code;
    }

    /** @return the argument or subject at fault */
    public String field() {
        return field;
    }

    static MarketException invalid(String field, String text) {
        return new MarketException(ErrorCode.INVALID_ARGUMENT, field, text);
    }

    static MarketException notFound(String field, String text) {
        return new MarketException(ErrorCode.NOT_FOUND, field, text);
    }

    static MarketException denied(String field, String text) {
        return new MarketException(ErrorCode.PERMISSION_DENIED, field, text);
    }

    static MarketException precondition(String field, String text) {
        return new MarketException(ErrorCode.FAILED_PRECONDITION, field, text);
    }

    static MarketException exists(String field, String text) {
        return new MarketException(ErrorCode.ALREADY_EXISTS, field, text);
    }
}
