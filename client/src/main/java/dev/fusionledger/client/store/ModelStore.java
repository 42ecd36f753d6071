package dev.fusionledger.client.store;

import java.io.IOException;
import java.util.List;

/**
 * A content-addressed store of model artifacts. The id of an artifact is the lowercase hex SHA-256
 * of its bytes; only that id goes on the ledger (as a checkpoint's {@code modelHash}). Every read
 * re-hashes the bytes, so a tampered or corrupted copy is never returned.
 */
public interface ModelStore {

    /**
     * Stores an artifact and its manifest; idempotent (storing the same bytes again returns the
     * same id and replaces the manifest).
     *
     * @return the id: lowercase hex SHA-256 of {@code bytes}
     * @throws IllegalArgumentException when {@code bytes} is empty or {@code manifest} is null
     * @throws IOException when the store cannot be written
     */
    String put(byte[] bytes, ModelManifest manifest) throws IOException;

    /**
     * The checks every {@link #put} makes before it writes anything.
     *
     * @return the id of {@code bytes}: lowercase hex SHA-256
     * @throws IllegalArgumentException when {@code bytes} is null or empty, or {@code manifest} is null
     */
    static String idOf(byte[] bytes, ModelManifest manifest) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("bytes: artifact must not be empty");
        }
        if (manifest == null) {
            throw new IllegalArgumentException("manifest: required");
        }
        return Hashes.sha256Hex(bytes);
    }

    /**
     * Reads an artifact, verifying its hash.
     *
     * @throws IllegalArgumentException when {@code id} is not 64 lowercase hex characters
     * @throws ModelNotFoundException   when nothing is stored under {@code id}
     * @throws ModelIntegrityException  when the stored bytes do not hash to {@code id}
     */
    StoredModel get(String id) throws IOException;

    /**
     * Verifies a stored artifact without returning it.
     *
     * @throws ModelNotFoundException  when nothing is stored under {@code id}
     * @throws ModelIntegrityException when the stored bytes do not hash to {@code id}
     */
    void verify(String id) throws IOException;

    /** Whether an artifact is stored under {@code id} (not verified). */
    boolean contains(String id) throws IOException;

    /** Ids of all stored artifacts, sorted. */
    List<String> list() throws IOException;
}
