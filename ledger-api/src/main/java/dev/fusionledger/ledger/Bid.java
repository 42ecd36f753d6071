package dev.fusionledger.ledger;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A contributor's bid (key {@code bid[taskId, bidder]}; Chamatidis et al. bidding terms).
 *
 * @param dataPoints    data points offered, 1..10^12
 * @param pricePerPoint credits per data point, 1..10^15
 * @param maxEarnings   {@code dataPoints × pricePerPoint}, credits
 * @param stake         {@code maxEarnings × (1 + strikes)}, credits, held while the status holds it
 * @param submittedAt   epoch seconds
 */
@JsonPropertyOrder({"taskId", "bidder", "dataPoints", "pricePerPoint", "maxEarnings", "stake", "submittedAt", "status"})
public record Bid(String taskId, String bidder, long dataPoints, long pricePerPoint, long maxEarnings, long stake,
                  long submittedAt, BidStatus status) {

    /** @return whether the stake is held by the task */
    public boolean holdsStake() {
        return status.holdsStake();
    }

    /** @return this bid with {@code status} */
    public Bid withStatus(BidStatus status) {
        return new Bid(taskId, bidder, dataPoints, pricePerPoint, maxEarnings, stake, submittedAt, status);
    }
}
