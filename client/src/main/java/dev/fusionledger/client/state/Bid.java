package dev.fusionledger.client.state;

/**
 * A contributor's bid. {@code maxEarnings = dataPoints × pricePerPoint} credits;
 * {@code stake = maxEarnings × (1 + strikes)} credits, held while PENDING or SELECTED.
 *
 * @param status one of PENDING, WITHDRAWN, SELECTED, NOT_SELECTED, ACCEPTED, REJECTED, REFUNDED
 */
public record Bid(String taskId, String bidder, long dataPoints, long pricePerPoint, long maxEarnings,
                  long stake, long submittedAt, String status) {
}
