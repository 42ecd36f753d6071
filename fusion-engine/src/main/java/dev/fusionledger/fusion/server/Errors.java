package dev.fusionledger.fusion.server;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** gRPC error statuses of the FusionService. */
public final class Errors {
    /** Trailer naming the offending request field on INVALID_ARGUMENT / RESOURCE_EXHAUSTED. */
    public static final Metadata.Key<String> FIELD =
            Metadata.Key.of("fusionledger-field", Metadata.ASCII_STRING_MARSHALLER);

    private Errors() {
    }

    /**
     * @param field   offending field in proto naming, e.g. {@code data.features[1].values}
     * @param message what is wrong and what is allowed
     * @return INVALID_ARGUMENT with description {@code "<field>: <message>"} and the field trailer
     */
    public static StatusRuntimeException invalid(String field, String message) {
        return withField(Status.INVALID_ARGUMENT, field, message);
    }

    /**
     * @param field   field naming what the server cannot provide
     * @param message what is missing (one line)
     * @return FAILED_PRECONDITION
     */
    public static StatusRuntimeException unavailable(String field, String message) {
        return withField(Status.FAILED_PRECONDITION, field, message);
    }

    /**
     * @param field   field whose size is beyond the limit
     * @param message the size and the limit
     * @return RESOURCE_EXHAUSTED
     */
    public static StatusRuntimeException exhausted(String field, String message) {
        return withField(Status.RESOURCE_EXHAUSTED, field, message);
    }

    /**
     * @param id the unknown id
     * @return NOT_FOUND naming the id
     */
    public static StatusRuntimeException notFound(String id) {
        return withField(Status.NOT_FOUND, "model_id", "no stored model with id " + id);
    }

    private static StatusRuntimeException withField(Status status, String field, String message) {
        Metadata trailers = new Metadata();
        trailers.put(FIELD, field);
        return status.withDescription(field + ": " + message).asRuntimeException(trailers);
    }
}
