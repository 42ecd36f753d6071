package dev.fusionledger.client.seal;

import dev.fusionledger.client.store.IpfsModelStore;
import dev.fusionledger.client.store.ModelManifest;
import dev.fusionledger.client.store.ModelStore;
import dev.fusionledger.ledger.Checkpoint;
import dev.fusionledger.ledger.KeyDelivery;
import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * The steps of sealed (encrypted) artifacts that the roles share (docs/model-store.md): the
 * contributor seals and stores, and wraps its data key per recipient; a recipient unwraps its key,
 * checks it against the ledger's commitment, fetches the ciphertext from its own store and opens it.
 */
public final class SealedModels {
    private SealedModels() {
    }

    /**
     * A sealed artifact in a store.
     *
     * @param modelHash     SHA-256 hex of the sealed bytes: the store id and the checkpoint's modelHash
     * @param keyCommitment SHA-256 hex of the data key
     * @param artifactCid   the IPFS CID when the store is an {@link IpfsModelStore}, else null
     * @param dataKey       the 32-byte data key (the contributor keeps it until it delivered it to everyone due)
     */
    public record Stored(String modelHash, String keyCommitment, String artifactCid, byte[] dataKey) {
    }

    /** Seals {@code plain} with a fresh key and stores the sealed bytes with {@code manifest}. */
    public static Stored store(ModelStore store, byte[] plain, ModelManifest manifest) throws IOException {
        ArtifactCipher.Sealed s = ArtifactCipher.seal(plain);
        String id = store.put(s.sealed(), manifest);
        String cid = store instanceof IpfsModelStore ipfs ? ipfs.cid(id) : null;
        return new Stored(id, s.keyCommitment(), cid, s.dataKey());
    }

    /** The {@code wrappedKey} of {@code DeliverKey} for {@code recipient} (its enrolment certificate {@code cert}). */
    public static String wrapFor(byte[] dataKey, X509Certificate cert, String taskId, String contributor, String recipient,
                                 String modelHash) {
        return KeyWrap.wrap(dataKey, cert, KeyWrap.context(taskId, contributor, recipient, modelHash));
    }

    /**
     * The data key of a delivery to the caller, unwrapped with its enrolment private key and checked
     * against the delivery's commitment (the checkpoint's).
     *
     * @throws SealException when it does not unwrap or does not hash to the commitment (grounds for
     *                       {@code DisputeKey} when the recipient is the initiator)
     */
    public static byte[] dataKey(KeyDelivery d, PrivateKey mine) throws SealException {
        byte[] k = KeyWrap.unwrap(d.wrappedKey(), mine, KeyWrap.context(d.taskId(), d.contributor(), d.recipient(),
                d.modelHash()));
        if (k.length != ArtifactCipher.KEY_BYTES || !ArtifactCipher.commitment(k).equals(d.keyCommitment())) {
            throw new SealException("wrappedKey: the unwrapped key of " + d.contributor() + " does not hash to its commitment "
                    + d.keyCommitment());
        }
        return k;
    }

    /**
     * The plain artifact of a sealed checkpoint: fetched into {@code store} first when it is an
     * {@link IpfsModelStore} that lacks it and the checkpoint names a CID, hash-checked by the
     * store, decrypted with {@code dataKey} (checked against the commitment).
     *
     * @throws SealException when the key does not match the commitment or the bytes do not decrypt
     */
    public static byte[] open(ModelStore store, Checkpoint cp, byte[] dataKey) throws IOException, SealException {
        if (!cp.sealed()) {
            throw new IllegalArgumentException("cp: checkpoint of epoch " + cp.epoch() + " is not sealed");
        }
        if (store instanceof IpfsModelStore ipfs && cp.artifactCid() != null && !ipfs.contains(cp.modelHash())) {
            ipfs.fetch(cp.modelHash(), cp.artifactCid());
        }
        return ArtifactCipher.open(store.get(cp.modelHash()).bytes(), dataKey, cp.keyCommitment());
    }
}
