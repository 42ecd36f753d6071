package dev.fusionledger.fusion.cli;

import dev.fusionledger.fusion.FusionConfig;
import dev.fusionledger.fusion.FusionData;
import dev.fusionledger.fusion.FusionEngine;
import dev.fusionledger.fusion.FusionModel;
import dev.fusionledger.fusion.FusionTrainer;
import dev.fusionledger.fusion.Strategy;
import dev.fusionledger.fusion.SyntheticTask;
import dev.fusionledger.fusion.backend.BackendUnavailableException;
import dev.fusionledger.fusion.backend.ComputeBackend;
import dev.fusionledger.fusion.backend.ComputeBackends;
import dev.fusionledger.fusion.backend.CpuBlasBackend;
import dev.fusionledger.fusion.backend.TimingBackend;
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
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** {@code fusion-engine}: serve the FusionService, or benchmark the training kernels. */
@Command(name = "fusion-engine", mixinStandardHelpOptions = true, version = "fusion-engine " + FusionEngine.VERSION,
        description = "FusionLedger fusion engine (Mendis et al., Section III-B early fusion).",
        subcommands = {FusionEngineCli.Serve.class, FusionEngineCli.Bench.class})
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
            java.util.concurrent.atomic.AtomicReference<ComputeBackend> unused = new java.util.concurrent.atomic.AtomicReference<>(first);
            // one backend per training (backends are not thread-safe); the first is the one checked at start
            Supplier<FusionTrainer> trainers = () -> {
                ComputeBackend b = unused.getAndSet(null);
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
     * Creates the named backend, or ends the command with the backend's one-line reason.
     *
     * @param name backend name
     * @return the backend
     * @throws CommandLine.ParameterException when the name is unknown or the backend cannot run here
     */
    static ComputeBackend startBackend(String name) {
        try {
            return ComputeBackends.create(name);
        } catch (BackendUnavailableException | IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(new FusionEngineCli()), "--backend " + name + ": "
                    + e.getMessage());
        }
    }

    /** {@code fusion-engine bench}: Strategy II on a synthetic task, GEMM rate vs plain sgemm. */
    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Train Strategy II (one epoch per stage) on synthetic data; print samples/s, the GFLOP/s of "
                    + "the training GEMMs and the same BLAS's sgemm GFLOP/s on the same shapes, measured in this run.")
    static final class Bench implements Callable<Integer> {
        @Option(names = "--rows", defaultValue = "100000", description = "N (default ${DEFAULT-VALUE})")
        int rows;
        @Option(names = "--models", defaultValue = "10", description = "n (default ${DEFAULT-VALUE})")
        int models;
        @Option(names = "--features", defaultValue = "64", description = "|f_i| (default ${DEFAULT-VALUE})")
        int features;
        @Option(names = "--classes", defaultValue = "10", description = "d (default ${DEFAULT-VALUE})")
        int classes;
        @Option(names = "--batch", defaultValue = "1024", description = "batch size (default ${DEFAULT-VALUE})")
        int batch;
        @Option(names = "--seed", defaultValue = "1", description = "seed (default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--repeat", defaultValue = "3",
                description = "measured runs; the median is reported (default ${DEFAULT-VALUE})")
        int repeat;

        /** Figures of one measured run. */
        private record Run(double loopSeconds, double totalSeconds, double flops, double gemmSeconds,
                           double refSeconds, double accuracy, String detail) {
            double loopRate() {
                return flops / loopSeconds / 1e9;
            }

            double refRate() {
                return flops / refSeconds / 1e9;
            }
        }

        @Override
        public Integer call() {
            SyntheticTask task = new SyntheticTask(models, features, classes, Math.max(1, classes / 2), 3f, 0.5f, seed);
            FusionData data = task.sample(rows, 1);
            FusionConfig cfg = FusionConfig.builder().strategy(Strategy.II).stage1Epochs(1).stage2Epochs(1)
                    .batchSize(batch).learningRate(0.005f).seed(seed).build();
            CpuBlasBackend blas = new CpuBlasBackend();
            System.out.printf("fusion bench: Strategy II, N=%d, n=%d x |f_i|=%d, d=%d, batch %d, 1 epoch per stage, "
                    + "%s (OPENBLAS_NUM_THREADS=%s, %d CPUs), %d runs (median reported)%n", rows, models, features,
                    classes, batch, blas.name(), System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "unset"),
                    Runtime.getRuntime().availableProcessors(), repeat);
            // warm-up (JIT, BLAS threads) on a slice
            new FusionTrainer(blas).train(task.sample(Math.min(rows, 8 * batch), 2), cfg);
            java.util.List<Run> runs = new java.util.ArrayList<>();
            for (int r = 0; r < Math.max(1, repeat); r++) {
                Run run = measure(data, cfg, blas);
                runs.add(run);
                System.out.printf("run %d: training loop %.3f s (%.0f samples/s), GEMMs %.2f GFLOP/s over the loop, "
                                + "%.2f GFLOP/s inside sgemm; reference sgemm %.2f GFLOP/s; ratio %.1f %%%n", r + 1,
                        run.loopSeconds(), 2.0 * rows / run.loopSeconds(), run.loopRate(),
                        run.flops() / run.gemmSeconds() / 1e9, run.refRate(), 100 * run.loopRate() / run.refRate());
            }
            runs.sort(java.util.Comparator.comparingDouble(Run::loopSeconds));
            Run med = runs.get(runs.size() / 2);
            double refMedian = runs.stream().mapToDouble(Run::refRate).sorted().toArray()[runs.size() / 2];
            System.out.print(med.detail());
            System.out.printf("samples/s (training loop, 2 epochs of N): %.0f; whole train() call incl. input "
                    + "concatenation and SHA-256: %.3f s (%.0f samples/s); final training accuracy %.4f%n",
                    2.0 * rows / med.loopSeconds(), med.totalSeconds(), 2.0 * rows / med.totalSeconds(), med.accuracy());
            System.out.printf("training GEMMs: %.2f GFLOP per run, %.2f GFLOP/s over the training loop, "
                    + "%.2f GFLOP/s inside sgemm%n", med.flops() / 1e9, med.loopRate(),
                    med.flops() / med.gemmSeconds() / 1e9);
            System.out.printf("reference sgemm, same BLAS, shapes and call counts: %.2f GFLOP/s (median)%n", refMedian);
            double ratio = runs.stream().mapToDouble(r -> r.loopRate() / r.refRate()).sorted()
                    .toArray()[runs.size() / 2];
            System.out.printf("training-loop GEMM rate / reference sgemm rate of the same run: %.1f %% (median of runs; "
                    + "goal >= 50 %%)%n", 100 * ratio);
            return 0;
        }

        private Run measure(FusionData data, FusionConfig cfg, CpuBlasBackend blas) {
            TimingBackend timed = new TimingBackend(blas);
            long[] lastEpoch = {0};
            long t0 = System.nanoTime();
            FusionModel model = new FusionTrainer(timed).train(data, null, cfg, p -> lastEpoch[0] = System.nanoTime(),
                    () -> false);
            double total = (System.nanoTime() - t0) / 1e9;
            // the training loop: first mini-batch GEMM to the end of the last epoch (excludes
            // concatenating the inputs, hashing them for provenance, building the model)
            double secs = (lastEpoch[0] - timed.firstCallNanos()) / 1e9;
            StringBuilder detail = new StringBuilder();
            // the same BLAS sgemm, same shapes and call counts, nothing else
            double refNanos = 0;
            SplittableRandom rng = new SplittableRandom(seed);
            for (Map.Entry<TimingBackend.Shape, TimingBackend.Counter> e : timed.gemms().entrySet()) {
                TimingBackend.Shape s = e.getKey();
                float[] a = random(rng, s.m() * s.k());
                float[] b = random(rng, s.k() * s.n());
                float[] c = new float[s.m() * s.n()];
                int lda = s.transA() ? s.m() : s.k();
                int ldb = s.transB() ? s.k() : s.n();
                for (int w = 0; w < 3; w++) {
                    blas.gemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), 1f, a, lda, b, ldb, 0f, c, s.n());
                }
                long r0 = System.nanoTime();
                for (long i = 0; i < e.getValue().calls; i++) {
                    blas.gemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), 1f, a, lda, b, ldb, 0f, c, s.n());
                }
                long dt = System.nanoTime() - r0;
                refNanos += dt;
                detail.append(String.format("  gemm %s%s m=%d n=%d k=%d: %d calls, %.2f GFLOP/s in training, "
                                + "%.2f GFLOP/s reference%n", s.transA() ? "T" : "N", s.transB() ? "T" : "N", s.m(), s.n(),
                        s.k(), e.getValue().calls, s.flops() * e.getValue().calls / e.getValue().nanos,
                        s.flops() * e.getValue().calls / dt));
            }
            return new Run(secs, total, timed.totalFlops(), timed.totalNanos() / 1e9, refNanos / 1e9,
                    model.evaluate(data, blas).accuracy(), detail.toString());
        }

        private static float[] random(SplittableRandom rng, int n) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) (rng.nextDouble() - 0.5);
            }
            return x;
        }
    }
}
