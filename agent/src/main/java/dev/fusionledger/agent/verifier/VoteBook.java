package dev.fusionledger.agent.verifier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.fusionledger.client.store.Hashes;
import dev.fusionledger.ledger.VoteCommitment;
import dev.fusionledger.ledger.VoteEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * Where a verifier keeps its votes and salt between commit and reveal, so that a restarted agent
 * still reveals (docs/agents.md, "Restarts"). One JSON file per (task, verifier) in a directory:
 * written atomically (temporary file, then rename) before the commitment is submitted, and never
 * replaced once written: a verifier that verifies again after a restart commits and reveals the
 * votes it saved first.
 */
public final class VoteBook {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One saved commitment.
     *
     * @param taskId the task
     * @param verifier the verifier's account
     * @param votes the votes, as committed
     * @param salt the salt
     * @param commitment SHA-256(task|verifier|canonical votes|salt), 64 hex digits (docs/ledger-api.md)
     */
    public record Entry(String taskId, String verifier, List<VoteEntry> votes, String salt, String commitment) {}

    private final Path dir;

    /** @param dir the directory (created when first written) */
    public VoteBook(Path dir) {
        this.dir = dir;
    }

    /**
     * The saved entry of a task, if any.
     *
     * @throws IOException if the file exists but cannot be read or parsed
     */
    public Optional<Entry> find(String taskId, String verifier) throws IOException {
        Path f = file(taskId, verifier);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(f.toFile(), Entry.class));
    }

    /**
     * The saved entry of the task, or a new one for {@code votes} with a fresh salt, saved before it
     * is returned.
     *
     * @throws IOException if the entry cannot be saved (then nothing may be committed)
     */
    public Entry prepare(String taskId, String verifier, List<VoteEntry> votes) throws IOException {
        Optional<Entry> saved = find(taskId, verifier);
        if (saved.isPresent()) {
            return saved.get();
        }
        String salt = VoteCommitment.newSalt();
        Entry e = new Entry(taskId, verifier, List.copyOf(votes), salt,
                VoteCommitment.commitment(taskId, verifier, votes, salt));
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".vote", ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(e));
        Files.move(tmp, file(taskId, verifier), StandardCopyOption.ATOMIC_MOVE);
        return e;
    }

    private Path file(String taskId, String verifier) {
        return dir.resolve(Hashes.sha256Hex((taskId + "|" + verifier).getBytes(StandardCharsets.UTF_8)) + ".json");
    }
}
