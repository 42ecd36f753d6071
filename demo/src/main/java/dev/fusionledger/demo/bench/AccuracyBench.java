package dev.fusionledger.demo.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.fusionledger.client.ConnectionProfile;
import dev.fusionledger.demo.run.DemoConfig;
import dev.fusionledger.demo.run.DemoResult;
import dev.fusionledger.demo.run.DemoResult.ContributorRow;
import dev.fusionledger.demo.run.DemoResult.ScenarioResult;
import dev.fusionledger.demo.run.DemoRunner;
import dev.fusionledger.demo.run.Report;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code make bench-accuracy}: the whole demo (both scenarios, on the real network) for partition
 * seeds 42, 43 and 44, then one table per seed and the mean over the seeds: fused Strategy I / II,
 * the verifiers-alone and pooled baselines, each contributor's own accuracy, and each free rider's
 * contribution and decision (docs/fusion.md). Writes {@code demo/target/bench-accuracy.json}:
 * accuracies as fractions; {@code means.<scenario>} holds {@code fusedI}, {@code fusedII},
 * {@code verifiersAlone}, {@code pooled}; {@code freeRiders} lists {@code kind}, {@code scenario},
 * {@code seed}, {@code contributionBps}, {@code ownAccuracyBps} and {@code decision}.
 *
 * <p>Arguments: optional seeds (default 42 43 44). The network must be up with the chaincode
 * deployed.
 */
public final class AccuracyBench {
    private AccuracyBench() {}

    /** One row of the per-seed table. */
    record Row(String scenario, long seed, double fusedI, double fusedII, double verifiersAlone, double pooled,
            Map<String, Double> ownAccuracy, double seconds) {}

    /** One free rider's outcome. */
    record FreeRiderRow(String id, String kind, String scenario, long seed, int contributionBps, int ownAccuracyBps,
            String decision) {}

    /** Entry point; exit code 0, or 1 if a run's checks failed. */
    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        List<Long> seeds = new ArrayList<>();
        for (String a : args) {
            seeds.add(Long.parseLong(a));
        }
        if (seeds.isEmpty()) {
            seeds = List.of(42L, 43L, 44L);
        }
        Path root = DemoConfig.repositoryRoot();
        Path outBase = root.resolve("demo/target/bench-accuracy");
        List<Row> rows = new ArrayList<>();
        List<FreeRiderRow> riders = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long t0 = System.nanoTime();
        for (long seed : seeds) {
            Path out = outBase.resolve("seed-" + seed);
            Files.createDirectories(out);
            DemoConfig cfg = DemoConfig.builder().seed(seed).outDir(out).profile(ConnectionProfile.defaultPath())
                    .fusionJar(root.resolve("fusion-engine/target/fusion-engine.jar")).build();
            DemoResult r;
            try (PrintStream log = new PrintStream(Files.newOutputStream(out.resolve("demo.log")), true, "UTF-8")) {
                System.out.printf(Locale.ROOT, "seed %d: running the demo (log %s)%n", seed, out.resolve("demo.log"));
                r = DemoRunner.run(cfg, log);
                Report.printTable(r, log);
            }
            Report.writeJson(r, out.resolve("demo-report.json"));
            Report.writeChart(r, out.resolve("fused-accuracy.png"));
            dev.fusionledger.demo.run.DemoChecks.failures(r).forEach(f -> failures.add("seed " + seed + ": " + f));
            for (ScenarioResult s : r.scenarios()) {
                Map<String, Double> own = new LinkedHashMap<>();
                for (ContributorRow c : s.contributors()) {
                    own.put(c.id(), c.ownAccuracy());
                    if (c.freeRider() != null) {
                        riders.add(new FreeRiderRow(c.id(), c.freeRider(), s.scenario(), seed, c.contributionBps(),
                                c.ownAccuracyBps(), c.accepted() ? "ACCEPTED" : c.reason()));
                    }
                }
                rows.add(new Row(s.scenario(), seed, s.fusedStrategyI(), s.fusedStrategyII(), r.verifiersAlone(),
                        r.pooled(), own, r.totalSeconds()));
            }
        }
        double minutes = (System.nanoTime() - t0) / 6e10;
        print(rows, riders, System.out);
        System.out.printf(Locale.ROOT, "%d demo runs in %.1f min; load average %.2f on %d cores%n", seeds.size(), minutes,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("seeds", seeds);
        json.put("rows", rows);
        json.put("means", means(rows));
        json.put("freeRiders", riders);
        json.put("checkFailures", failures);
        json.put("minutes", minutes);
        Path file = root.resolve("demo/target/bench-accuracy.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
        System.out.println("wrote " + file);
        failures.forEach(f -> System.out.println("CHECK FAILED: " + f));
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    /** Per scenario the means over the seeds of fusedI, fusedII, verifiersAlone and pooled. */
    static Map<String, Map<String, Double>> means(List<Row> rows) {
        Map<String, Map<String, Double>> m = new LinkedHashMap<>();
        for (String sc : rows.stream().map(Row::scenario).distinct().toList()) {
            List<Row> rs = rows.stream().filter(r -> r.scenario().equals(sc)).toList();
            Map<String, Double> v = new LinkedHashMap<>();
            v.put("fusedI", rs.stream().mapToDouble(Row::fusedI).average().orElse(Double.NaN));
            v.put("fusedII", rs.stream().mapToDouble(Row::fusedII).average().orElse(Double.NaN));
            v.put("verifiersAlone", rs.stream().mapToDouble(Row::verifiersAlone).average().orElse(Double.NaN));
            v.put("pooled", rs.stream().mapToDouble(Row::pooled).average().orElse(Double.NaN));
            m.put(sc, v);
        }
        return m;
    }

    static void print(List<Row> rows, List<FreeRiderRow> riders, PrintStream out) {
        out.println();
        out.println("scenario  seed   fused I  fused II  verifiers alone  pooled   own accuracy C1..C5");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "%-8s  %4d   %6.2f%%  %6.2f%%   %6.2f%%          %6.2f%%  %s%n", r.scenario(), r.seed(),
                    100 * r.fusedI(), 100 * r.fusedII(), 100 * r.verifiersAlone(), 100 * r.pooled(),
                    r.ownAccuracy().entrySet().stream().filter(e -> DemoRunner.HONEST.contains(e.getKey()))
                            .map(e -> String.format(Locale.ROOT, "%.1f", 100 * e.getValue())).toList());
        }
        means(rows).forEach((sc, v) -> out.printf(Locale.ROOT, "%-8s  mean   %6.2f%%  %6.2f%%   %6.2f%%          %6.2f%%"
                + "   (paper: 98.4%% / 98.6%%)%n", sc, 100 * v.get("fusedI"), 100 * v.get("fusedII"),
                100 * v.get("verifiersAlone"), 100 * v.get("pooled")));
        out.println();
        out.println("free rider  kind         scenario  seed  contribution  own accuracy  decision");
        for (FreeRiderRow f : riders) {
            out.printf(Locale.ROOT, "%-10s  %-11s  %-8s  %4d  %8d bps  %8d bps  %s%n", f.id(), f.kind(), f.scenario(),
                    f.seed(), f.contributionBps(), f.ownAccuracyBps(), f.decision());
        }
    }
}
