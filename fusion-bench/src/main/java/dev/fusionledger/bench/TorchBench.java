package dev.fusionledger.bench;

import ai.djl.engine.Engine;
import dev.fusionledger.agent.model.DjlRuntime;
import dev.fusionledger.fusion.FusionConfig;
import dev.fusionledger.fusion.FusionData;
import dev.fusionledger.fusion.FusionModel;
import dev.fusionledger.fusion.FusionTrainer;
import dev.fusionledger.fusion.Provenance;
import dev.fusionledger.fusion.Strategy;
import dev.fusionledger.fusion.SyntheticTask;
import dev.fusionledger.fusion.backend.CpuBlasBackend;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code make bench-fusion}'s PyTorch comparison: the same Strategy II run as {@code fusion-engine
 * bench} (same synthetic task, shapes, masks, Adam, mini-batches) trained by the fusion engine's
 * BLAS backend and by PyTorch through DJL, alternately in one JVM; prints the first run (JIT,
 * libtorch start) apart from the steady state (median of runs), samples/s of both, their ratio
 * (goal: BLAS at least 1.5 x PyTorch), both accuracies and the machine's load.
 */
@Command(name = "torch-bench", mixinStandardHelpOptions = true,
        description = "Fusion training: the fusion engine's BLAS backend vs PyTorch (DJL, CPU), same run and shapes.")
public final class TorchBench implements Callable<Integer> {
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
    @Option(names = "--repeat", defaultValue = "3", description = "measured runs each; median reported (default ${DEFAULT-VALUE})")
    int repeat;

    /**
     * @param args command line
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new TorchBench()).execute(args));
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    @Override
    public Integer call() {
        int cpus = Runtime.getRuntime().availableProcessors();
        // libtorch with as many threads as OpenBLAS uses (one per CPU) unless told otherwise
        System.setProperty("ai.djl.pytorch.num_threads",
                System.getProperty("ai.djl.pytorch.num_threads", Integer.toString(cpus)));
        System.setProperty("ai.djl.pytorch.num_interop_threads",
                System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
        SyntheticTask task = new SyntheticTask(models, features, classes, Math.max(1, classes / 2), 3f, 0.5f, seed);
        FusionData data = task.sample(rows, 1);
        FusionData warm = task.sample(Math.min(rows, 8 * batch), 2);
        FusionConfig cfg = FusionConfig.builder().strategy(Strategy.II).stage1Epochs(1).stage2Epochs(1)
                .batchSize(batch).learningRate(0.005f).seed(seed).build();
        double load0 = load();
        long e0 = System.nanoTime();
        Engine engine = DjlRuntime.engine();
        double engineStart = (System.nanoTime() - e0) / 1e9;
        System.out.printf("torch bench: Strategy II, N=%d, n=%d x |f_i|=%d, d=%d, batch %d, 1 epoch per stage; PyTorch %s "
                        + "through DJL (%s intra-op threads), BLAS %s (OPENBLAS_NUM_THREADS=%s), %d CPUs, load %.2f%n", rows,
                models, features, classes, batch, engine.getVersion(), System.getProperty("ai.djl.pytorch.num_threads"),
                new CpuBlasBackend().name(), System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "unset"), cpus, load0);
        TorchFusionTrainer torch = new TorchFusionTrainer(engine);
        long[] start = {0};
        long t0 = System.nanoTime();
        torch.train(warm, cfg, start);
        double torchFirst = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        new FusionTrainer(new CpuBlasBackend()).train(warm, cfg);
        double blasFirst = (System.nanoTime() - t0) / 1e9;
        double[] torchLoop = new double[Math.max(1, repeat)];
        double[] blasLoop = new double[torchLoop.length];
        double torchAcc = 0;
        double blasAcc = 0;
        for (int r = 0; r < torchLoop.length; r++) {
            long[] s = {0};
            float[][] ab = torch.train(data, cfg, s);
            torchLoop[r] = (System.nanoTime() - s[0]) / 1e9;
            FusionModel tm = new FusionModel(ab[0], ab[1], data.featureSizes(), data.labelCounts(), data.classes(),
                    new Provenance(cfg, data.sha256(), "torch"));
            torchAcc = tm.evaluate(data, new CpuBlasBackend()).accuracy();
            long[] firstBatch = {0};
            long[] lastEpoch = {0};
            dev.fusionledger.fusion.backend.TimingBackend timed =
                    new dev.fusionledger.fusion.backend.TimingBackend(new CpuBlasBackend());
            FusionModel bm = new FusionTrainer(timed).train(data, null, cfg, p -> lastEpoch[0] = System.nanoTime(),
                    () -> false);
            firstBatch[0] = timed.firstCallNanos();
            blasLoop[r] = (lastEpoch[0] - firstBatch[0]) / 1e9;
            blasAcc = bm.evaluate(data, new CpuBlasBackend()).accuracy();
            System.out.printf("run %d: PyTorch %.3f s (%.0f samples/s), BLAS %.3f s (%.0f samples/s)%n", r + 1,
                    torchLoop[r], 2.0 * rows / torchLoop[r], blasLoop[r], 2.0 * rows / blasLoop[r]);
        }
        double tMed = median(torchLoop);
        double bMed = median(blasLoop);
        System.out.printf("PyTorch (DJL, CPU): first run (8 batches; engine start %.2f s before it) %.3f s; samples/s "
                + "(training loop, 2 epochs of N) %.0f; training accuracy %.4f%n", engineStart, torchFirst, 2.0 * rows / tMed,
                torchAcc);
        System.out.printf("fusion engine BLAS: first run (8 batches) %.3f s; samples/s %.0f; training accuracy %.4f%n",
                blasFirst, 2.0 * rows / bMed, blasAcc);
        System.out.printf("BLAS / PyTorch samples/s: %.2f x (median of runs; goal >= 1.5 x); load %.2f-%.2f%n", tMed / bMed,
                load0, load());
        return 0;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
