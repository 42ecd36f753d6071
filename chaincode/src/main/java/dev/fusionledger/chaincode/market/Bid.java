package dev.fusionledger.chaincode.market;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A contributor's bid (key {@code bid[taskId, bidder]}); credits, seconds. */
@JsonPropertyOrder({"taskId", "bidder", "dataPoints", "pricePerPoint", "maxEarnings", "stake", "submittedAt", "status"})
public final class Bid {
    /** Bid status; the stake is held while PENDING or SELECTED. */
    public enum Status { PENDING, WITHDRAWN, SELECTED, NOT_SELECTED, ACCEPTED, REJECTED, REFUNDED }

    public String taskId;
    public String bidder;
    public long dataPoints;
    public long pricePerPoint;
    /** dataPoints x pricePerPoint, credits. */
    public long maxEarnings;
    /** maxEarnings x (1 + strikes), credits. */
    public long stake;
    public long submittedAt;
    public Status status;

    /** @return whether the stake is held by the task */
    public boolean holdsStake() {
        return status == Status.PENDING || status == Status.SELECTED;
    }
}
