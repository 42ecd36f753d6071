package dev.fusionledger.client.state;

/**
 * A registered verifier of a task; {@code stake} in credits, times in epoch seconds.
 *
 * @param status     one of REGISTERED, DRAWN, NOT_DRAWN, PAID, FORFEITED, REFUNDED
 * @param commitment its vote commitment (64 lowercase hex) once committed, else {@code null}
 */
public record Verifier(String taskId, String verifier, long stake, long registeredAt, String status,
                       String commitment, long committedAt, long revealedAt) {
}
