package dev.fusionledger.client.store;

import java.io.IOException;

/**
 * Thrown when a stored artifact's bytes no longer hash to its id (tampered or corrupted on disk).
 * Carries the expected and actual SHA-256 so the operator can tell which copy is wrong.
 */
public class ModelIntegrityException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String expectedId;
    private final String actualHash;

    public ModelIntegrityException(String expectedId, String actualHash) {
        super("model " + expectedId + ": stored bytes hash to " + actualHash
                + ", the artifact was modified or corrupted");
        this.expectedId = expectedId;
        this.actualHash = actualHash;
    }

    private ModelIntegrityException(String message, String expectedId, String actualHash) {
        super(message);
        this.expectedId = expectedId;
        this.actualHash = actualHash;
    }

    /**
     * The manifest of {@code id} failed its check (edited, corrupted, or of an older format);
     * {@link #actualHash()} is {@code null}.
     *
     * @param message what is wrong, naming the model and the file
     */
    public static ModelIntegrityException manifest(String id, String message) {
        return new ModelIntegrityException(message, id, null);
    }

    /** The id the artifact was stored under (SHA-256 of the original bytes). */
    public String expectedId() {
        return expectedId;
    }

    /** SHA-256 of the bytes found on disk ({@code null} when the manifest, not the bytes, failed). */
    public String actualHash() {
        return actualHash;
    }
}
