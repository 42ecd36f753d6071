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
 * {@code <id>.manifest.json} the manifest. Writes go to a temporary file in the same directory,
 * are forced to disk, then renamed with {@link StandardCopyOption#ATOMIC_MOVE}, so a reader never
 * sees a half-written artifact.
 */
public final class LocalModelStore implements ModelStore {
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
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("bytes: artifact must not be empty");
        }
        if (manifest == null) {
            throw new IllegalArgumentException("manifest: required");
        }
        String id = Hashes.sha256Hex(bytes);
        Path dir = Files.createDirectories(root.resolve(id.substring(0, 2)));
        writeAtomically(dir, id + ".manifest.json", JSON.writeValueAsBytes(manifest));
        Path artifact = artifact(id);
        if (!Files.exists(artifact) || !Hashes.sha256Hex(Files.readAllBytes(artifact)).equals(id)) {
            writeAtomically(dir, id + ".bin", bytes);
        }
        return id;
    }

    @Override
    public StoredModel get(String id) throws IOException {
        Hashes.requireSha256Hex("id", id);
        byte[] bytes = readVerified(id);
        ModelManifest manifest;
        try {
            manifest = JSON.readValue(Files.readAllBytes(manifestPath(id)), ModelManifest.class);
        } catch (NoSuchFileException e) {
            throw new ModelNotFoundException(id + " (manifest)");
        }
        return new StoredModel(id, bytes, manifest);
    }

    @Override
    public void verify(String id) throws IOException {
        Hashes.requireSha256Hex("id", id);
        readVerified(id);
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

    private byte[] readVerified(String id) throws IOException {
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
