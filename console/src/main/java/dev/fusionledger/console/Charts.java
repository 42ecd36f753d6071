package dev.fusionledger.console;

import dev.fusionledger.ledger.Vote;
import dev.fusionledger.ledger.VoteEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.ToIntFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * PNG charts of the verifiers' revealed reports on a task (XChart, server-side): per contributor,
 * one bar per verifier, of the fitness (fused accuracy with the contributor's model, against the
 * task's MAFR) or of the contribution, in basis points.
 */
final class Charts {
    private Charts() {
    }

    enum Metric {
        FITNESS("Fitness (fused accuracy with the model), bps", VoteEntry::fitnessBps),
        CONTRIBUTION("Contribution to the fused accuracy, bps", VoteEntry::contributionBps),
        OWN_ACCURACY("Own accuracy on its labels, bps", VoteEntry::ownAccuracyBps);

        final String title;
        final ToIntFunction<VoteEntry> value;

        Metric(String title, ToIntFunction<VoteEntry> value) {
            this.title = title;
            this.value = value;
        }

        /** @throws IllegalArgumentException naming {@code metric} and the allowed values */
        static Metric of(String name) {
            return switch (name) {
                case "fitness" -> FITNESS;
                case "contribution" -> CONTRIBUTION;
                case "own-accuracy" -> OWN_ACCURACY;
                default -> throw new IllegalArgumentException("metric: must be fitness, contribution or own-accuracy, got '"
                        + name + "'");
            };
        }
    }

    /**
     * The fused accuracy after models 1..k (Mendis et al., Fig. 7/9) from a verifier's report
     * (docs/agents.md, "Verification reports"): Strategy I and II over the fused models in
     * submission order, in percent.
     *
     * @param file the report file's JSON: {@code {taskId, verifier, report: {fusedI, fusedII, models: [{account,
     *     eligible, prefixI, prefixII, ...}]}}}
     * @throws IllegalArgumentException if it has no models
     */
    static byte[] fusedPng(com.fasterxml.jackson.databind.JsonNode file) throws IOException {
        var models = file.path("report").path("models");
        if (!models.isArray() || models.isEmpty()) {
            throw new IllegalArgumentException("report: no models in the verification report");
        }
        List<Integer> k = new ArrayList<>();
        List<Double> one = new ArrayList<>();
        List<Double> two = new ArrayList<>();
        for (var m : models) {
            if (m.path("eligible").asBoolean(false)) {
                k.add(k.size() + 1);
                one.add(100 * m.path("prefixI").asDouble());
                two.add(100 * m.path("prefixII").asDouble());
            }
        }
        var chart = new org.knowm.xchart.XYChartBuilder().width(760).height(360)
                .title("Fused accuracy after models 1..k (verifier " + Fmt.brief(file.path("verifier").asText("?")) + ")")
                .xAxisTitle("models fused").yAxisTitle("accuracy on the verification data, %").build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        if (k.isEmpty()) {
            chart.setTitle("Fused accuracy: no model was eligible");
            chart.addSeries("none", List.of(0), List.of(0));
        } else {
            chart.addSeries("Strategy I", k, one);
            chart.addSeries("Strategy II", k, two);
        }
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * @param threshold a horizontal reference (the task's MAFR or minimum), basis points
     * @return the PNG bytes; a chart saying "no revealed votes yet" when {@code votes} is empty
     */
    static byte[] png(List<Vote> votes, Metric metric, int threshold) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(760).height(360).title(metric.title)
                .xAxisTitle("contributor").yAxisTitle("bps").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        TreeSet<String> contributors = new TreeSet<>();
        votes.forEach(v -> v.votes().forEach(e -> contributors.add(e.contributor())));
        List<String> names = contributors.stream().map(Fmt::brief).toList();
        if (votes.isEmpty()) {
            chart.setTitle(metric.title + ": no revealed votes yet");
            chart.addSeries("none", List.of("-"), List.of(0));
        }
        for (Vote v : votes) {
            List<Integer> ys = new ArrayList<>();
            for (String c : contributors) {
                ys.add(v.votes().stream().filter(e -> e.contributor().equals(c)).mapToInt(metric.value).findFirst()
                        .orElse(0));
            }
            chart.addSeries("verifier " + Fmt.brief(v.verifier()), names, ys);
        }
        if (!votes.isEmpty()) {
            List<Integer> line = names.stream().map(n -> threshold).toList();
            var s = chart.addSeries("threshold", names, line);
            s.setChartCategorySeriesRenderStyle(org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle.Line);
        }
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }
}
