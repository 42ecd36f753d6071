package dev.fusionledger.demo.run;

import dev.fusionledger.demo.model.Scenario;
import java.nio.file.Path;
import java.util.List;

/**
 * Settings of one demo run (issue 6). Units: seconds for times, basis points (0..10000) for rates.
 *
 * @param scenarios the paper's scenarios to run, in order (one ledger task each)
 * @param scale fraction of the Table II partition sizes, (0, 1]; 1 = the paper's sizes
 * @param localEpochs most DJL epochs a contributor trains (early stopping on its test split), 1..1000
 * @param patience early-stopping patience, epochs, 1..1000
 * @param ledgerEpochs training epochs on the ledger (checkpoints per contributor), 1..100; round r of
 *     R trains up to ceil(localEpochs * r / R) local epochs from the same seed
 * @param fusionEpochs fusion training epochs (Strategy I; Strategy II splits them over its two stages)
 * @param shapleyPermutations Monte-Carlo Shapley permutations of ScoreContributions, 1..1000
 * @param mafrBps minimum acceptable fitness rate of the task, 0..10000
 * @param minContributionBps minimum contribution of the task, -10000..10000
 * @param contributionMeasure what the verifiers vote as a model's contribution: {@code shapley}
 *     (Monte-Carlo Shapley value), {@code loo} (leave-one-out gain) or {@code marginal} (gain when
 *     added in submission order), all of the Strategy II fusion on the verification split
 * @param seed seeds the partition, the CNN initialisation and the fusions
 * @param outDir where the manifest, model store, report JSON, chart and logs are written
 * @param fusionPort TCP port of the fusion engine child, 1..65535
 * @param profile the network's connection profile (docs/network.md)
 * @param fusionJar the fusion engine's shaded jar
 */
public record DemoConfig(List<Scenario> scenarios, double scale, int localEpochs, int patience, int ledgerEpochs,
        int fusionEpochs, int shapleyPermutations, int mafrBps, int minContributionBps, String contributionMeasure, long seed, Path outDir,
        int fusionPort, Path profile, Path fusionJar) {

    /** @throws IllegalArgumentException naming the first field outside its range */
    public DemoConfig {
        if (scenarios == null || scenarios.isEmpty()) {
            throw new IllegalArgumentException("scenarios: at least one of I, II");
        }
        scenarios = List.copyOf(scenarios);
        if (!(scale > 0 && scale <= 1)) {
            throw new IllegalArgumentException("scale: must be in (0, 1], got " + scale);
        }
        range("localEpochs", localEpochs, 1, 1000);
        range("patience", patience, 1, 1000);
        range("ledgerEpochs", ledgerEpochs, 1, 100);
        range("fusionEpochs", fusionEpochs, 2, 10000);
        range("shapleyPermutations", shapleyPermutations, 1, 1000);
        range("mafrBps", mafrBps, 0, 10000);
        range("minContributionBps", minContributionBps, -10000, 10000);
        range("fusionPort", fusionPort, 1, 65535);
        if (!java.util.Set.of("shapley", "loo", "marginal").contains(contributionMeasure)) {
            throw new IllegalArgumentException("contributionMeasure: must be one of shapley, loo, marginal, got "
                    + contributionMeasure);
        }
        if (outDir == null || profile == null || fusionJar == null) {
            throw new IllegalArgumentException("outDir, profile, fusionJar: required");
        }
    }

    private static void range(String field, long v, long lo, long hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(field + ": must be in " + lo + ".." + hi + ", got " + v);
        }
    }

    /** The repository root: the first directory at or above the working directory holding fusion-engine/. */
    public static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !p.resolve("fusion-engine").toFile().isDirectory()) {
            p = p.getParent();
        }
        return p == null ? Path.of("").toAbsolutePath() : p;
    }
}
