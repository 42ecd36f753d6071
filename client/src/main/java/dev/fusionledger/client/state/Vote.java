package dev.fusionledger.client.state;

import dev.fusionledger.client.commitment.VoteEntry;
import java.util.List;

/** A revealed vote of a verifier: its evaluations in canonical order, salt and commitment. */
public record Vote(String taskId, String verifier, List<VoteEntry> votes, String salt, String commitment,
                   long revealedAt) {
}
