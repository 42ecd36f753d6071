package dev.fusionledger.fusion.tornado;

import dev.fusionledger.fusion.backend.TrainingSession;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.TornadoExecutionResult;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.exceptions.TornadoExecutionPlanException;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * A training stage on a TornadoVM device: one task graph runs a whole mini-batch (masked forward
 * GEMMs, softmax cross-entropy, backward GEMMs, L2 and masks, Adam on A and B). A, B, the mask
 * factors, the Adam moments and all intermediate matrices are copied to the device once and stay
 * there across mini-batches and epochs; per step only the batch rows and labels go in (4 bytes per
 * value) and the per-row losses and hits come out ({@code 8 * maxRows} bytes). A and B come back
 * on {@link #readWeights} only. A stage without a mask uses factors of ones (multiplying by 1 is
 * exact).
 */
final class TornadoSession implements TrainingSession {
    private final Spec spec;
    private final FloatArray a;
    private final FloatArray b;
    private final FloatArray x;
    private final IntArray y;
    private final IntArray rows;
    private final FloatArray hp;
    private final FloatArray loss;
    private final IntArray correct;
    private final TornadoExecutionPlan plan;
    private TornadoExecutionResult last;
    private long t;
    private boolean closed;

    TornadoSession(TornadoDevice device, Spec spec, float[] a0, float[] b0, float[] factorA, float[] factorB) {
        this.spec = spec;
        int n = spec.maxRows();
        int f = spec.f();
        int l = spec.l();
        int d = spec.d();
        a = DeviceArrays.of(a0);
        b = DeviceArrays.of(b0);
        FloatArray fa = factorA == null ? DeviceArrays.ones(f * l) : DeviceArrays.of(factorA);
        FloatArray fb = factorB == null ? DeviceArrays.ones(l * d) : DeviceArrays.of(factorB);
        FloatArray ma = zeros(f * l);
        FloatArray va = zeros(f * l);
        FloatArray mb = zeros(l * d);
        FloatArray vb = zeros(l * d);
        FloatArray aEff = zeros(f * l);
        FloatArray bEff = zeros(l * d);
        FloatArray h = zeros(n * l);
        FloatArray z = zeros(n * d);
        FloatArray dz = zeros(n * d);
        FloatArray dh = zeros(n * l);
        FloatArray da = zeros(f * l);
        FloatArray db = zeros(l * d);
        FloatArray scale = FloatArray.fromElements(-1f); // 1 / rows
        FloatArray l2 = FloatArray.fromElements(spec.l2());
        x = zeros(n * f);
        y = new IntArray(n);
        rows = IntArray.fromElements(n, 0);
        hp = zeros(6);
        loss = zeros(n);
        correct = new IntArray(n);
        TaskGraph g = new TaskGraph("fusionStep")
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, a, b, fa, fb, ma, va, mb, vb, aEff, bEff, h, z,
                        dz, dh, da, db, scale, l2)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, x, y, rows, hp)
                .task("maskA", TornadoKernels::mask, a, fa, aEff, f * l)
                .task("maskB", TornadoKernels::mask, b, fb, bEff, l * d)
                .task("hidden", TornadoKernels::gemmRowsNN, x, aEff, h, rows, n, l, f)
                .task("logits", TornadoKernels::gemmRowsNN, h, bEff, z, rows, n, d, l)
                .task("softmax", TornadoKernels::softmaxCrossEntropy, z, y, rows, scale, dz, loss, correct, n, d)
                .task("gradB", TornadoKernels::gemmRowsTN, h, dz, db, rows, l, d)
                .task("gradH", TornadoKernels::gemmRowsNT, dz, bEff, dh, rows, n, l, d)
                .task("gradA", TornadoKernels::gemmRowsTN, x, dh, da, rows, f, l)
                .task("l2MaskA", TornadoKernels::l2Mask, da, aEff, fa, l2, f * l)
                .task("l2MaskB", TornadoKernels::l2Mask, db, bEff, fb, l2, l * d)
                .task("adamA", TornadoKernels::adam, a, da, ma, va, hp, f * l)
                .task("adamB", TornadoKernels::adam, b, db, mb, vb, hp, l * d)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, loss, correct)
                .transferToHost(DataTransferMode.UNDER_DEMAND, a, b);
        plan = new TornadoExecutionPlan(g.snapshot());
        plan.withDevice(device);
    }

    private static FloatArray zeros(int count) {
        FloatArray z = new FloatArray(Math.max(1, count));
        z.clear();
        return z;
    }

    @Override
    public double step(float[] xs, int[] ys, int n, long[] hits) {
        if (n < 1 || n > spec.maxRows()) {
            throw new IllegalArgumentException("rows: 1.." + spec.maxRows() + ", got " + n);
        }
        DeviceArrays.put(xs, 0, x, n * spec.f());
        DeviceArrays.put(ys, 0, y, n);
        rows.set(0, n);
        t++;
        TornadoKernels.adamParameters(hp, spec.lr(), spec.beta1(), spec.beta2(), spec.epsilon(), t);
        last = plan.execute();
        double sum = 0;
        long ok = 0;
        for (int r = 0; r < n; r++) {
            sum += loss.get(r);
            ok += correct.get(r);
        }
        hits[0] += ok;
        return sum;
    }

    @Override
    public void readWeights(float[] a0, float[] b0) {
        if (last != null) {
            last.transferToHost(a, b);
        }
        DeviceArrays.get(a, a0, spec.f() * spec.l());
        DeviceArrays.get(b, b0, spec.l() * spec.d());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            plan.close();
        } catch (TornadoExecutionPlanException e) {
            throw new IllegalStateException("closing the TornadoVM training plan: " + e.getMessage(), e);
        }
    }
}
