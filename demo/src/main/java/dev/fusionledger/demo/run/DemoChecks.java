package dev.fusionledger.demo.run;

import dev.fusionledger.demo.run.DemoResult.ContributorRow;
import dev.fusionledger.demo.run.DemoResult.ScenarioResult;
import java.util.ArrayList;
import java.util.List;

/** The outcomes the demo must show (docs/fusion.md), as a list of failures (empty = all hold). */
public final class DemoChecks {
    private DemoChecks() {}

    /**
     * Per scenario: every free rider (each kind) rejected, slashed and its strike recorded; every
     * honest contributor accepted and paid exactly its bid (max earnings, every epoch on time);
     * credits conserved; the fused Strategy II accuracy above the best single model's and above the
     * verifiers-alone baseline's; no audit mismatch.
     */
    public static List<String> failures(DemoResult r) {
        List<String> f = new ArrayList<>();
        for (ScenarioResult s : r.scenarios()) {
            String p = "scenario " + s.scenario() + ": ";
            if (!"SETTLED".equals(s.taskState())) {
                f.add(p + "task is " + s.taskState() + ", not SETTLED");
            }
            for (ContributorRow c : s.contributors()) {
                if (c.freeRider() != null) {
                    if (c.accepted() || c.slashed() != c.stake() || c.stakeReturned() != 0 || c.payment() != 0
                            || c.strikeAddedBySettle() != 1) {
                        f.add(p + c.id() + " (free rider) accepted=" + c.accepted() + " slashed=" + c.slashed()
                                + " of stake " + c.stake() + ", strikes added by Settle " + c.strikeAddedBySettle());
                    }
                } else if (!c.accepted() || c.payment() != c.dataPoints() * c.pricePerPoint()
                        || c.payment() != c.maxEarnings() || c.stakeReturned() != c.stake() || c.slashed() != 0
                        || c.strikeAddedBySettle() != 0) {
                    f.add(p + c.id() + " accepted=" + c.accepted() + " payment=" + c.payment() + " for bid "
                            + c.dataPoints() + " x " + c.pricePerPoint() + ", stake returned " + c.stakeReturned()
                            + " of " + c.stake() + ", strikes added " + c.strikeAddedBySettle());
                }
            }
            if (!s.totalsConserved()) {
                f.add(p + "credits not conserved");
            }
            if (!(s.fusedStrategyII() > s.bestSingle())) {
                f.add(p + "fused Strategy II " + s.fusedStrategyII() + " not above best single " + s.bestSingle());
            }
            if (!(s.fusedStrategyII() > r.verifiersAlone())) {
                f.add(p + "fused Strategy II " + s.fusedStrategyII() + " not above the verifiers-alone baseline "
                        + r.verifiersAlone());
            }
            if (!s.auditConsistent()) {
                f.add(p + "audit mismatches " + s.auditMismatches());
            }
        }
        return f;
    }
}
