package dev.fusionledger.fusion.tornado;

import dev.fusionledger.fusion.FusionConfig;
import dev.fusionledger.fusion.FusionData;
import dev.fusionledger.fusion.FusionModel;
import dev.fusionledger.fusion.FusionTrainer;
import dev.fusionledger.fusion.Strategy;
import dev.fusionledger.fusion.SyntheticTask;
import dev.fusionledger.fusion.backend.BackendUnavailableException;
import dev.fusionledger.fusion.backend.CpuBlasBackend;
import dev.fusionledger.fusion.backend.TimingBackend;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * {@code make device-check-tornado}: the benchmark's Strategy II run (N rows, 10 models x 64, d = 10,
 * batch 1024, one epoch per stage) on every device the TornadoVM SDK lists, one line each: device,
 * first run (JIT and device compile, 8 batches), steady samples/s, the ratio to the BLAS backend
 * measured in the same run, and whether its accuracy matches BLAS's within 0.5 points. Exit status
 * 1 when a device fails or disagrees, 2 when the runtime lists none.
 * Arguments: {@code [rows]} (default 20000).
 */
public final class TornadoDeviceCheck {
    private TornadoDeviceCheck() {
    }

    /**
     * @param args {@code [rows]}
     */
    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 20000;
        if (System.getProperty(TornadoBackendProvider.BAILOUT) == null) {
            System.setProperty(TornadoBackendProvider.BAILOUT, "False");
        }
        List<TornadoDevices.Entry> devices;
        try {
            devices = TornadoDevices.all();
        } catch (BackendUnavailableException e) {
            System.out.println("device-check: " + e.getMessage());
            System.exit(2);
            return;
        }
        // a harder task than the bench's, so that the accuracy comparison can tell a wrong kernel
        SyntheticTask task = new SyntheticTask(10, 64, 10, 5, 1f, 1f, 1);
        FusionData data = task.sample(rows, 1);
        FusionData warm = task.sample(Math.min(rows, 8 * 1024), 2);
        FusionConfig cfg = FusionConfig.builder().strategy(Strategy.II).stage1Epochs(1).stage2Epochs(1).batchSize(1024)
                .learningRate(0.005f).seed(1).build();
        new FusionTrainer(new CpuBlasBackend()).train(warm, cfg);
        double[] blas = run(new CpuBlasBackend(), data, cfg);
        System.out.printf("device-check: N=%d, Strategy II, 10 x 64, d=10, batch 1024; BLAS %s %.0f samples/s, "
                + "accuracy %.4f; load %.2f; %d device(s)%n", rows, new CpuBlasBackend().name(), blas[0], blas[1],
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), devices.size());
        int bad = 0;
        for (TornadoDevices.Entry dev : devices) {
            try {
                TornadoBackend backend = new TornadoBackend(dev);
                long f0 = System.nanoTime();
                new FusionTrainer(backend).train(warm, cfg);
                double first = (System.nanoTime() - f0) / 1e9;
                double[] r = run(backend, data, cfg);
                boolean agrees = Math.abs(r[1] - blas[1]) <= 0.005;
                bad += agrees ? 0 : 1;
                System.out.printf("device %s: first run %.2f s, %.0f samples/s (%.3f x BLAS), accuracy %.4f %s%n",
                        dev.describe(), first, r[0], r[0] / blas[0], r[1], agrees ? "(agrees with BLAS)"
                                : "(DISAGREES with BLAS " + String.format("%.4f", blas[1]) + ")");
                backend.close();
            } catch (RuntimeException | LinkageError e) {
                bad++;
                System.out.printf("device %s: FAILED: %s%n", dev.describe(), e.toString().lines().findFirst().orElse(""));
            }
        }
        System.exit(bad == 0 ? 0 : 1);
    }

    /** @return {samples/s of the training loop, training accuracy} */
    private static double[] run(dev.fusionledger.fusion.backend.ComputeBackend backend, FusionData data,
                                FusionConfig cfg) {
        TimingBackend timed = new TimingBackend(backend);
        long[] last = {0};
        FusionModel m = new FusionTrainer(timed).train(data, null, cfg, p -> last[0] = System.nanoTime(), () -> false);
        double secs = (last[0] - timed.firstCallNanos()) / 1e9;
        return new double[] {2.0 * data.rows() / secs, m.evaluate(data, new CpuBlasBackend()).accuracy()};
    }
}
