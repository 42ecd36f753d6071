package dev.fusionledger.chaincode.market;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A registered verifier (key {@code verifier[taskId, verifier]}); credits, seconds. */
@JsonPropertyOrder({"taskId", "verifier", "stake", "registeredAt", "status", "commitment", "committedAt", "revealedAt"})
public final class Verifier {
    /** Verifier status; the stake is held while REGISTERED or DRAWN. */
    public enum Status { REGISTERED, DRAWN, NOT_DRAWN, PAID, FORFEITED, REFUNDED }

    public String taskId;
    public String verifier;
    public long stake;
    public long registeredAt;
    public Status status;
    public String commitment;
    public long committedAt;
    public long revealedAt;

    /** @return whether the stake is held by the task */
    public boolean holdsStake() {
        return status == Status.REGISTERED || status == Status.DRAWN;
    }
}
