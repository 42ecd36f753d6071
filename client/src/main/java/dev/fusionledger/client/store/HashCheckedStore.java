package dev.fusionledger.client.store;

import java.io.IOException;

/**
 * What the stores share: {@link #get} and {@link #verify} check the id, then read the artifact's
 * bytes through {@link #readVerified} (which re-hashes them) and its manifest.
 */
abstract class HashCheckedStore implements ModelStore {

    /**
     * @return the artifact's bytes, whose SHA-256 is {@code id}
     * @throws ModelNotFoundException  when nothing is stored under {@code id}
     * @throws ModelIntegrityException when the stored bytes do not hash to {@code id}
     */
    abstract byte[] readVerified(String id) throws IOException;

    /**
     * @return the manifest stored with {@code id}
     * @throws ModelNotFoundException  when it is missing
     * @throws ModelIntegrityException when it does not match its recorded hash
     */
    abstract ModelManifest readManifest(String id) throws IOException;

    @Override
    public final StoredModel get(String id) throws IOException {
        Hashes.requireSha256Hex("id", id);
        byte[] bytes = readVerified(id);
        return new StoredModel(id, bytes, readManifest(id));
    }

    @Override
    public final void verify(String id) throws IOException {
        Hashes.requireSha256Hex("id", id);
        readVerified(id);
        readManifest(id);
    }
}
