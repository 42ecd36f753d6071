package dev.fusionledger.client.seal;

/**
 * A sealed artifact or a wrapped key does not open: wrong key, altered bytes, or a key that does
 * not match its commitment on the ledger. The message names what failed.
 */
public final class SealException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what failed, naming the field */
    public SealException(String message) {
        super(message);
    }
}
