package dev.fusionledger.client.state;

import java.util.List;

/**
 * A task as stored on the ledger ({@code GetTask}). Times are epoch seconds; {@code escrow} is in
 * credits (budget + fees before resolution, {@code spent + k × fee} after).
 */
public record Task(String taskId, String initiator, TaskSpec spec, TaskState state, long announcedAt,
                   long biddingDeadline, long escrow, int currentEpoch, long epochDeadline, int epochsCompleted,
                   List<String> selectedBidders, List<String> drawnVerifiers, long commitDeadline,
                   long revealDeadline, long updatedAt) {
}
