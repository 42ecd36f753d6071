package dev.fusionledger.client.seal;

import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.LedgerException;
import dev.fusionledger.client.store.Hashes;
import dev.fusionledger.ledger.Checkpoint;
import dev.fusionledger.ledger.KeyDelivery;
import dev.fusionledger.ledger.KeyEscrow;
import dev.fusionledger.ledger.KeyEscrowStatus;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A contributor's data keys and their delivery (docs/model-store.md, "Key delivery"): each sealed
 * model's key is kept in {@code <dir>/<modelHash>.key} (hex, owner-only permissions where the file
 * system has them) until it is delivered to everyone due; {@link #deliverDue} wraps and delivers
 * what the ledger allows now: to each drawn verifier once drawn, to the initiator once settled while
 * the payment is held. Level-triggered: deliveries on the ledger already are skipped.
 */
public final class ContributorKeys {
    private final Path dir;
    private final RecipientKeys recipients;

    /**
     * @param dir        where the data keys are kept (created when missing)
     * @param recipients the recipients' enrolment public keys
     */
    public ContributorKeys(Path dir, RecipientKeys recipients) {
        this.dir = dir;
        this.recipients = recipients;
    }

    /** Keeps the data key of a sealed model (written atomically). */
    public void save(SealedModels.Stored s) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".key", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's permissions protect it
            }
            Files.writeString(tmp, hex(s.dataKey()));
            Files.move(tmp, dir.resolve(s.modelHash() + ".key"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * @return the data key of the sealed model {@code modelHash}
     * @throws NoSuchFileException when this contributor did not keep it
     */
    public byte[] load(String modelHash) throws IOException {
        Hashes.requireSha256Hex("modelHash", modelHash);
        String h = Files.readString(dir.resolve(modelHash + ".key")).strip();
        byte[] k = new byte[h.length() / 2];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return k;
    }

    /**
     * Delivers the caller's final sealed model's key to every recipient due now and not served yet.
     *
     * @param now the ledger's clock, Unix seconds (to skip an initiator whose key deadline passed)
     * @return the deliveries made by this call
     * @throws IOException when the key or a recipient's certificate cannot be read
     */
    public List<KeyDelivery> deliverDue(FusionLedgerClient client, String taskId, long now) throws IOException, LedgerException {
        Task t = client.getTask(taskId);
        String me = client.clientAccountId();
        if (!t.selectedBidders().contains(me) || (t.state() != TaskState.VERIFYING && t.state() != TaskState.SETTLED)) {
            return List.of();
        }
        Checkpoint fin = null;
        for (Checkpoint cp : client.getCheckpoints(taskId)) {
            if (cp.contributor().equals(me) && cp.epoch() == t.epochsCompleted() && cp.sealed()) {
                fin = cp;
            }
        }
        if (fin == null) {
            return List.of();
        }
        Set<String> done = new HashSet<>();
        for (KeyDelivery d : client.getKeyDeliveries(taskId)) {
            if (d.contributor().equals(me)) {
                done.add(d.recipient());
            }
        }
        List<String> due = new ArrayList<>(t.drawnVerifiers());
        if (t.state() == TaskState.SETTLED) {
            for (KeyEscrow e : client.getKeyEscrows(taskId)) {
                if (e.contributor().equals(me) && e.status() == KeyEscrowStatus.HELD && now <= e.deadline()) {
                    due.add(t.initiator());
                }
            }
        }
        List<KeyDelivery> out = new ArrayList<>();
        byte[] key = null;
        for (String r : due) {
            if (done.contains(r)) {
                continue;
            }
            if (key == null) {
                key = load(fin.modelHash());
            }
            String wrapped = KeyWrap.wrap(key, recipients.publicKey(r), KeyWrap.context(taskId, me, r, fin.modelHash()));
            out.add(client.deliverKey(taskId, r, wrapped).value());
        }
        return out;
    }

    /**
     * The opener of a recipient (a drawn verifier): the plain artifact of a sealed checkpoint, with
     * the key delivered to the caller.
     *
     * @throws SealException when no key is delivered to the caller yet, or it does not open
     */
    public static byte[] openDelivered(FusionLedgerClient client, dev.fusionledger.client.store.ModelStore store,
                                       java.security.PrivateKey mine, Checkpoint cp) throws IOException, LedgerException, SealException {
        String me = client.clientAccountId();
        for (KeyDelivery d : client.getKeyDeliveries(cp.taskId())) {
            if (d.contributor().equals(cp.contributor()) && d.recipient().equals(me) && d.modelHash().equals(cp.modelHash())) {
                return SealedModels.open(store, cp, SealedModels.dataKey(d, mine));
            }
        }
        throw new SealException("wrappedKey: " + cp.contributor() + " has delivered no key for its model to " + me + " yet");
    }

    /** Whether a key of {@code cp}'s model is delivered to {@code me}. */
    public static boolean delivered(List<KeyDelivery> deliveries, Checkpoint cp, String me) {
        return deliveries.stream().anyMatch(d -> d.contributor().equals(cp.contributor()) && d.recipient().equals(me)
                && d.modelHash().equals(cp.modelHash()));
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x));
        }
        return s.toString();
    }
}
