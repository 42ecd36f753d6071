package dev.fusionledger.fusion.backend;

/** A backend running {@link ReferenceKernels} as they are: slow, the definition for tests. */
public final class JavaReferenceBackend implements ComputeBackend {
    @Override
    public String name() {
        return "java-reference";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int lda,
                     float[] b, int ldb, float beta, float[] c, int ldc) {
        ReferenceKernels.gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    @Override
    public void applyMask(float[] w, float[] factor, float[] out, int count) {
        ReferenceKernels.applyMask(w, factor, out, count);
    }

    @Override
    public void maskedGemm(int m, int n, int k, float[] x, float[] w, float[] factor, float[] scratch, float[] c) {
        ReferenceKernels.applyMask(w, factor, scratch, k * n);
        ReferenceKernels.maskedGemm(m, n, k, x, w, factor, c);
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
