package dev.fusionledger.fusion;

/**
 * Bad input to the fusion engine: a shape, a range or a value that cannot be used. The message
 * names the offending field (e.g. {@code features[2]}) and the allowed range or shape; {@link #field()}
 * gives the field alone so that the gRPC service can report it as {@code INVALID_ARGUMENT}.
 * Nothing is changed when it is thrown.
 */
public class InvalidInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    /**
     * @param field   the offending field, as named in the API (e.g. {@code config.batchSize})
     * @param message what is wrong and what is allowed
     */
    public InvalidInputException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** @return the offending field */
    public String field() {
        return field;
    }
}
