package dev.fusionledger.client.seal;

import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.LedgerException;
import dev.fusionledger.ledger.KeyDelivery;
import dev.fusionledger.ledger.KeyDispute;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The initiator's side of sealed models after {@code Settle} (docs/model-store.md, "Key delivery"):
 * reads the keys delivered to it, unwraps each with its enrolment key, checks it against the
 * commitment, and records a {@code DisputeKey} for each that fails.
 */
public final class InitiatorKeys {
    /** The reason recorded by {@link #collect} for a key that fails. */
    public static final String MISMATCH = "the delivered key does not unwrap to the data key of the commitment";

    private InitiatorKeys() {
    }

    /**
     * One contributor's key for the initiator.
     *
     * @param delivery the delivery on the ledger
     * @param dataKey  the checked data key, null when it failed
     * @param problem  why it failed, null when it did not
     * @param dispute  the dispute recorded about it (now or before), null when none
     */
    public record Result(KeyDelivery delivery, byte[] dataKey, String problem, KeyDispute dispute) {
        /** Whether the key opened and matched its commitment. */
        public boolean ok() {
            return dataKey != null;
        }
    }

    /**
     * Checks every key delivered to the caller (the initiator) for {@code taskId}; with
     * {@code dispute}, records {@code DisputeKey} for each key that fails and is not disputed yet.
     *
     * @param mine the caller's enrolment private key
     * @return one result per delivery to the caller, sorted by contributor
     */
    public static List<Result> collect(FusionLedgerClient client, PrivateKey mine, String taskId, boolean dispute)
            throws LedgerException {
        String me = client.clientAccountId();
        Set<String> disputed = new HashSet<>();
        List<KeyDispute> disputes = client.getKeyDisputes(taskId);
        disputes.forEach(d -> disputed.add(d.contributor()));
        List<Result> out = new ArrayList<>();
        for (KeyDelivery d : client.getKeyDeliveries(taskId)) {
            if (!d.recipient().equals(me) || !KeyDelivery.INITIATOR.equals(d.recipientRole())) {
                continue;
            }
            try {
                out.add(new Result(d, SealedModels.dataKey(d, mine), null, null));
            } catch (SealException e) {
                KeyDispute k = disputes.stream().filter(x -> x.contributor().equals(d.contributor())).findFirst().orElse(null);
                if (dispute && !disputed.contains(d.contributor())) {
                    k = client.disputeKey(taskId, d.contributor(), MISMATCH).value();
                }
                out.add(new Result(d, null, e.getMessage(), k));
            }
        }
        return out;
    }

    /**
     * Reads a PKCS#8 EC private key (PEM), e.g. a profile user's {@code privateKey}.
     *
     * @throws IOException naming the file when it is not a PEM private key
     */
    public static PrivateKey readPrivateKey(Path pem) throws IOException {
        try (Reader r = Files.newBufferedReader(pem)) {
            return org.hyperledger.fabric.client.identity.Identities.readPrivateKey(r);
        } catch (InvalidKeyException e) {
            throw new IOException("private key " + pem + ": not a PEM private key: " + e.getMessage(), e);
        }
    }
}
