package dev.fusionledger.demo.run;

import java.util.List;
import java.util.Map;

/**
 * Every number of a demo run, written as the report JSON. Accuracies are fractions in [0, 1];
 * fitness and contributions are basis points; amounts are credits; times are seconds.
 *
 * @param scenarios one entry per scenario run (one ledger task each)
 * @param phaseSeconds wall time of the run's shared phases (data, fusion engine start), seconds
 * @param totalSeconds wall time of the whole run, seconds
 */
public record DemoResult(DemoConfigView config, Map<String, String> splitHashes, List<ScenarioResult> scenarios,
        Map<String, Double> phaseSeconds, double totalSeconds) {

    /** The settings, as written to the JSON. */
    public record DemoConfigView(List<String> scenarios, double scale, int localEpochs, int patience, int ledgerEpochs,
            int fusionEpochs, int shapleyPermutations, int mafrBps, int minContributionBps, String contributionMeasure,
            long seed, String outDir,
            int fusionPort, long fusionPid) {}

    /**
     * One scenario: the ledger task and what the verifiers computed.
     *
     * @param fusedStrategyI accuracy on the verification split of the Strategy I fusion of all final models
     * @param fusedStrategyII the same for Strategy II
     * @param bestSingle the best single (honest) model's accuracy on all ten digits of the verification split
     * @param verifiersAgree whether all verifiers computed identical votes
     * @param totalsConserved GetTotals after settlement: balances + escrow + stakes = minted
     * @param auditConsistent the Auditor found no mismatch
     * @param txIds transaction ids by step ("AnnounceTask", "SubmitBid C1", ...)
     */
    public record ScenarioResult(String scenario, String taskId, String recommendedModelHash, String taskState,
            List<ContributorRow> contributors, List<VerifierRow> verifiers, double fusedStrategyI,
            double fusedStrategyII, String fusedModelIdI, String fusedModelIdII, double emptyAccuracy,
            String bestSingleId, double bestSingle, boolean verifiersAgree, boolean totalsConserved,
            long minted, boolean auditConsistent, List<String> auditMismatches, long initiatorRefund, long slashPool,
            long slashShare, Map<String, Double> phaseSeconds, Map<String, String> txIds) {}

    /**
     * One contributor (C1..C5 honest, C6 the free rider).
     *
     * @param ownAccuracy its accuracy on its own digits of the verification split (Fig. 6/8); all
     *     digits for the free rider, who claims none
     * @param allDigitsAccuracy its accuracy on all ten digits of the verification split
     * @param fusedAfterI accuracy of the Strategy I fusion of models 1..k (k = this one) (Fig. 7/9)
     * @param fusedAfterII the same for Strategy II
     * @param marginalBps v(1..k) - v(1..k-1), Strategy II
     * @param leaveOneOutBps v(all) - v(all without it), Strategy II
     * @param shapleyBps Monte-Carlo Shapley value, Strategy II
     * @param fitnessBps what the verifiers voted as fitness
     * @param contributionBps what the verifiers voted as contribution
     * @param netCredits what the task did to its balance: payment + slash share - slashed stake
     * @param balanceBefore balance before the task was announced (other tasks on the same accounts
     *     may change balances meanwhile; the settlement fields are this task's own figures)
     * @param strikeAddedBySettle strikes the Settle transaction added to its reputation (from the
     *     reputation key's history)
     */
    public record ContributorRow(String id, String identity, String accountId, boolean freeRider, String architecture,
            List<Integer> digits, long dataPoints, long pricePerPoint, long maxEarnings, long stake, int localEpochs,
            int bestEpoch, double testAccuracy, double trainSeconds, String modelHash, double ownAccuracy,
            double allDigitsAccuracy, double fusedAfterI, double fusedAfterII, int marginalBps, int leaveOneOutBps,
            int shapleyBps, int fitnessBps, int contributionBps, int positiveVotes, boolean accepted, String reason,
            long payment, long stakeReturned, long slashed, long slashShare, long netCredits, long balanceBefore,
            long balanceAfter, int strikesBefore, int strikesAfter, int strikeAddedBySettle) {}

    /** One verifier and how it was settled. */
    public record VerifierRow(String id, String identity, String accountId, boolean drawn, boolean revealed,
            long feePaid, long stakeReturned, long slashShare, long balanceBefore, long balanceAfter) {}
}
