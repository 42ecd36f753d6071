package dev.fusionledger.client.audit;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.fusionledger.ledger.Settlement;
import java.util.List;

/**
 * The audit report of one task: its full ledger history, the recorded settlement, the settlement
 * re-computed from the recorded bids, checkpoints and votes, the escrow balance, and every
 * mismatch. All amounts in credits.
 *
 * @param escrowIn    credits held for the task when it was settled: escrow before {@code Settle}
 *                    plus the stakes of the selected contributors and drawn verifiers
 * @param escrowOut   credits paid out by the settlement: payments + returned stakes + fees + slash
 *                    and forfeit shares + the initiator's refund
 * @param consistent  {@code true} when there is no mismatch
 */
@JsonPropertyOrder({"taskId", "state", "consistent", "escrowIn", "escrowOut", "mismatches", "recorded",
    "expected", "history"})
public record TaskAudit(String taskId, String state, boolean consistent, long escrowIn, long escrowOut,
                        List<Mismatch> mismatches, Settlement recorded, Settlement expected,
                        List<AuditEntry> history) {
}
