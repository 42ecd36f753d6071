package dev.fusionledger.fusion.backend;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wraps a backend and records, per GEMM shape, the number of calls, the floating-point
 * operations ({@code 2 m n k} per call) and the nanoseconds spent. For benchmarks; not
 * thread-safe.
 */
public final class TimingBackend implements ComputeBackend {
    /**
     * A GEMM shape.
     *
     * @param transA A transposed
     * @param transB B transposed
     * @param m      rows of C
     * @param n      columns of C
     * @param k      inner dimension
     */
    public record Shape(boolean transA, boolean transB, int m, int n, int k) {
        /** @return {@code 2 m n k} */
        public double flops() {
            return 2.0 * m * n * k;
        }
    }

    /** Mutable per-shape counters. */
    public static final class Counter {
        /** calls */
        public long calls;
        /** nanoseconds inside gemm */
        public long nanos;
    }

    private final ComputeBackend inner;
    private final Map<Shape, Counter> gemms = new LinkedHashMap<>();
    private long firstCall = -1;

    /** @param inner the backend doing the work */
    public TimingBackend(ComputeBackend inner) {
        this.inner = inner;
    }

    /** @return the recorded shapes and counters (live view) */
    public Map<Shape, Counter> gemms() {
        return gemms;
    }

    /** @return {@link System#nanoTime()} at the first GEMM call or session start, -1 before it */
    public long firstCallNanos() {
        return firstCall;
    }

    /** @return total GEMM flops recorded */
    public double totalFlops() {
        double f = 0;
        for (var e : gemms.entrySet()) {
            f += e.getKey().flops() * e.getValue().calls;
        }
        return f;
    }

    /** @return total nanoseconds inside GEMM */
    public long totalNanos() {
        long t = 0;
        for (Counter c : gemms.values()) {
            t += c.nanos;
        }
        return t;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int lda, float[] b,
                     int ldb, float beta, float[] c, int ldc) {
        long t0 = System.nanoTime();
        if (firstCall < 0) {
            firstCall = t0;
        }
        inner.gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        long dt = System.nanoTime() - t0;
        Counter ct = gemms.computeIfAbsent(new Shape(transA, transB, m, n, k), s -> new Counter());
        ct.calls++;
        ct.nanos += dt;
    }

    @Override
    public void applyMask(float[] w, float[] factor, float[] out, int count) {
        inner.applyMask(w, factor, out, count);
    }

    @Override
    public double softmaxCrossEntropy(float[] z, int[] labels, int offset, int rows, int d, float scale, float[] dz,
                                      long[] correct) {
        return inner.softmaxCrossEntropy(z, labels, offset, rows, d, scale, dz, correct);
    }

    /** Delegates: a backend's own session runs its GEMMs where this wrapper cannot time them. */
    @Override
    public TrainingSession openSession(TrainingSession.Spec spec, float[] a, float[] b, float[] factorA,
                                       float[] factorB) {
        if (firstCall < 0) {
            firstCall = System.nanoTime();
        }
        return inner.openSession(spec, a, b, factorA, factorB);
    }

    @Override
    public void adamUpdate(float[] w, float[] g, float[] m, float[] v, int count, float lr, float b1, float b2,
                           float eps, long t) {
        inner.adamUpdate(w, g, m, v, count, lr, b1, b2, eps, t);
    }
}
