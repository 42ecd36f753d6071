package dev.fusionledger.fusion.cli;

import dev.fusionledger.fusion.FusionConfig;
import dev.fusionledger.fusion.FusionData;
import dev.fusionledger.fusion.FusionModel;
import dev.fusionledger.fusion.FusionTrainer;
import dev.fusionledger.fusion.Strategy;
import dev.fusionledger.fusion.SyntheticTask;
import dev.fusionledger.fusion.backend.ComputeBackend;
import dev.fusionledger.fusion.backend.CpuBlasBackend;
import dev.fusionledger.fusion.backend.TimingBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code fusion-engine bench}: Strategy II on a synthetic task on each backend asked for, in one
 * run and on the same mini-batch shapes: first-run time (JIT, device compile) apart from the
 * steady state (median of {@code --repeat} runs), samples/s of the training loop, the machine's
 * load; for BLAS also the GEMM rate against the same BLAS's {@code sgemm} on the same shapes and
 * call counts, measured in the same run (fusion-engine/README.md, "Benchmark").
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Train Strategy II (one epoch per stage) on synthetic data on each backend; print samples/s, "
                + "first-run time, the machine's load, and for BLAS the GFLOP/s of the training GEMMs against the same "
                + "BLAS's sgemm on the same shapes, measured in this run.")
final class Bench implements Callable<Integer> {
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
    @Option(names = "--repeat", defaultValue = "3", description = "measured runs; the median is reported (default ${DEFAULT-VALUE})")
    int repeat;
    @Option(names = "--backends", defaultValue = "blas,java", split = ",",
            description = "backends to measure, in order: blas, java, tornado (default ${DEFAULT-VALUE})")
    List<String> backends;
    @Option(names = "--java-rows", defaultValue = "4096",
            description = "N for the slow plain-Java reference (same batch shapes, fewer batches; default ${DEFAULT-VALUE})")
    int javaRows;
    @Option(names = "--tornado-rows", defaultValue = "0",
            description = "N for the TornadoVM backend, 0 = --rows (default ${DEFAULT-VALUE})")
    int tornadoRows;

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

    /** One backend's result line for the summary. */
    private record Result(String name, int rows, double firstSeconds, double samplesPerSecond, String load) {
    }

