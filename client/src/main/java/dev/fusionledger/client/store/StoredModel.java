package dev.fusionledger.client.store;

/**
 * A model artifact read back from a {@link ModelStore}, its bytes already verified against its id.
 *
 * @param id       lowercase hex SHA-256 of {@code bytes} (64 characters)
 * @param bytes    the artifact
 * @param manifest its manifest
 */
public record StoredModel(String id, byte[] bytes, ModelManifest manifest) {
}
