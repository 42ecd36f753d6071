package dev.fusionledger.client.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A {@link ModelStore} in a local directory: {@code <root>/<id[0..2]>/<id>.bin} holds the bytes and
 * {@code <id>.manifest.json} the manifest as {@code {"artifact": id, "manifest": {...},
 * "sha256": SHA-256 hex of (id + "\n" + the manifest's JSON)}}: the manifest is not part of the
 * content hash that goes on the ledger, so it carries its own hash, bound to the artifact's id and
 * checked on every {@link #get} and {@link #verify}; an edited manifest (say {@code outputSize}) is a
 * {@link ModelIntegrityException}. The check catches edits and corruption; a party that can
 * rewrite the store can also recompute the hash, which is why verifiers derive what they rely on
 * (input shape, output size) from the artifact itself. Writes go to a temporary file in the same directory,
 * are forced to disk, then renamed with {@link StandardCopyOption#ATOMIC_MOVE}, so a reader never
 * sees a half-written artifact.
 */
public final class LocalModelStore extends HashCheckedStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path root;

    /**
     * @param root directory of the store; created when missing
     * @throws IOException when it cannot be created
     */
    public LocalModelStore(Path root) throws IOException {
        this.root = Files.createDirectories(root);
    }

    /** The store's directory. */
    public Path root() {
        return root;
    }

    @Override
    public String put(byte[] bytes, ModelManifest manifest) throws IOException {
        String id = ModelStore.idOf(bytes, manifest);
        Path dir = Files.createDirectories(root.resolve(id.substring(0, 2)));
        writeAtomically(dir, id + ".manifest.json", JSON.writeValueAsBytes(new ManifestFile(id, manifest,
                manifestHash(id, manifest))));
        Path artifact = artifact(id);
        if (!Files.exists(artifact) || !Hashes.sha256Hex(Files.readAllBytes(artifact)).equals(id)) {
            writeAtomically(dir, id + ".bin", bytes);
        }
        return id;
    }

    /** The manifest file: the artifact's id, the manifest, and SHA-256 of both ({@link #manifestHash}). */
    @com.fasterxml.jackson.annotation.JsonPropertyOrder({"artifact", "manifest", "sha256"})
    record ManifestFile(String artifact, ModelManifest manifest, String sha256) {
    }

    /** SHA-256 hex of {@code id + "\n" + manifest JSON} (fields in record order). */
    static String manifestHash(String id, ModelManifest manifest) throws IOException {
        return Hashes.sha256Hex((id + "\n" + JSON.writeValueAsString(manifest)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    ModelManifest readManifest(String id) throws IOException {
        byte[] raw;
        try {
            raw = Files.readAllBytes(manifestPath(id));
        } catch (NoSuchFileException e) {
            throw new ModelNotFoundException(id + " (manifest)");
        }
        ManifestFile f;
        try {
            f = JSON.readValue(raw, ManifestFile.class);
        } catch (IOException | IllegalArgumentException e) {
            throw ModelIntegrityException.manifest(id, "model " + id + ": manifest " + manifestPath(id)
                    + " is not a valid manifest (modified, corrupted or written by an older version; put the model again)");
        }
        if (f == null || f.manifest() == null || !id.equals(f.artifact()) || f.sha256() == null
                || !f.sha256().equals(manifestHash(id, f.manifest()))) {
            throw ModelIntegrityException.manifest(id, "model " + id + ": manifest " + manifestPath(id)
                    + " does not match its checked hash: it was modified or corrupted (put the model again)");
        }
        return f.manifest();
    }

    @Override
    public boolean contains(String id) {
        return Hashes.isSha256Hex(id) && Files.isRegularFile(artifact(id));
    }

    @Override
    public List<String> list() throws IOException {
        List<String> ids = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root, 2)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".bin"))
                    .map(n -> n.substring(0, n.length() - 4))
                    .filter(Hashes::isSha256Hex)
                    .forEach(ids::add);
        }
        ids.sort(null);
        return ids;
    }

    @Override
    byte[] readVerified(String id) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(artifact(id));
        } catch (NoSuchFileException e) {
            throw new ModelNotFoundException(id);
        }
        String actual = Hashes.sha256Hex(bytes);
        if (!actual.equals(id)) {
            throw new ModelIntegrityException(id, actual);
        }
        return bytes;
    }

    private Path artifact(String id) {
        return root.resolve(id.substring(0, 2)).resolve(id + ".bin");
    }

    private Path manifestPath(String id) {
        return root.resolve(id.substring(0, 2)).resolve(id + ".manifest.json");
    }

    private static void writeAtomically(Path dir, String name, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(dir, name + ".", ".tmp");
        try {
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE,
                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
                var buf = java.nio.ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("model store " + dir + ": file system does not support atomic rename", e);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
