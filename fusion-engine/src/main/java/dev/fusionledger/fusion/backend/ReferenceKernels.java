package dev.fusionledger.fusion.backend;

/**
 * Plain-Java definitions of the training kernels of {@link ComputeBackend}: the reference a
 * device backend is tested against. GEMM accumulates in double; backends that accumulate in
 * float32 agree within a relative error of about {@code k * 2^-23} per element (tests use
 * {@code 1e-4} relative to the sum of absolute products).
 */
public final class ReferenceKernels {
    private ReferenceKernels() {
    }

    /**
     * Reference GEMM, see {@link ComputeBackend#gemm}.
     *
     * @param transA use A^T
     * @param transB use B^T
     * @param m      rows of C
     * @param n      columns of C
     * @param k      inner dimension
     * @param alpha  product scale
     * @param a      A
     * @param lda    leading dimension of A
     * @param b      B
     * @param ldb    leading dimension of B
     * @param beta   old-C scale
     * @param c      C
     * @param ldc    leading dimension of C
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int lda,
                            float[] b, int ldb, float beta, float[] c, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[p * lda + i] : a[i * lda + p];
                    float bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    s += (double) av * bv;
                }
                double old = beta == 0f ? 0.0 : (double) beta * c[i * ldc + j];
                c[i * ldc + j] = (float) (alpha * s + old);
            }
        }
    }

    /**
     * Reference mask application, see {@link ComputeBackend#applyMask}.
     *
     * @param w      weights
     * @param factor factor or null
     * @param out    result
     * @param count  elements
     */
    public static void applyMask(float[] w, float[] factor, float[] out, int count) {
        if (factor == null) {
            System.arraycopy(w, 0, out, 0, count);
            return;
        }
        for (int i = 0; i < count; i++) {
            out[i] = w[i] * factor[i];
        }
    }

    /**
     * Reference masked GEMM {@code C = X (W ⊙ factor)} in one loop nest, see
     * {@link ComputeBackend#maskedGemm}.
     *
     * @param m      rows of X
     * @param n      columns of W
     * @param k      inner dimension
     * @param x      X [m x k]
     * @param w      W [k x n]
     * @param factor factor [k x n] or null
     * @param c      C [m x n]
     */
    public static void maskedGemm(int m, int n, int k, float[] x, float[] w, float[] factor, float[] c) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    float wv = factor == null ? w[p * n + j] : w[p * n + j] * factor[p * n + j];
                    s += (double) x[i * k + p] * wv;
                }
                c[i * n + j] = (float) s;
            }
        }
    }

    /**
     * Reference softmax cross-entropy, see {@link ComputeBackend#softmaxCrossEntropy}. Uses the
     * max-shifted log-sum-exp in double.
     *
     * @param z       logits
     * @param labels  labels
     * @param offset  first label index
     * @param rows    rows
     * @param d       classes
     * @param scale   gradient scale
     * @param dz      gradient out or null
     * @param correct correct-count accumulator or null
     * @return summed loss in nats
     */
    public static double softmaxCrossEntropy(float[] z, int[] labels, int offset, int rows, int d, float scale,
                                             float[] dz, long[] correct) {
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            int base = r * d;
            int arg = 0;
            float max = z[base];
            for (int j = 1; j < d; j++) {
                if (z[base + j] > max) {
                    max = z[base + j];
                    arg = j;
                }
            }
            double sum = 0;
            for (int j = 0; j < d; j++) {
                sum += Math.exp((double) z[base + j] - max);
            }
            int y = labels[offset + r];
            loss += Math.log(sum) - ((double) z[base + y] - max);
            if (correct != null && arg == y) {
                correct[0]++;
            }
            if (dz != null) {
                for (int j = 0; j < d; j++) {
                    double p = Math.exp((double) z[base + j] - max) / sum;
                    dz[base + j] = (float) (scale * (p - (j == y ? 1.0 : 0.0)));
                }
            }
        }
        return loss;
    }

    /**
     * Reference Adam step, see {@link ComputeBackend#adamUpdate}.
     *
     * @param w     weights
     * @param g     gradient
     * @param m     first moment
     * @param v     second moment
     * @param count elements
     * @param lr    learning rate
     * @param b1    beta1
     * @param b2    beta2
     * @param eps   epsilon
     * @param t     1-based step
     */
    public static void adamUpdate(float[] w, float[] g, float[] m, float[] v, int count, float lr, float b1,
                                  float b2, float eps, long t) {
        double c1 = 1.0 - Math.pow(b1, t);
        double c2 = 1.0 - Math.pow(b2, t);
        for (int i = 0; i < count; i++) {
            float gi = g[i];
            m[i] = b1 * m[i] + (1 - b1) * gi;
            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            double mh = m[i] / c1;
            double vh = v[i] / c2;
            w[i] = (float) (w[i] - lr * mh / (Math.sqrt(vh) + eps));
        }
    }
}
