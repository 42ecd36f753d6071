package dev.fusionledger.fusion.cli;

import dev.fusionledger.fusion.FusionEngine;
import dev.fusionledger.fusion.FusionTrainer;
import dev.fusionledger.fusion.backend.BackendUnavailableException;
import dev.fusionledger.fusion.backend.ComputeBackend;
import dev.fusionledger.fusion.backend.ComputeBackends;
import dev.fusionledger.fusion.server.ComputeDelegate;
import dev.fusionledger.fusion.server.FusionServer;
import dev.fusionledger.fusion.server.ModelStore;
import dev.fusionledger.fusion.server.ServerLimits;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** {@code fusion-engine}: serve the FusionService, or benchmark the training kernels. */
@Command(name = "fusion-engine", mixinStandardHelpOptions = true, version = "fusion-engine " + FusionEngine.VERSION,
        description = "FusionLedger fusion engine (Mendis et al., Section III-B early fusion).",
        subcommands = {FusionEngineCli.Serve.class, Bench.class})
public final class FusionEngineCli implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(FusionEngineCli.class);

    /**
     * @param args command line
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new FusionEngineCli()).execute(args));
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 2;
    }

    /** {@code fusion-engine serve}. */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Serve fusionledger.fusion.v1.FusionService, health and reflection over gRPC (plaintext).")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--port", defaultValue = "50051", description = "TCP port, 0 for any (default ${DEFAULT-VALUE})")
        int port;
        @Option(names = "--host", defaultValue = "127.0.0.1", description = "bind address (default ${DEFAULT-VALUE})")
        String host;
        @Option(names = "--model-dir", defaultValue = "fusion-models",
                description = "content-addressed model directory (default ${DEFAULT-VALUE})")
        Path modelDir;
        @Option(names = "--max-message-mib", defaultValue = "64", description = "largest inbound message, MiB (default ${DEFAULT-VALUE})")
        int maxMessageMib;
        @Option(names = "--max-values", defaultValue = "200000000",
                description = "largest data set per request, float values (default ${DEFAULT-VALUE})")
        long maxValues;
        @Option(names = "--max-permutations", defaultValue = "1000", description = "most Shapley permutations (default ${DEFAULT-VALUE})")
        int maxPermutations;
        @Option(names = "--max-trainings", defaultValue = "2", description = "concurrent trainings (default ${DEFAULT-VALUE})")
        int maxTrainings;
        @Option(names = "--grace-seconds", defaultValue = "10", description = "shutdown grace period, seconds (default ${DEFAULT-VALUE})")
        int grace;
        @Option(names = "--spark-master", description = "run Train and ScoreContributions requests at or above "
                + "--spark-threshold-values on this Spark cluster (spark://host:port; needs fusion-spark on the class "
                + "path, docs/spark.md)")
        String sparkMaster;
        @Option(names = "--spark-threshold-values", defaultValue = "10000000",
                description = "training values (rows x sum |f_i|) from which requests go to Spark (default ${DEFAULT-VALUE})")
        long sparkThreshold;
        @Option(names = "--backend", defaultValue = ComputeBackends.DEFAULT,
                description = "compute backend of the trainings: blas (native OpenBLAS or the JDK's), java (the plain-Java "
                        + "reference) or tornado (TornadoVM on an OpenCL/PTX device; needs fusion-engine-tornado and "
                        + "TORNADO_SDK, start through bin/fusion-engine) (default ${DEFAULT-VALUE})")
        String backend;

        private ComputeDelegate delegate() {
            if (sparkMaster == null) {
                return null;
            }
            if (!sparkMaster.startsWith("spark://") && !sparkMaster.startsWith("local")) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--spark-master: expected spark://host:port"
                        + " (or local[N]), got " + sparkMaster);
            }
            if (sparkThreshold < 0) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--spark-threshold-values: must be >= 0, got "
                        + sparkThreshold);
            }
            for (ComputeDelegate.Factory f : java.util.ServiceLoader.load(ComputeDelegate.Factory.class)) {
                ComputeDelegate d = f.create(sparkMaster, sparkThreshold);
                if (d != null) {
                    return d;
                }
            }
            throw new CommandLine.ParameterException(new CommandLine(this), "--spark-master: no Spark support on the "
                    + "class path; run the engine from fusion-spark-app.jar with Spark's jars (docs/spark.md)");
        }

        @Override
        public Integer call() throws Exception {
            ServerLimits limits = new ServerLimits(maxMessageMib << 20, maxValues, 64, maxPermutations, maxTrainings);
            ComputeDelegate delegate = delegate();
            ComputeBackend first = startBackend(backend);
            if (first == null) {
                return 2;
            }
            AtomicReference<ComputeBackend> checked = new AtomicReference<>(first);
            // one backend per training (backends are not thread-safe); the first is the one checked at start
            Supplier<FusionTrainer> trainers = () -> {
                ComputeBackend b = checked.getAndSet(null);
                return new FusionTrainer(b != null ? b : ComputeBackends.create(backend));
            };
            FusionServer server = new FusionServer(NettyServerBuilder.forAddress(new InetSocketAddress(host, port)),
                    new ModelStore(modelDir), limits, trainers, delegate).start();
            if (delegate != null) {
                LOG.info("requests of {} training values or more run on {}", sparkThreshold, delegate.name());
            }
            LOG.info("fusion-engine {} on {}:{}, models in {}, backend {}", FusionEngine.VERSION, host, server.port(),
                    modelDir.toAbsolutePath(), first.name());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.shutdown(grace, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "fusion-engine-shutdown"));
            server.awaitTermination();
            return 0;
        }
    }

    /**
     * Creates the named backend, or prints the backend's one-line reason to stderr.
     *
     * @param name backend name
     * @return the backend, or null after printing why it cannot run here
     */
    static ComputeBackend startBackend(String name) {
        try {
            return ComputeBackends.create(name);
        } catch (BackendUnavailableException e) {
            System.err.println("fusion-engine: --backend " + e.getMessage());
        } catch (IllegalArgumentException e) {
            System.err.println("fusion-engine: --" + e.getMessage());
        }
        return null;
    }
}
