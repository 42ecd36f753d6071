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
    @Option(names = "--scale", defaultValue = "1.0", description = "fraction of the Table II split sizes, (0, 1] (default ${DEFAULT-VALUE})")
    double scale;
    @Option(names = "--local-epochs", defaultValue = "30", description = "most DJL epochs per contributor, 1..1000 (default ${DEFAULT-VALUE})")
    int localEpochs;
    @Option(names = "--patience", defaultValue = "3", description = "early-stopping patience, epochs (default ${DEFAULT-VALUE})")
    int patience;
    @Option(names = "--ledger-epochs", defaultValue = "2", description = "training epochs on the ledger (checkpoints each), 1..100 (default ${DEFAULT-VALUE})")
    int ledgerEpochs;
    @Option(names = "--fusion-epochs", defaultValue = "40", description = "fusion training epochs (default ${DEFAULT-VALUE})")
    int fusionEpochs;
    @Option(names = "--shapley-permutations", defaultValue = "100", description = "Monte-Carlo Shapley permutations (default ${DEFAULT-VALUE})")
    int shapleyPermutations;
    @Option(names = "--mafr-bps", defaultValue = "8500", description = "task MAFR, basis points (default ${DEFAULT-VALUE})")
    int mafrBps;
    @Option(names = "--min-contribution-bps", defaultValue = "900", description = "task minimum contribution, basis points (default ${DEFAULT-VALUE})")
    int minContributionBps;
    @Option(names = "--contribution", defaultValue = "shapley", description = "shapley, loo or marginal (default ${DEFAULT-VALUE})")
    String contribution;
    @Option(names = "--seed", defaultValue = "42", description = "seed (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--out", defaultValue = "demo/target/demo", description = "output directory (default ${DEFAULT-VALUE})")
    Path out;
    @Option(names = "--fusion-port", defaultValue = "50061", description = "fusion engine port (default ${DEFAULT-VALUE})")
    int fusionPort;
    @Option(names = "--fusion-jar", description = "fusion engine shaded jar (default <repo>/fusion-engine/target/fusion-engine.jar)")
    Path fusionJar;
    @Option(names = "--profile", description = "connection profile (default $FUSIONLEDGER_NETWORK_DIR or ~/.cache/fusionledger/network, connection-profile.json)")
    Path profile;

    @Override
    public Integer call() throws Exception {
        List<Scenario> sc = new ArrayList<>();
        for (String s : scenarios) {
            sc.add(switch (s.trim()) {
                case "I", "1" -> Scenario.OWN_ARCHITECTURES;
                case "II", "2" -> Scenario.ALL_C1;
                default -> throw new CommandLine.ParameterException(new CommandLine(this),
                        "--scenarios: must be I and/or II, got " + s);
            });
        }
        DemoConfig cfg;
        try {
            cfg = new DemoConfig(sc, scale, localEpochs, patience, ledgerEpochs, fusionEpochs, shapleyPermutations,
                    mafrBps, minContributionBps, contribution, seed, out.toAbsolutePath(), fusionPort,
                    profile != null ? profile : ConnectionProfile.defaultPath(),
                    fusionJar != null ? fusionJar : DemoConfig.repositoryRoot().resolve("fusion-engine/target/fusion-engine.jar"));
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
