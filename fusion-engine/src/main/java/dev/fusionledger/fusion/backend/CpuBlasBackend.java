package dev.fusionledger.fusion.backend;

import dev.ludovic.netlib.blas.BLAS;

/**
 * CPU backend: matrix products through {@code dev.ludovic.netlib} BLAS {@code sgemm} (native
 * OpenBLAS via JNI when {@code libblas.so.3} is installed, e.g. Debian's {@code libopenblas0};
 * otherwise the JDK Vector API or plain Java implementation the library picks). The small
 * element-wise kernels run the Java loops of {@link ReferenceKernels}.
 */
public final class CpuBlasBackend implements ComputeBackend {
    private final BLAS blas;

    /** Uses {@link BLAS#getInstance()}: the best implementation available. */
    public CpuBlasBackend() {
        this(BLAS.getInstance());
    }

    /** @param blas the BLAS to use */
    public CpuBlasBackend(BLAS blas) {
        this.blas = blas;
    }

    /** @return the BLAS in use */
    public BLAS blas() {
        return blas;
    }

    @Override
    public String name() {
        return "cpu-blas(" + blas.getClass().getSimpleName() + ")";
    }

    /**
     * Row-major {@code C = op(A) op(B)} is column-major {@code C^T = op(B)^T op(A)^T}: the
     * operands are swapped and handed to the Fortran-order sgemm unchanged.
     */
    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int lda,
                     float[] b, int ldb, float beta, float[] c, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        blas.sgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha, b, ldb, a, lda, beta, c, ldc);
    }

    @Override
    public void applyMask(float[] w, float[] factor, float[] out, int count) {
        ReferenceKernels.applyMask(w, factor, out, count);
    }

    @Override
    public double softmaxCrossEntropy(float[] z, int[] labels, int offset, int rows, int d, float scale,
                                      float[] dz, long[] correct) {
        return ReferenceKernels.softmaxCrossEntropy(z, labels, offset, rows, d, scale, dz, correct);
    }

    @Override
    public void adamUpdate(float[] w, float[] g, float[] m, float[] v, int count, float lr, float b1, float b2,
                           float eps, long t) {
        ReferenceKernels.adamUpdate(w, g, m, v, count, lr, b1, b2, eps, t);
    }
}
