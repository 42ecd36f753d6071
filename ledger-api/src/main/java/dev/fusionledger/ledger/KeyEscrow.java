package dev.fusionledger.ledger;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An accepted contributor's payment held at {@code Settle} until its key for the initiator is on the
 * ledger (key {@code keyescrow[taskId, contributor]}; docs/ledger-api.md, "Key escrow"). While
 * {@link KeyEscrowStatus#HELD} the amount is part of the task's {@code escrow}. Amounts in credits.
 *
 * @param amount   the contributor's payment of the settlement (its {@code ContributorOutcome.payment})
 * @param deadline epoch seconds: settledAt + the task's revealSeconds; after it {@code ReclaimKeyEscrow}
 *                 returns the amount to the initiator
 * @param closedAt epoch seconds of the release or return, 0 while held
 */
@JsonPropertyOrder({"taskId", "contributor", "amount", "deadline", "status", "closedAt"})
public record KeyEscrow(String taskId, String contributor, long amount, long deadline, KeyEscrowStatus status,
                        long closedAt) {

    /** @return this escrow closed with {@code s} at {@code now} */
    public KeyEscrow closed(KeyEscrowStatus s, long now) {
        return new KeyEscrow(taskId, contributor, amount, deadline, s, now);
    }
}
