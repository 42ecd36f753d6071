package dev.fusionledger.demo.run;

import dev.fusionledger.agent.verifier.Verification;
import dev.fusionledger.demo.model.Scenario;
import java.nio.file.Path;
import java.util.List;

/**
 * Settings of one demo run. Units: basis points (0..10000) for rates and accuracies, epochs for
 * training lengths. Build with {@link #builder()}: every field but the paths has the default that
 * {@code make demo} uses; {@link Builder#build()} checks the ranges.
 *
 * @param scenarios the paper's scenarios to run, in order (one ledger task each)
 * @param scale fraction of the Table II partition sizes, (0, 1]; 1 = the paper's sizes
 * @param localEpochs most DJL epochs a contributor (and each baseline) trains, 1..1000 (default 40)
 * @param patience early-stopping patience on the trainer's own test split, epochs, 1..1000 (default 8)
 * @param shiftPixels contributors' input augmentation: random shifts of up to this many pixels, 0..4
 *     (default 0 = none; docs/fusion.md)
 * @param ledgerEpochs training epochs on the ledger (checkpoints per contributor), 1..100 (default
 *     2); the checkpoint of ledger epoch r of R is the best model after ceil(localEpochs * r / R)
 *     local epochs
 * @param fusionEpochs epochs of the verifiers' feature fusion (Strategy I; Strategy II half per
 *     stage), 2..10000 (default 100; chosen on the verifiers' test split, docs/fusion.md)
 * @param fusionLearningRate Adam step of the feature fusion, (0, 10] (default 0.002)
 * @param contributionEpochs epochs of each output-score fusion of the contribution game, 2..10000
 *     (default 40)
 * @param shapleyPermutations Monte-Carlo permutations of the contribution game, 1..1000 (default 50)
 * @param duplicateAgreementBps share of verification images on which a model's predictions must
 *     agree with an earlier model's for it to count as that model's duplicate, 5001..10000
 *     (default 9700)
 * @param mafrBps minimum acceptable fitness rate of the task, 0..10000 (default 9000)
 * @param minContributionBps minimum contribution of the task, -10000..10000 (default 500)
 * @param minOwnAccuracyBps minimum own accuracy on declared labels of the task, 0..10000 (default 8000)
 * @param seed seeds the partition, the CNN initialisation and the fusions
 * @param outDir where the manifest, model store, report JSON, chart and logs are written
 * @param fusionPort TCP port of the fusion engine child, 1..65535
 * @param profile the network's connection profile (docs/network.md)
 * @param fusionJar the fusion engine's shaded jar
 */
