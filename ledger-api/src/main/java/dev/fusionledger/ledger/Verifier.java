package dev.fusionledger.ledger;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A registered verifier (key {@code verifier[taskId, verifier]}). A {@code DRAWN} verifier has
 * revealed iff {@code revealedAt > 0}.
 *
 * @param stake        credits, held while the status holds it
 * @param registeredAt epoch seconds
 * @param commitment   its vote commitment (64 lowercase hex) once committed, else {@code null}
 * @param committedAt  epoch seconds, 0 before the commit
 * @param revealedAt   epoch seconds, 0 before the reveal
 */
@JsonPropertyOrder({"taskId", "verifier", "stake", "registeredAt", "status", "commitment", "committedAt", "revealedAt"})
public record Verifier(String taskId, String verifier, long stake, long registeredAt, VerifierStatus status,
                       String commitment, long committedAt, long revealedAt) {

    /** @return whether the stake is held by the task */
    public boolean holdsStake() {
        return status.holdsStake();
    }

    /** @return whether the verifier revealed its vote */
    public boolean revealed() {
        return revealedAt > 0;
    }

    /** @return this verifier with {@code status} */
    public Verifier withStatus(VerifierStatus status) {
        return new Verifier(taskId, verifier, stake, registeredAt, status, commitment, committedAt, revealedAt);
    }

    /** @return this verifier having committed {@code commitment} at {@code at} (epoch seconds) */
    public Verifier withCommitment(String commitment, long at) {
        return new Verifier(taskId, verifier, stake, registeredAt, status, commitment, at, revealedAt);
    }

    /** @return this verifier having revealed at {@code at} (epoch seconds) */
    public Verifier withRevealedAt(long at) {
        return new Verifier(taskId, verifier, stake, registeredAt, status, commitment, committedAt, at);
    }
}
