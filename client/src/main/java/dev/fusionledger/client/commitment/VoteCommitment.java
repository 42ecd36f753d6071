package dev.fusionledger.client.commitment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusionledger.client.store.Hashes;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The vote commitment of the commit–reveal scheme, computed exactly as the chaincode does
 * (docs/ledger-api.md, "Vote commitment"):
 * <ul>
 *   <li>canonical votes = JSON array of {@code {"contributor","fitnessBps","contributionBps"}}
 *       sorted by {@code contributor} ({@link String#compareTo}, UTF-16 code-unit order), fields in
 *       that order, no whitespace, standard JSON string escaping;</li>
 *   <li>commitment = lowercase hex SHA-256 of the UTF-8 bytes of
 *       {@code taskId + "|" + verifierAccountId + "|" + canonicalVotes + "|" + salt}.</li>
 * </ul>
 */
public final class VoteCommitment {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private VoteCommitment() {
    }

    /**
     * The canonical JSON of {@code votes}.
     *
     * @throws IllegalArgumentException when a contributor appears twice
     */
    public static String canonicalVotes(List<VoteEntry> votes) {
        List<VoteEntry> sorted = new ArrayList<>(votes);
        sorted.sort(Comparator.comparing(VoteEntry::contributor));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).contributor().equals(sorted.get(i - 1).contributor())) {
                throw new IllegalArgumentException("votes: contributor " + sorted.get(i).contributor()
                        + " appears more than once, at most one entry per contributor");
            }
        }
        try {
            return JSON.writeValueAsString(sorted);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("votes cannot be written as JSON", e);
        }
    }

    /**
     * The commitment a verifier submits with {@code CommitVote} and later opens with
     * {@code RevealVote(taskId, canonicalVotes(votes), salt)}.
     *
     * @param salt 1..128 printable ASCII characters without {@code |}
     * @return 64 lowercase hex characters
     * @throws IllegalArgumentException naming the field when taskId, verifier or salt are invalid
     */
    public static String commitment(String taskId, String verifierAccountId, List<VoteEntry> votes, String salt) {
        if (taskId == null || taskId.isEmpty()) {
            throw new IllegalArgumentException("taskId: required");
        }
        if (verifierAccountId == null || verifierAccountId.isEmpty()) {
            throw new IllegalArgumentException("verifierAccountId: required");
        }
        checkSalt(salt);
        String preimage = taskId + "|" + verifierAccountId + "|" + canonicalVotes(votes) + "|" + salt;
        return Hashes.sha256Hex(preimage.getBytes(StandardCharsets.UTF_8));
    }

    /** A fresh random salt: 32 lowercase hex characters from a {@link SecureRandom}. */
    public static String newSalt() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * @throws IllegalArgumentException unless {@code salt} is 1..128 printable ASCII characters
     *                                  (0x20..0x7e) without {@code |}
     */
    public static void checkSalt(String salt) {
        if (salt == null || salt.isEmpty() || salt.length() > 128) {
            throw new IllegalArgumentException("salt: must be 1..128 printable ASCII characters, got length "
                    + (salt == null ? 0 : salt.length()));
        }
        for (int i = 0; i < salt.length(); i++) {
            char c = salt.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '|') {
                throw new IllegalArgumentException("salt: must be printable ASCII without '|', bad character at index " + i);
            }
        }
    }
}
