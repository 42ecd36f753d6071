package dev.fusionledger.fusion.backend;

/**
 * A compute backend that was asked for cannot run here: its module is not on the class path, or
 * its runtime (SDK, driver, device) is missing. The message is one line that names the backend
 * and what is missing, e.g. {@code "tornado: no TornadoVM runtime: TORNADO_SDK is not set"}.
 * Thrown at start, never replaced by a silent fallback to another backend.
 */
public final class BackendUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message one line: backend name, colon, what is missing */
    public BackendUnavailableException(String message) {
        super(message);
    }

    /**
     * @param message one line: backend name, colon, what is missing
     * @param cause   the underlying failure
     */
    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
