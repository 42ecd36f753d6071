package dev.fusionledger.client;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusionledger.ledger.Checks;
import dev.fusionledger.ledger.Sha256;
import dev.fusionledger.ledger.VoteCommitment;
import dev.fusionledger.ledger.VoteEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A verifier's local book of vote commitments: the votes and salt behind each {@code CommitVote},
 * kept on disk until the reveal (docs/ledger-api.md, "Vote commitment"). The CLI's
 * {@code verifier commit}/{@code reveal} use it; an agent that votes on its own can use it too.
 *
 * <p>Contract, so that a rejected or interrupted call never loses what a commitment on the ledger
 * needs to be revealed:
 * <ol>
 *   <li>{@link #prepare} writes the new votes and salt to a <em>pending</em> file of their own
 *       (named after the commitment) and never touches the saved entry of the task;</li>
 *   <li>only after the ledger accepted the {@code CommitVote} does {@link #accepted} make the pending
 *       entry the saved one (atomic rename); after a rejection {@link #rejected} deletes the pending
 *       file and the saved entry stays as it was;</li>
 *   <li>when the process dies between the ledger's acceptance and {@link #accepted}, the pending file
 *       is still there: {@link #find} looks for the entry whose commitment equals the one the ledger
 *       holds, saved or pending, so the reveal still works.</li>
 * </ol>
 * Every file is written to a temporary file in the same directory, forced to disk and renamed with
 * {@link StandardCopyOption#ATOMIC_MOVE}, so a reader never sees half an entry. One directory per
 * user of a machine; entries are keyed by SHA-256 of {@code taskId|verifierAccountId}. Not safe for
 * two processes committing the same task as the same verifier at once (the ledger accepts only
 * one commitment anyway; the other's pending file stays and is ignored by {@link #find}).
 */
public final class VoteBook {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<VoteEntry>> VOTES = new TypeReference<>() { };
    private final Path dir;

    /**
     * One saved commitment.
     *
     * @param taskId     the task
     * @param verifier   the verifier's account id
     * @param votes      the votes in canonical order
     * @param salt       the salt (1..128 printable ASCII, no {@code |})
     * @param commitment lowercase hex SHA-256 of {@code taskId|verifier|canonical votes|salt}
     */
    @JsonPropertyOrder({"taskId", "verifier", "votes", "salt", "commitment"})
    public record Entry(String taskId, String verifier, List<VoteEntry> votes, String salt, String commitment) {
        public Entry {
            votes = List.copyOf(votes);
        }
    }

    /** @param dir directory of the book (created on first write) */
    public VoteBook(Path dir) {
        this.dir = dir;
    }

    /** The book's directory. */
    public Path dir() {
        return dir;
    }

    /**
     * Computes the commitment of {@code votes} with {@code salt} and writes them to a pending file;
     * the saved entry of the task, if any, is left untouched.
     *
     * @param salt the salt, {@code null} for a fresh random one ({@link VoteCommitment#newSalt})
     * @return the pending entry; send its {@link Entry#commitment()} with {@code CommitVote}, then
     *     call {@link #accepted} or {@link #rejected}
     * @throws dev.fusionledger.ledger.MarketException INVALID_ARGUMENT on the votes or the salt
     * @throws IOException when the directory cannot be written
     */
    public Entry prepare(String taskId, String verifierAccountId, List<VoteEntry> votes, String salt)
            throws IOException {
        String s = Checks.salt(salt != null ? salt : VoteCommitment.newSalt());
        List<VoteEntry> canonical = VoteCommitment.parseVotes(VoteCommitment.canonicalVotes(votes));
        Entry e = new Entry(taskId, verifierAccountId, canonical, s,
                VoteCommitment.commitment(taskId, verifierAccountId, canonical, s));
        write(pending(e), JSON.writeValueAsBytes(e));
        return e;
    }

    /** The ledger accepted {@code e}'s commitment: it becomes the task's saved entry (atomic rename). */
    public void accepted(Entry e) throws IOException {
        move(pending(e), savedPath(e.taskId(), e.verifier()));
    }

    /** The ledger rejected {@code e}'s commitment: its pending file is deleted, the saved entry stays. */
    public void rejected(Entry e) throws IOException {
        Files.deleteIfExists(pending(e));
    }

    /** The saved entry of a task for a verifier (the last commitment the ledger accepted), if any. */
    public Optional<Entry> saved(String taskId, String verifierAccountId) throws IOException {
        Path f = savedPath(taskId, verifierAccountId);
        return Files.isRegularFile(f) ? Optional.of(read(f, verifierAccountId)) : Optional.empty();
    }

    /**
     * The entry, saved or pending, whose commitment is {@code commitment} (the one the ledger holds
     * for this verifier), if any.
     */
    public Optional<Entry> find(String taskId, String verifierAccountId, String commitment) throws IOException {
        for (Entry e : candidates(taskId, verifierAccountId)) {
            if (e.commitment().equals(commitment) && e.taskId().equals(taskId) && e.verifier().equals(verifierAccountId)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    private List<Entry> candidates(String taskId, String verifierAccountId) throws IOException {
        List<Entry> out = new ArrayList<>();
        saved(taskId, verifierAccountId).ifPresent(out::add);
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, key(taskId, verifierAccountId) + ".*.pending.json")) {
                for (Path p : ds) {
                    out.add(read(p, verifierAccountId));
                }
            }
        }
        return out;
    }

    /** Reads an entry; files written before the book existed have no {@code verifier} field. */
    private Entry read(Path f, String verifierAccountId) throws IOException {
        JsonNode n;
        try {
            n = JSON.readTree(f.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("vote book " + f + ": not a saved commitment (malformed JSON)", e);
        }
        try {
            return new Entry(n.get("taskId").asText(), n.hasNonNull("verifier") ? n.get("verifier").asText() : verifierAccountId,
                    JSON.convertValue(n.get("votes"), VOTES), n.get("salt").asText(), n.get("commitment").asText());
        } catch (RuntimeException ex) {
            throw new IOException("vote book " + f + ": not a saved commitment (a field is missing or wrong)", ex);
        }
    }

    private static String key(String taskId, String verifierAccountId) {
        return Sha256.hex((taskId + "|" + verifierAccountId).getBytes(StandardCharsets.UTF_8));
    }

    private Path savedPath(String taskId, String verifierAccountId) {
        return dir.resolve(key(taskId, verifierAccountId) + ".json");
    }

    private Path pending(Entry e) {
        return dir.resolve(key(e.taskId(), e.verifier()) + "." + e.commitment().substring(0, 16) + ".pending.json");
    }

    private void write(Path target, byte[] bytes) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "vote", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("vote book " + to.getParent() + ": file system does not support atomic rename", e);
        }
    }
}