public record DemoConfig(List<Scenario> scenarios, double scale, int localEpochs, int patience, int shiftPixels,
        int ledgerEpochs, int fusionEpochs, float fusionLearningRate, int contributionEpochs, int shapleyPermutations,
        int duplicateAgreementBps,
        int mafrBps, int minContributionBps, int minOwnAccuracyBps, long seed, Path outDir, int fusionPort,
        Path profile, Path fusionJar) {

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
        range("shiftPixels", shiftPixels, 0, dev.fusionledger.demo.model.TrainingConfig.MAX_SHIFT);
        range("ledgerEpochs", ledgerEpochs, 1, 100);
        range("fusionEpochs", fusionEpochs, 2, 10000);
        if (!(fusionLearningRate > 0 && fusionLearningRate <= 10)) {
            throw new IllegalArgumentException("fusionLearningRate: must be in (0, 10], got " + fusionLearningRate);
        }
        range("contributionEpochs", contributionEpochs, 2, 10000);
        range("shapleyPermutations", shapleyPermutations, 1, 1000);
        range("duplicateAgreementBps", duplicateAgreementBps, 5001, 10000);
        range("mafrBps", mafrBps, 0, 10000);
        range("minContributionBps", minContributionBps, -10000, 10000);
        range("minOwnAccuracyBps", minOwnAccuracyBps, 0, 10000);
        range("fusionPort", fusionPort, 1, 65535);
        if (outDir == null || profile == null || fusionJar == null) {
            throw new IllegalArgumentException("outDir, profile, fusionJar: required");
        }
    }

    private static void range(String field, long v, long lo, long hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(field + ": must be in " + lo + ".." + hi + ", got " + v);
        }
    }

    /** The verifiers' fusion settings of this run. */
    public Verification.Config verifierConfig() {
        return new Verification.Config(fusionEpochs, fusionLearningRate, contributionEpochs, shapleyPermutations,
                duplicateAgreementBps / 10000.0, seed);
    }

    /** @return a builder holding the defaults of {@code make demo} */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder with the defaults of {@code make demo}; see the record components. */
    public static final class Builder {
        private List<Scenario> scenarios = List.of(Scenario.OWN_ARCHITECTURES, Scenario.ALL_C1);
        private double scale = 1.0;
        private int localEpochs = 40;
        private int patience = 8;
        private int shiftPixels = 0;
        private int ledgerEpochs = 2;
        private int fusionEpochs = 100;
        private float fusionLearningRate = 0.002f;
        private int contributionEpochs = 40;
        private int shapleyPermutations = 50;
        private int duplicateAgreementBps = 9700;
        private int mafrBps = 9000;
        private int minContributionBps = 500;
        private int minOwnAccuracyBps = 8000;
        private long seed = 42;
        private Path outDir = Path.of("demo/target/demo");
        private int fusionPort = 50061;
        private Path profile;
        private Path fusionJar;

        private Builder() {}

        /** @param v scenarios @return this */
        public Builder scenarios(List<Scenario> v) { scenarios = v; return this; }
        /** @param v split scale @return this */
        public Builder scale(double v) { scale = v; return this; }
        /** @param v local epochs @return this */
        public Builder localEpochs(int v) { localEpochs = v; return this; }
        /** @param v patience @return this */
        public Builder patience(int v) { patience = v; return this; }
        /** @param v shift pixels @return this */
        public Builder shiftPixels(int v) { shiftPixels = v; return this; }
        /** @param v ledger epochs @return this */
        public Builder ledgerEpochs(int v) { ledgerEpochs = v; return this; }
        /** @param v fusion epochs @return this */
        public Builder fusionEpochs(int v) { fusionEpochs = v; return this; }
        /** @param v fusion learning rate @return this */
        public Builder fusionLearningRate(float v) { fusionLearningRate = v; return this; }
        /** @param v contribution fusion epochs @return this */
        public Builder contributionEpochs(int v) { contributionEpochs = v; return this; }
        /** @param v Shapley permutations @return this */
        public Builder shapleyPermutations(int v) { shapleyPermutations = v; return this; }
        /** @param v duplicate agreement, bps @return this */
        public Builder duplicateAgreementBps(int v) { duplicateAgreementBps = v; return this; }
        /** @param v MAFR, bps @return this */
        public Builder mafrBps(int v) { mafrBps = v; return this; }
        /** @param v minimum contribution, bps @return this */
        public Builder minContributionBps(int v) { minContributionBps = v; return this; }
        /** @param v minimum own accuracy, bps @return this */
        public Builder minOwnAccuracyBps(int v) { minOwnAccuracyBps = v; return this; }
        /** @param v seed @return this */
        public Builder seed(long v) { seed = v; return this; }
        /** @param v output directory @return this */
        public Builder outDir(Path v) { outDir = v; return this; }
        /** @param v fusion engine port @return this */
        public Builder fusionPort(int v) { fusionPort = v; return this; }
        /** @param v connection profile @return this */
        public Builder profile(Path v) { profile = v; return this; }
        /** @param v fusion engine jar @return this */
        public Builder fusionJar(Path v) { fusionJar = v; return this; }

        /**
         * @return the config
         * @throws IllegalArgumentException naming the first field outside its range
         */
        public DemoConfig build() {
            return new DemoConfig(scenarios, scale, localEpochs, patience, shiftPixels, ledgerEpochs, fusionEpochs,
                    fusionLearningRate, contributionEpochs, shapleyPermutations, duplicateAgreementBps, mafrBps, minContributionBps,
                    minOwnAccuracyBps, seed, outDir, fusionPort, profile, fusionJar);
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
