package dev.fusionledger.demo.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.fusionledger.demo.run.DemoResult.ContributorRow;
import dev.fusionledger.demo.run.DemoResult.ScenarioResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The demo's outputs: the paper-style table on a stream, the JSON report and the PNG chart. */
public final class Report {
    /** The paper's final fused accuracies on MNIST (Mendis et al., Section IV), fractions. */
    public static final double PAPER_STRATEGY_I = 0.984;
    public static final double PAPER_STRATEGY_II = 0.986;

    private Report() {}

    /**
     * Prints per scenario the contributors' table, the fused accuracies next to the baselines and the
     * paper's, and the phase times.
     */
    public static void printTable(DemoResult r, PrintStream out) {
        out.printf(Locale.ROOT, "%nbaselines (C1, verification split): verifiers alone %.2f%%, pooled %.2f%%%n",
                100 * r.verifiersAlone(), 100 * r.pooled());
        for (ScenarioResult s : r.scenarios()) {
            out.printf(Locale.ROOT, "%nScenario %s  task %s%s%n", s.scenario(), s.taskId(),
                    s.recommendedModelHash() == null ? "" : "  (recommended model " + s.recommendedModelHash().substring(0, 16) + "...)");
            out.println("who  identity   model            digits         ownAcc  fusedI  fusedII  vote(fit/contr/own)"
                    + "  votes  decision                       payment  slashed  net");
            for (ContributorRow c : s.contributors()) {
                out.printf(Locale.ROOT, "%-4s %-10s %-16s %-14s %6.2f%% %7s %7s  %5d/%-5d/%-5d    %d/%d    %-40s %7d  %7d  %+d%n",
                        c.id(), c.identity(), c.architecture(), digits(c.digits()), 100 * c.ownAccuracy(),
                        percent(c.fusedAfterI()), percent(c.fusedAfterII()), c.fitnessBps(), c.contributionBps(),
                        c.ownAccuracyBps(), c.positiveVotes(), s.verifiers().stream().filter(v -> v.revealed()).count(),
                        (c.accepted() ? "ACCEPTED" : c.reason() + " (strike " + c.strikesAfter() + ")")
                                + (c.duplicateOf() == null ? "" : ", dup of " + c.duplicateOf()), c.payment(),
                        c.slashed(), c.netCredits());
            }
            out.printf(Locale.ROOT, "fused accuracy of the %d eligible models, verification split: Strategy I %.2f%% "
                    + "(paper %.1f%%), Strategy II %.2f%% (paper %.1f%%)%n",
                    s.contributors().stream().filter(c -> !Double.isNaN(c.fusedAfterII())).count(), 100 * s.fusedStrategyI(),
                    100 * PAPER_STRATEGY_I, 100 * s.fusedStrategyII(), 100 * PAPER_STRATEGY_II);
            out.printf(Locale.ROOT, "Strategy II vs verifiers alone %+.2f points, vs pooled %+.2f points; best single "
                    + "model on all ten digits: %s %.2f%%%n", 100 * (s.fusedStrategyII() - r.verifiersAlone()),
                    100 * (s.fusedStrategyII() - r.pooled()), s.bestSingleId(), 100 * s.bestSingle());
            out.printf(Locale.ROOT, "verifiers agree: %s; credits conserved: %s (minted %d); auditor: %s; "
                    + "initiator refund %d, slash pool %d (share %d)%n", s.verifiersAgree(), s.totalsConserved(), s.minted(),
                    s.auditConsistent() ? "no mismatch" : s.auditMismatches(), s.initiatorRefund(), s.slashPool(),
                    s.slashShare());
            out.println("phase seconds: " + times(s.phaseSeconds()) + "; per verifier: "
                    + s.verificationSeconds().stream().map(x -> String.format(Locale.ROOT, "%.1f", x)).toList());
        }
        out.println();
        out.println("run phase seconds: " + times(r.phaseSeconds()) + "; total " + String.format(Locale.ROOT, "%.1f", r.totalSeconds()));
    }

    /** A fraction as a percentage with two decimals, "-" for NaN (a model that was not fused). */
    private static String percent(double f) {
        return Double.isNaN(f) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * f);
    }

    private static String digits(List<Integer> d) {
        if (d.size() == 10) {
            return "all";
        }
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < d.size(); i++) {
            b.append(i == 0 ? "" : ",").append(d.get(i));
        }
        return b.append('}').toString();
    }

    private static String times(Map<String, Double> m) {
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ')
                .append(String.format(Locale.ROOT, "%.1f", v)));
        return b.toString();
    }

    /** Writes every number of {@code r} as pretty-printed JSON. */
    public static void writeJson(DemoResult r, Path file) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), r);
    }

    /**
     * Writes a PNG chart of the fused accuracy (verification split, %) against the number of fused
     * models in submission order, one series per strategy and scenario (paper Fig. 7/9), with the
     * verifiers-alone and pooled baselines as horizontal lines.
     */
    public static void writeChart(DemoResult r, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("Fused accuracy vs number of fused models (MNIST, verification split)")
                .xAxisTitle("models fused, submission order (free riders are not fused)").yAxisTitle("accuracy %").build();
        chart.getStyler().setYAxisMax(100.0);
        int n = 1;
        for (ScenarioResult s : r.scenarios()) {
            List<ContributorRow> cs = s.contributors().stream().filter(c -> !Double.isNaN(c.fusedAfterII())).toList();
            n = Math.max(n, cs.size());
            double[] x = IntStream.rangeClosed(1, cs.size()).asDoubleStream().toArray();
            chart.addSeries("Scenario " + s.scenario() + ", Strategy I", x,
                    cs.stream().mapToDouble(c -> 100 * c.fusedAfterI()).toArray()).setMarker(SeriesMarkers.CIRCLE);
            chart.addSeries("Scenario " + s.scenario() + ", Strategy II", x,
                    cs.stream().mapToDouble(c -> 100 * c.fusedAfterII()).toArray()).setMarker(SeriesMarkers.DIAMOND);
        }
        double[] ends = {1, n};
        chart.addSeries(String.format(Locale.ROOT, "verifiers alone (%.2f%%)", 100 * r.verifiersAlone()), ends,
                new double[] {100 * r.verifiersAlone(), 100 * r.verifiersAlone()}).setMarker(SeriesMarkers.NONE);
        chart.addSeries(String.format(Locale.ROOT, "pooled (%.2f%%)", 100 * r.pooled()), ends,
                new double[] {100 * r.pooled(), 100 * r.pooled()}).setMarker(SeriesMarkers.NONE);
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
