package dev.fusionledger.client.audit;

import dev.fusionledger.ledger.Bid;
import dev.fusionledger.ledger.Checkpoint;
import dev.fusionledger.ledger.Settlement;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.Verifier;
import dev.fusionledger.ledger.Vote;
import java.util.List;

/**
 * What the settlement re-check reads from the ledger.
 *
 * @param task         the task after settlement
 * @param escrowBefore the task's {@code escrow} just before {@code Settle} (from its history), credits
 * @param bids         its bids ({@code GetBids})
 * @param verifiers    its verifiers ({@code GetVerifiers})
 * @param checkpoints  its checkpoints ({@code GetCheckpoints})
 * @param votes        its revealed votes ({@code GetVotes})
 * @param settlement   the recorded settlement ({@code GetSettlement})
 */
public record AuditInput(Task task, long escrowBefore, List<Bid> bids, List<Verifier> verifiers,
                         List<Checkpoint> checkpoints, List<Vote> votes, Settlement settlement) {
}
