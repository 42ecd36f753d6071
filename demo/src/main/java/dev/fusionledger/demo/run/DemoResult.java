package dev.fusionledger.demo.run;

import java.util.List;
import java.util.Map;

/**
 * Every number of a demo run, written as the report JSON. Accuracies are fractions in [0, 1];
 * fitness and contributions are basis points; amounts are credits; times are seconds.
 *
 * @param scenarios one entry per scenario run (one ledger task each)
 * @param baselines verifiers-alone and pooled CNNs of this run (docs/fusion.md), shared by the scenarios
 * @param phaseSeconds wall time of the run's shared phases (data, fusion engine start), seconds
 * @param totalSeconds wall time of the whole run, seconds
 */
public record DemoResult(DemoConfig config, long fusionPid, Map<String, String> splitHashes,
        List<ScenarioResult> scenarios, List<Baselines.Baseline> baselines, Map<String, Double> phaseSeconds,
        double totalSeconds) {

    /** @return the verifiers-alone baseline's accuracy on the verification split */
    public double verifiersAlone() {
        return baselines.get(0).accuracy();
    }

    /** @return the pooled baseline's accuracy on the verification split */
    public double pooled() {
        return baselines.get(1).accuracy();
    }

    /**
     * One scenario: the ledger task and what the verifiers computed.
     *
     * @param fusedStrategyI accuracy on the verification split of the Strategy I fusion of all final models
     * @param fusedStrategyII the same for Strategy II
     * @param bestSingle the best single (honest) model's accuracy on all ten digits of the verification split
     * @param verificationSeconds wall time of each drawn verifier's verification, seconds
     * @param verifiersAgree whether all verifiers computed identical votes
     * @param totalsConserved GetTotals after settlement: balances + escrow + stakes = minted
     * @param auditConsistent the Auditor found no mismatch
     * @param txIds transaction ids by step ("AnnounceTask", "SubmitBid C1", ...)
     */
    public record ScenarioResult(String scenario, String taskId, String recommendedModelHash, String taskState,
            List<ContributorRow> contributors, List<VerifierRow> verifiers, double fusedStrategyI,
            double fusedStrategyII, String bestSingleId,
            double bestSingle, List<Double> verificationSeconds, boolean verifiersAgree, boolean totalsConserved,
            long minted, boolean auditConsistent, List<String> auditMismatches, long initiatorRefund, long slashPool,
            long slashShare, Map<String, Double> phaseSeconds, Map<String, String> txIds) {}

    /**
     * One contributor (C1..C5 honest, C6..C8 free riders).
     *
     * @param freeRider the free rider's kind ({@link FreeRider#name()}), null for an honest contributor
     * @param digits the digits its manifest declares (all ten when it declares none)
     * @param ownAccuracy its accuracy on its declared digits of the verification split (Fig. 6/8)
     * @param allDigitsAccuracy its accuracy on all ten digits of the verification split
     * @param fusedAfterI accuracy of the Strategy I feature fusion of the fused (eligible) models up
     *     to this one (Fig. 7/9); NaN if this one is not fused
     * @param fusedAfterII the same for Strategy II
     * @param fitnessBps what the verifiers voted as fitness
     * @param contributionBps what the verifiers voted as contribution (null-relative marginal, docs/fusion.md)
     * @param ownAccuracyBps what the verifiers voted as own accuracy
     * @param duplicateOf the contributor id whose earlier model this one duplicates, or null
     * @param netCredits what the task did to its balance: payment + slash share - slashed stake
     * @param balanceBefore balance before the task was announced (other tasks on the same accounts
     *     may change balances meanwhile; the settlement fields are this task's own figures)
     * @param strikeAddedBySettle strikes the Settle transaction added to its reputation (from the
     *     reputation key's history)
     */
    public record ContributorRow(String id, String identity, String accountId, String freeRider, String architecture,
            List<Integer> digits, long dataPoints, long pricePerPoint, long maxEarnings, long stake, int localEpochs,
            int bestEpoch, double testAccuracy, double trainSeconds, String modelHash, double ownAccuracy,
            double allDigitsAccuracy, double fusedAfterI, double fusedAfterII, int fitnessBps, int contributionBps,
            int ownAccuracyBps, String duplicateOf, int positiveVotes, boolean accepted, String reason,
            long payment, long stakeReturned, long slashed, long slashShare, long netCredits, long balanceBefore,
            long balanceAfter, long strikesBefore, long strikesAfter, int strikeAddedBySettle) {}

    /** One verifier and how it was settled. */
    public record VerifierRow(String id, String identity, String accountId, boolean drawn, boolean revealed,
            long feePaid, long stakeReturned, long slashShare, long balanceBefore, long balanceAfter) {}
}
