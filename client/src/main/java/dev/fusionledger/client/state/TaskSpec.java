package dev.fusionledger.client.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What an initiator announces ({@code AnnounceTask(specJson)}); the chaincode validates every field
 * and rejects unknown ones. Ranges (enforced by the chaincode, reported as {@code INVALID_ARGUMENT}):
 *
 * @param labels               1..1000 distinct labels of 1..64 characters
 * @param inputShape           1..8 dimensions, each 1..1000000
 * @param verificationDataHash SHA-256 (64 lowercase hex) of the verification data
 * @param recommendedModelHash optional SHA-256 of a recommended model (Mendis et al., Scenario II),
 *                             {@code null} when none
 * @param mafrBps              minimum acceptable fitness rate, basis points 0..10000
 * @param minContributionBps   minimum contribution for acceptance, basis points 0..10000
 * @param requiredDataPoints   data points to cover, 1..10^12
 * @param rewardBudget         credits escrowed for contributors, 1..10^15
 * @param verifierFee          credits per revealing verifier, 0..10^15
 * @param verifierQuorum       verifiers drawn (k), 1..100
 * @param verifierStake        credits staked by each verifier, 0..10^15
 * @param maxEpochs            training epochs, 1..1000
 * @param epochSeconds         epoch length in seconds, 1..31536000
 * @param latePenaltyBps       payment reduction per late epoch, basis points 0..10000
 * @param biddingSeconds       bidding phase length in seconds, 1..31536000
 * @param commitSeconds        commit phase length in seconds, 1..31536000
 * @param revealSeconds        reveal phase length in seconds, 1..31536000
 */
@JsonPropertyOrder({"labels", "inputShape", "verificationDataHash", "recommendedModelHash", "mafrBps",
    "minContributionBps", "requiredDataPoints", "rewardBudget", "verifierFee", "verifierQuorum",
    "verifierStake", "maxEpochs", "epochSeconds", "latePenaltyBps", "biddingSeconds", "commitSeconds",
    "revealSeconds"})
public record TaskSpec(List<String> labels, List<Integer> inputShape, String verificationDataHash,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String recommendedModelHash,
                       int mafrBps, int minContributionBps, long requiredDataPoints, long rewardBudget,
                       long verifierFee, int verifierQuorum, long verifierStake, int maxEpochs,
                       long epochSeconds, int latePenaltyBps, long biddingSeconds, long commitSeconds,
                       long revealSeconds) {

    /** Credits moved from the initiator's balance into the task's escrow: budget + k × fee. */
    public long escrowRequired() {
        return Math.addExact(rewardBudget, Math.multiplyExact(verifierQuorum, verifierFee));
    }
}
