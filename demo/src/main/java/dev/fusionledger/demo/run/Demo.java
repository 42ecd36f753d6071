package dev.fusionledger.demo.run;

import dev.fusionledger.client.ConnectionProfile;
import dev.fusionledger.demo.model.Scenario;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code make demo}: the paper's MNIST experiment end to end on the real ledger (issue 6). The
 * network must be up with the chaincode deployed ({@code make network-up chaincode-deploy}).
 * Exit codes: 0 done (every check held), 1 a check failed (free rider accepted, honest contributor
 * rejected, credits not conserved, audit mismatch), 2 bad option, 3 an error.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs the paper's MNIST experiment (Mendis et al.) as market tasks on the FusionLedger network.",
        footer = "%nExample: demo --scenarios I,II --out target/demo   |   reduced: demo --scale 0.2 --local-epochs 6")
public final class Demo implements Callable<Integer> {
    @Option(names = "--scenarios", split = ",", defaultValue = "I,II", description = "I and/or II (default ${DEFAULT-VALUE})")
    List<String> scenarios;
    @Option(names = "--scale", description = "fraction of the Table II split sizes, (0, 1] (default 1)")
    Double scale;
    @Option(names = "--local-epochs", description = "most DJL epochs per contributor and baseline, 1..1000 (default 40)")
    Integer localEpochs;
    @Option(names = "--patience", description = "early-stopping patience, epochs, 1..1000 (default 8)")
    Integer patience;
    @Option(names = "--shift-pixels", description = "contributors' random input shifts, pixels, 0..4 (default 0 = none)")
    Integer shiftPixels;
    @Option(names = "--ledger-epochs", description = "training epochs on the ledger (checkpoints each), 1..100 (default 2)")
    Integer ledgerEpochs;
    @Option(names = "--fusion-epochs", description = "feature fusion epochs, 2..10000 (default 100)")
    Integer fusionEpochs;
    @Option(names = "--fusion-learning-rate", description = "feature fusion Adam step, (0, 10] (default 0.002)")
    Float fusionLearningRate;
    @Option(names = "--contribution-epochs", description = "epochs of each contribution fusion, 2..10000 (default 40)")
    Integer contributionEpochs;
    @Option(names = "--shapley-permutations", description = "Monte-Carlo permutations of the contribution game, 1..1000 (default 50)")
    Integer shapleyPermutations;
    @Option(names = "--duplicate-agreement-bps", description = "prediction agreement that makes a model a duplicate of an earlier one, 5001..10000 (default 9700)")
    Integer duplicateAgreementBps;
    @Option(names = "--mafr-bps", description = "task MAFR, basis points (default 9000)")
    Integer mafrBps;
    @Option(names = "--min-contribution-bps", description = "task minimum contribution, basis points (default 500)")
    Integer minContributionBps;
    @Option(names = "--min-own-accuracy-bps", description = "task minimum own accuracy on declared labels, basis points (default 8000)")
    Integer minOwnAccuracyBps;
    @Option(names = "--seed", description = "seed (default 42)")
    Long seed;
    @Option(names = "--out", defaultValue = "demo/target/demo", description = "output directory (default ${DEFAULT-VALUE})")
    Path out;
    @Option(names = "--fusion-port", description = "fusion engine port (default 50061)")
    Integer fusionPort;
    @Option(names = "--fusion-jar", description = "fusion engine shaded jar (default <repo>/fusion-engine/target/fusion-engine.jar)")
    Path fusionJar;
    @Option(names = "--profile", description = "connection profile (default $FUSIONLEDGER_NETWORK_DIR or ~/.cache/fusionledger/network, connection-profile.json)")
    Path profile;

    @Override
    public Integer call() throws Exception {
        DemoConfig cfg;
        try {
            cfg = config();
        } catch (IllegalArgumentException e) {
            System.err.println("demo: " + e.getMessage());
            return 2;
        }
        DemoResult r = DemoRunner.run(cfg, System.out);
        Report.printTable(r, System.out);
        Path json = cfg.outDir().resolve("demo-report.json");
        Path png = cfg.outDir().resolve("fused-accuracy.png");
        Report.writeJson(r, json);
        Report.writeChart(r, png);
        System.out.println("report " + json + ", chart " + png);
        List<String> failed = DemoChecks.failures(r);
        failed.forEach(f -> System.out.println("CHECK FAILED: " + f));
        return failed.isEmpty() ? 0 : 1;
    }

    /** The run's config from the options; unset options keep the {@link DemoConfig#builder()} defaults. */
    DemoConfig config() {
        List<Scenario> sc = new ArrayList<>();
        for (String s : scenarios) {
            sc.add(switch (s.trim()) {
                case "I", "1" -> Scenario.OWN_ARCHITECTURES;
                case "II", "2" -> Scenario.ALL_C1;
                default -> throw new IllegalArgumentException("--scenarios: must be I and/or II, got " + s);
            });
        }
        DemoConfig.Builder b = DemoConfig.builder().scenarios(sc).outDir(out.toAbsolutePath())
                .profile(profile != null ? profile : ConnectionProfile.defaultPath())
                .fusionJar(fusionJar != null ? fusionJar
                        : DemoConfig.repositoryRoot().resolve("fusion-engine/target/fusion-engine.jar"));
        set(scale, b::scale);
        set(localEpochs, b::localEpochs);
        set(patience, b::patience);
        set(shiftPixels, b::shiftPixels);
        set(ledgerEpochs, b::ledgerEpochs);
        set(fusionEpochs, b::fusionEpochs);
        set(fusionLearningRate, b::fusionLearningRate);
        set(contributionEpochs, b::contributionEpochs);
        set(shapleyPermutations, b::shapleyPermutations);
        set(duplicateAgreementBps, b::duplicateAgreementBps);
        set(mafrBps, b::mafrBps);
        set(minContributionBps, b::minContributionBps);
        set(minOwnAccuracyBps, b::minOwnAccuracyBps);
        set(seed, b::seed);
        set(fusionPort, b::fusionPort);
        return b.build();
    }

    private static <T> void set(T value, java.util.function.Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    /** Held so that the level set on it stays (java.util.logging keeps loggers weakly). */
    private static final java.util.logging.Logger GRPC_LOG = java.util.logging.Logger.getLogger("io.grpc");

    /** Entry point; see the class comment for exit codes. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        GRPC_LOG.setLevel(java.util.logging.Level.WARNING);
        int rc = new CommandLine(new Demo()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            System.err.println("demo: " + e);
            e.printStackTrace(System.err);
            return 3;
        }).execute(args);
        System.exit(rc);
    }
}
