package dev.fusionledger.fusion.tornado;

import dev.fusionledger.fusion.backend.ComputeBackend;
import dev.fusionledger.fusion.backend.TrainingSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.exceptions.TornadoExecutionPlanException;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link ComputeBackend} on TornadoVM (OpenCL or PTX device). Training goes through
 * {@link #openSession}: one compiled task graph per stage runs a whole mini-batch on the device,
 * where the weights, Adam moments and masks stay until the trainer reads them
 * ({@link TornadoSession}). The single kernels of the interface (used by evaluation, tests and
 * distributed training) run one cached execution plan per shape, copying their arguments in and
 * their results out on every call; at most {@link #MAX_PLANS} such plans are kept (least recently
 * used closed first). Kernels: {@link TornadoKernels}. Not thread-safe: one instance per training.
 */
public final class TornadoBackend implements ComputeBackend, AutoCloseable {
    /** Per-shape plans kept for the single-kernel calls. */
    public static final int MAX_PLANS = 32;
    private static final Logger LOG = LoggerFactory.getLogger(TornadoBackend.class);

    private final TornadoDevices.Entry device;
    private final Map<String, Call> plans = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Call> eldest) {
            if (size() > MAX_PLANS) {
                eldest.getValue().close();
                return true;
            }
            return false;
        }
    };

    /**
     * Uses the device {@link TornadoDevices#select()} picks.
     *
     * @throws dev.fusionledger.fusion.backend.BackendUnavailableException when the runtime or a device is missing
     */
    public TornadoBackend() {
        this(TornadoDevices.select());
    }

    /** @param device the device to run on */
    public TornadoBackend(TornadoDevices.Entry device) {
        this.device = device;
        LOG.debug("TornadoVM backend on {}", device.describe());
    }

    /** @return the device in use */
    public TornadoDevices.Entry device() {
        return device;
    }

    TornadoDevice tornadoDevice() {
        return device.device();
    }

    @Override
    public String name() {
        return "tornado(" + device.device().getTornadoVMBackend() + ": " + device.device().getPhysicalDevice()
                .getDeviceName() + ")";
    }

    @Override
    public TrainingSession openSession(TrainingSession.Spec spec, float[] a, float[] b, float[] factorA,
                                       float[] factorB) {
        return new TornadoSession(device.device(), spec, a, b, factorA, factorB);
    }

    /** One compiled single-kernel plan and its argument buffers. */
    private static final class Call implements AutoCloseable {
        final FloatArray[] f;
        final IntArray[] i;
        TornadoExecutionPlan plan;

        Call(FloatArray[] f, IntArray[] i) {
            this.f = f;
            this.i = i;
        }

        void run() {
            plan.execute();
        }

        @Override
        public void close() {
            try {
                plan.close();
            } catch (TornadoExecutionPlanException e) {
                LOG.warn("closing a TornadoVM plan: {}", e.getMessage());
            }
        }
    }

    private Call plan(String key, java.util.function.Supplier<Call> make) {
        Call c = plans.get(key);
        if (c == null) {
            c = make.get();
            c.plan.withDevice(device.device());
            plans.put(key, c);
        }
        return c;
    }

    private static int need(int rows, int cols, int ld) {
        return rows == 0 || cols == 0 ? 1 : (rows - 1) * ld + cols;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int lda, float[] b,
                     int ldb, float beta, float[] c, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        int na = transA ? need(k, m, lda) : need(m, k, lda);
        int nb = transB ? need(n, k, ldb) : need(k, n, ldb);
        int nc = need(m, n, ldc);
        String key = "gemm " + transA + transB + " " + m + "x" + n + "x" + k + " " + lda + "," + ldb + "," + ldc;
        Call call = plan(key, () -> {
            FloatArray fa = new FloatArray(na);
            FloatArray fb = new FloatArray(nb);
            FloatArray fc = new FloatArray(nc);
            FloatArray ab = new FloatArray(2);
            IntArray dims = IntArray.fromElements(k, transA ? 1 : 0, transB ? 1 : 0, lda, ldb, ldc);
            Call x = new Call(new FloatArray[] {fa, fb, fc, ab}, new IntArray[] {dims});
            TaskGraph g = new TaskGraph("gemm")
                    .transferToDevice(DataTransferMode.FIRST_EXECUTION, dims)
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, fa, fb, fc, ab)
                    .task("t", TornadoKernels::gemm, fa, fb, fc, dims, ab, m, n)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, fc);
            x.plan = new TornadoExecutionPlan(g.snapshot());
            return x;
        });
        DeviceArrays.put(a, 0, call.f[0], na);
        DeviceArrays.put(b, 0, call.f[1], nb);
        if (beta != 0f) {
            DeviceArrays.put(c, 0, call.f[2], nc);
        }
        call.f[3].set(0, alpha);
        call.f[3].set(1, beta);
        call.run();
        // only the m x n entries of C are written; the gaps of a wider ldc keep their host values
        for (int r = 0; r < m; r++) {
            java.lang.foreign.MemorySegment.copy(call.f[2].getSegment(), java.lang.foreign.ValueLayout.JAVA_FLOAT,
                    (long) r * ldc * Float.BYTES, c, r * ldc, n);
        }
    }

    @Override
    public void applyMask(float[] w, float[] factor, float[] out, int count) {
        if (factor == null) {
            System.arraycopy(w, 0, out, 0, count);
            return;
        }
        if (count == 0) {
            return;
        }
        Call call = plan("mask " + count, () -> {
            FloatArray fw = new FloatArray(count);
            FloatArray ff = new FloatArray(count);
            FloatArray fo = new FloatArray(count);
            Call x = new Call(new FloatArray[] {fw, ff, fo}, new IntArray[0]);
            TaskGraph g = new TaskGraph("mask")
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, fw, ff)
                    .task("t", TornadoKernels::mask, fw, ff, fo, count)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, fo);
            x.plan = new TornadoExecutionPlan(g.snapshot());
            return x;
        });
        DeviceArrays.put(w, 0, call.f[0], count);
        DeviceArrays.put(factor, 0, call.f[1], count);
        call.run();
        DeviceArrays.get(call.f[2], out, count);
    }

    @Override
    public double softmaxCrossEntropy(float[] z, int[] labels, int offset, int rows, int d, float scale, float[] dz,
                                      long[] correct) {
        if (rows == 0) {
            return 0;
        }
        Call call = plan("sce " + rows + "x" + d, () -> {
            FloatArray fz = new FloatArray(rows * d);
            IntArray y = new IntArray(rows);
            IntArray nr = IntArray.fromElements(rows, 0);
            FloatArray sc = new FloatArray(1);
            FloatArray fdz = new FloatArray(rows * d);
            FloatArray loss = new FloatArray(rows);
            IntArray ok = new IntArray(rows);
            Call x = new Call(new FloatArray[] {fz, sc, fdz, loss}, new IntArray[] {y, nr, ok});
            TaskGraph g = new TaskGraph("sce")
                    .transferToDevice(DataTransferMode.FIRST_EXECUTION, nr)
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, fz, y, sc)
                    .task("t", TornadoKernels::softmaxCrossEntropy, fz, y, nr, sc, fdz, loss, ok, rows, d)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, fdz, loss, ok);
            x.plan = new TornadoExecutionPlan(g.snapshot());
            return x;
        });
        DeviceArrays.put(z, 0, call.f[0], rows * d);
        DeviceArrays.put(labels, offset, call.i[0], rows);
        call.f[1].set(0, scale);
        call.run();
        if (dz != null) {
            DeviceArrays.get(call.f[2], dz, rows * d);
        }
        double sum = 0;
        long ok = 0;
        for (int r = 0; r < rows; r++) {
            sum += call.f[3].get(r);
            ok += call.i[2].get(r);
        }
        if (correct != null) {
            correct[0] += ok;
        }
        return sum;
    }

    @Override
    public void adamUpdate(float[] w, float[] g, float[] m, float[] v, int count, float lr, float b1, float b2,
                           float eps, long t) {
        if (count == 0) {
            return;
        }
        Call call = plan("adam " + count, () -> {
            FloatArray fw = new FloatArray(count);
            FloatArray fg = new FloatArray(count);
            FloatArray fm = new FloatArray(count);
            FloatArray fv = new FloatArray(count);
            FloatArray hp = new FloatArray(6);
            Call x = new Call(new FloatArray[] {fw, fg, fm, fv, hp}, new IntArray[0]);
            TaskGraph tg = new TaskGraph("adam")
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, fw, fg, fm, fv, hp)
                    .task("t", TornadoKernels::adam, fw, fg, fm, fv, hp, count)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, fw, fm, fv);
            x.plan = new TornadoExecutionPlan(tg.snapshot());
            return x;
        });
        DeviceArrays.put(w, 0, call.f[0], count);
        DeviceArrays.put(g, 0, call.f[1], count);
        DeviceArrays.put(m, 0, call.f[2], count);
        DeviceArrays.put(v, 0, call.f[3], count);
        TornadoKernels.adamParameters(call.f[4], lr, b1, b2, eps, t);
        call.run();
        DeviceArrays.get(call.f[0], w, count);
        DeviceArrays.get(call.f[2], m, count);
        DeviceArrays.get(call.f[3], v, count);
    }

    /** Closes the cached single-kernel plans (sessions close themselves). */
    @Override
    public void close() {
        plans.values().forEach(Call::close);
        plans.clear();
    }
}
