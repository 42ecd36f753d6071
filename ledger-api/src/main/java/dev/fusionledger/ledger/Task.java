package dev.fusionledger.ledger;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * A task on the ledger (key {@code task[taskId]}; docs/ledger-api.md, "Phases and deadlines").
 * Times are epoch seconds from transaction timestamps.
 *
 * @param taskId          the id of the announcing transaction
 * @param escrow          initiator credits held by the task: budget + fees before resolution,
 *                        {@code spent + k × fee} after, 0 once terminal
 * @param currentEpoch    the epoch in training, 0 before
 * @param epochsCompleted the number of the epoch the initiator ended last
 * @param selectedBidders selected contributors, sorted
 * @param drawnVerifiers  drawn verifiers, sorted
 */
@JsonPropertyOrder({"taskId", "initiator", "spec", "state", "announcedAt", "biddingDeadline", "escrow",
    "currentEpoch", "epochDeadline", "epochsCompleted", "selectedBidders", "drawnVerifiers", "commitDeadline",
    "revealDeadline", "updatedAt"})
public record Task(String taskId, String initiator, TaskSpec spec, TaskState state, long announcedAt,
                   long biddingDeadline, long escrow, int currentEpoch, long epochDeadline, int epochsCompleted,
                   List<String> selectedBidders, List<String> drawnVerifiers, long commitDeadline,
                   long revealDeadline, long updatedAt) {

    public Task {
        selectedBidders = selectedBidders == null ? List.of() : List.copyOf(selectedBidders);
        drawnVerifiers = drawnVerifiers == null ? List.of() : List.copyOf(drawnVerifiers);
    }

    /** @return a task just announced at {@code now}: BIDDING, nothing selected or drawn */
    public static Task announced(String taskId, String initiator, TaskSpec spec, long now, long biddingDeadline,
                                 long escrow) {
        return new Task(taskId, initiator, spec, TaskState.BIDDING, now, biddingDeadline, escrow, 0, 0, 0,
                List.of(), List.of(), 0, 0, now);
    }

    /** @return this task in {@code state}, updated at {@code now} */
    public Task withState(TaskState state, long now) {
        return new Task(taskId, initiator, spec, state, announcedAt, biddingDeadline, escrow, currentEpoch,
                epochDeadline, epochsCompleted, selectedBidders, drawnVerifiers, commitDeadline, revealDeadline, now);
    }

    /** @return this task holding {@code escrow} credits */
    public Task withEscrow(long escrow) {
        return new Task(taskId, initiator, spec, state, announcedAt, biddingDeadline, escrow, currentEpoch,
                epochDeadline, epochsCompleted, selectedBidders, drawnVerifiers, commitDeadline, revealDeadline, updatedAt);
    }

    /** @return this task with {@code selected} contributors (sorted copy) */
    public Task withSelectedBidders(List<String> selected) {
        List<String> s = selected.stream().sorted().toList();
        return new Task(taskId, initiator, spec, state, announcedAt, biddingDeadline, escrow, currentEpoch,
                epochDeadline, epochsCompleted, s, drawnVerifiers, commitDeadline, revealDeadline, updatedAt);
    }

    /** @return this task in epoch {@code epoch} with deadline {@code deadline}, having completed {@code completed} */
    public Task withEpoch(int epoch, long deadline, int completed) {
        return new Task(taskId, initiator, spec, state, announcedAt, biddingDeadline, escrow, epoch,
                deadline, completed, selectedBidders, drawnVerifiers, commitDeadline, revealDeadline, updatedAt);
    }

    /** @return this task with {@code drawn} verifiers (sorted copy) and the vote deadlines */
    public Task withVerification(List<String> drawn, long commitDeadline, long revealDeadline) {
        List<String> d = drawn.stream().sorted().toList();
        return new Task(taskId, initiator, spec, state, announcedAt, biddingDeadline, escrow, currentEpoch,
                epochDeadline, epochsCompleted, selectedBidders, d, commitDeadline, revealDeadline, updatedAt);
    }
}
