package dev.fusionledger.ledger;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * A revealed vote (key {@code vote[taskId, verifier]}, written at the reveal).
 *
 * @param votes      the evaluations in canonical order (sorted by contributor)
 * @param salt       the salt that opened the commitment
 * @param commitment the commitment it opened (see {@link VoteCommitment})
 * @param revealedAt epoch seconds
 */
@JsonPropertyOrder({"taskId", "verifier", "votes", "salt", "commitment", "revealedAt"})
public record Vote(String taskId, String verifier, List<VoteEntry> votes, String salt, String commitment,
                   long revealedAt) {
    public Vote {
        votes = votes == null ? List.of() : List.copyOf(votes);
    }
}
