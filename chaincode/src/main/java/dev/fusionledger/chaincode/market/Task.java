package dev.fusionledger.chaincode.market;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;

/** A task on the ledger (key {@code task[taskId]}); times in epoch seconds, escrow in credits. */
@JsonPropertyOrder({"taskId", "initiator", "spec", "state", "announcedAt", "biddingDeadline", "escrow",
    "currentEpoch", "epochDeadline", "epochsCompleted", "selectedBidders", "drawnVerifiers", "commitDeadline",
    "revealDeadline", "updatedAt"})
public final class Task {
    /** Task lifecycle. */
    public enum State { BIDDING, TRAINING, VERIFYING, SETTLED, CANCELLED }

    public String taskId;
    public String initiator;
    public TaskSpec spec;
    public State state;
    public long announcedAt;
    public long biddingDeadline;
    /** Initiator credits held by the task: budget + fees, after resolution spent + k x fee; 0 when terminal. */
    public long escrow;
    public int currentEpoch;
    public long epochDeadline;
    public int epochsCompleted;
    public List<String> selectedBidders = new ArrayList<>();
    public List<String> drawnVerifiers = new ArrayList<>();
    public long commitDeadline;
    public long revealDeadline;
    public long updatedAt;
}
