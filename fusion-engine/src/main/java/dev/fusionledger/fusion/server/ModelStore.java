package dev.fusionledger.fusion.server;

import dev.fusionledger.fusion.FusionModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Content-addressed model directory: a model is stored as {@code <sha256>.flfm}, where sha256
 * is the lowercase hex SHA-256 of the file bytes ("FLFM" v1), which is also the model id.
 * Writes go to a temporary file first and are moved into place, so a reader never sees a
 * partial file. Thread-safe.
 */
public final class ModelStore {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
    private final Path dir;
    private final ConcurrentHashMap<String, FusionModel> cache = new ConcurrentHashMap<>();

    /**
     * @param dir the directory, created when missing
     * @throws UncheckedIOException when it cannot be created
     */
    public ModelStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the directory */
    public Path directory() {
        return dir;
    }

    /**
     * @param id a candidate model id
     * @return true when it is 64 lowercase hex characters
     */
    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * Stores a model (idempotent: the same model gives the same id and file).
     *
     * @param model the model
     * @return its id, the SHA-256 of its file
     * @throws UncheckedIOException when the file cannot be written
     */
    public String put(FusionModel model) {
        byte[] bytes = model.toBytes();
        String id = HexFormat.of().formatHex(sha256(bytes));
        Path target = dir.resolve(id + ".flfm");
        try {
            if (!Files.exists(target)) {
                Path tmp = Files.createTempFile(dir, id, ".tmp");
                Files.write(tmp, bytes);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cache.put(id, model);
        return id;
    }

    /**
     * @param id model id
     * @return the model, empty when the id is malformed or not stored
     * @throws UncheckedIOException when the file exists but cannot be read
     */
    public Optional<FusionModel> get(String id) {
        if (!isValidId(id)) {
            return Optional.empty();
        }
        FusionModel m = cache.get(id);
        if (m != null) {
            return Optional.of(m);
        }
        Path file = dir.resolve(id + ".flfm");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        m = FusionModel.load(file);
        cache.put(id, m);
        return Optional.of(m);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