    static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    @Override
    public Integer call() {
        SyntheticTask task = new SyntheticTask(models, features, classes, Math.max(1, classes / 2), 3f, 0.5f, seed);
        FusionConfig cfg = FusionConfig.builder().strategy(Strategy.II).stage1Epochs(1).stage2Epochs(1)
                .batchSize(batch).learningRate(0.005f).seed(seed).build();
        System.out.printf("fusion bench: Strategy II, N=%d, n=%d x |f_i|=%d, d=%d, batch %d, 1 epoch per stage, "
                        + "backends %s (OPENBLAS_NUM_THREADS=%s, %d CPUs, load %.2f), %d runs (median reported)%n", rows,
                models, features, classes, batch, backends, System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "unset"),
                Runtime.getRuntime().availableProcessors(), load(), repeat);
        List<Result> results = new ArrayList<>();
        Map<Integer, FusionData> samples = new LinkedHashMap<>();
        for (String name : backends) {
            ComputeBackend backend = FusionEngineCli.startBackend(name);
            if (backend == null) {
                return 2;
            }
            int n = name.trim().equals("java") ? Math.min(rows, javaRows)
                    : name.trim().equals("tornado") && tornadoRows > 0 ? tornadoRows : rows;
            FusionData data = samples.computeIfAbsent(n, k -> task.sample(k, 1));
            results.add(measureBackend(name.trim(), backend, task, data, cfg));
        }
        System.out.println("summary (training loop, 2 epochs of N, same batch shapes):");
        double blas = results.stream().filter(r -> r.name().startsWith("cpu-blas")).mapToDouble(Result::samplesPerSecond)
                .findFirst().orElse(Double.NaN);
        for (Result r : results) {
            System.out.printf("  %-60s N=%-7d first run %6.2f s  steady %10.0f samples/s  %6.3f x BLAS  load %s%n",
                    r.name(), r.rows(), r.firstSeconds(), r.samplesPerSecond(), r.samplesPerSecond() / blas, r.load());
        }
        return 0;
    }

    private Result measureBackend(String label, ComputeBackend backend, SyntheticTask task, FusionData data,
                                  FusionConfig cfg) {
        double load0 = load();
        // first run: JIT of the kernels (and, on a device, their compilation) on a slice of 8 batches
        long f0 = System.nanoTime();
        new FusionTrainer(backend).train(task.sample(Math.min(data.rows(), 8 * batch), 2), cfg);
        double first = (System.nanoTime() - f0) / 1e9;
        boolean blas = backend instanceof CpuBlasBackend;
        List<Run> runs = new ArrayList<>();
        for (int r = 0; r < Math.max(1, repeat); r++) {
            Run run = measure(data, cfg, backend, blas);
            runs.add(run);
            System.out.printf("%s run %d: training loop %.3f s (%.0f samples/s)", backend.name(), r + 1,
                    run.loopSeconds(), 2.0 * data.rows() / run.loopSeconds());
            if (blas) {
                System.out.printf(", GEMMs %.2f GFLOP/s over the loop, %.2f GFLOP/s inside sgemm; reference sgemm "
                                + "%.2f GFLOP/s; ratio %.1f %%", run.loopRate(), run.flops() / run.gemmSeconds() / 1e9,
                        run.refRate(), 100 * run.loopRate() / run.refRate());
            }
            System.out.println();
        }
        runs.sort(Comparator.comparingDouble(Run::loopSeconds));
        Run med = runs.get(runs.size() / 2);
        String load = String.format("%.2f-%.2f", load0, load());
        System.out.printf("%s: first run (8 batches, JIT and device compile) %.3f s; samples/s (training loop, "
                        + "2 epochs of N=%d): %.0f; whole train() call incl. input concatenation and SHA-256: %.3f s "
                        + "(%.0f samples/s); final training accuracy %.4f; load %s%n", backend.name(), first, data.rows(),
                2.0 * data.rows() / med.loopSeconds(), med.totalSeconds(), 2.0 * data.rows() / med.totalSeconds(),
                med.accuracy(), load);
        if (blas) {
            System.out.print(med.detail());
            double refMedian = runs.stream().mapToDouble(Run::refRate).sorted().toArray()[runs.size() / 2];
            System.out.printf("training GEMMs: %.2f GFLOP per run, %.2f GFLOP/s over the training loop, "
                    + "%.2f GFLOP/s inside sgemm%n", med.flops() / 1e9, med.loopRate(), med.flops() / med.gemmSeconds() / 1e9);
            System.out.printf("reference sgemm, same BLAS, shapes and call counts: %.2f GFLOP/s (median)%n", refMedian);
            double ratio = runs.stream().mapToDouble(r -> r.loopRate() / r.refRate()).sorted().toArray()[runs.size() / 2];
            System.out.printf("training-loop GEMM rate / reference sgemm rate of the same run: %.1f %% (median of runs; "
                    + "goal >= 80 %%)%n", 100 * ratio);
        }
        return new Result(backend.name(), data.rows(), first, 2.0 * data.rows() / med.loopSeconds(), load);
    }

    private Run measure(FusionData data, FusionConfig cfg, ComputeBackend backend, boolean blas) {
        TimingBackend timed = new TimingBackend(backend);
        long[] lastEpoch = {0};
        long t0 = System.nanoTime();
        FusionModel model = new FusionTrainer(timed).train(data, null, cfg, p -> lastEpoch[0] = System.nanoTime(),
                () -> false);
        double total = (System.nanoTime() - t0) / 1e9;
        // the training loop: first kernel call (or session start) to the end of the last epoch (excludes
        // concatenating the inputs, hashing them for provenance, building the model)
        double secs = (lastEpoch[0] - timed.firstCallNanos()) / 1e9;
        double accuracy = model.evaluate(data, new CpuBlasBackend()).accuracy();
        if (!blas) {
            return new Run(secs, total, timed.totalFlops(), timed.totalNanos() / 1e9, Double.NaN, accuracy, "");
        }
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
                backend.gemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), 1f, a, lda, b, ldb, 0f, c, s.n());
            }
            long r0 = System.nanoTime();
            for (long i = 0; i < e.getValue().calls; i++) {
                backend.gemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), 1f, a, lda, b, ldb, 0f, c, s.n());
            }
            long dt = System.nanoTime() - r0;
            refNanos += dt;
            detail.append(String.format("  gemm %s%s m=%d n=%d k=%d: %d calls, %.2f GFLOP/s in training, "
                            + "%.2f GFLOP/s reference%n", s.transA() ? "T" : "N", s.transB() ? "T" : "N", s.m(), s.n(),
                    s.k(), e.getValue().calls, s.flops() * e.getValue().calls / e.getValue().nanos,
                    s.flops() * e.getValue().calls / dt));
        }
        return new Run(secs, total, timed.totalFlops(), timed.totalNanos() / 1e9, refNanos / 1e9, accuracy,
                detail.toString());
    }

    private static float[] random(SplittableRandom rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rng.nextDouble() - 0.5);
        }
        return x;
    }
}
