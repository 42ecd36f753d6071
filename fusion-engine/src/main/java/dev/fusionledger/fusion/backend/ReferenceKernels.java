package dev.fusionledger.fusion.backend;

/**
 * Plain-Java definitions of the training kernels of {@link ComputeBackend}: the reference a
 * device backend is tested against. GEMM accumulates in double; backends that accumulate in
 * float32 agree within a relative error of about {@code k * 2^-23} per element (tests use
 * {@code 1e-4} relative to the sum of absolute products).
 */
public final class ReferenceKernels {
    /** Gradient entries of dZ below this magnitude are flushed to 0. */
    public static final float FLUSH = 1e-30f;
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
     * max-shifted log-sum-exp in double; gradient entries smaller than {@link #FLUSH} in
     * magnitude are written as 0 (their squares underflow in float32 Adam, and the subnormal
     * products they breed slow every later GEMM down).
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
                double e = Math.exp((double) z[base + j] - max);
                sum += e;
                if (dz != null) {
                    dz[base + j] = (float) e;
                }
            }
            int y = labels[offset + r];
            loss += Math.log(sum) - ((double) z[base + y] - max);
            if (correct != null && arg == y) {
                correct[0]++;
            }
            if (dz != null) {
                double inv = scale / sum;
                for (int j = 0; j < d; j++) {
                    float g = (float) (dz[base + j] * inv - (j == y ? scale : 0.0));
                    // flush negligible gradients to 0: below 1e-30 their squares underflow in Adam
                    // anyway, and the subnormals they breed in dZ B^T make later GEMMs up to 50x slower
                    dz[base + j] = Math.abs(g) < FLUSH ? 0f : g;
                }
            }
        }
        return loss;
    }

    /**
     * Reference Adam step, see {@link ComputeBackend#adamUpdate}, in float32 with the bias
     * corrections folded into the step size and epsilon (Kingma and Ba, Section 2).
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
        // Kingma and Ba, end of Section 2: alpha_t = alpha sqrt(1 - b2^t) / (1 - b1^t) and
        // eps_hat = eps sqrt(1 - b2^t) give the bias-corrected step in one multiply-divide
        float step = (float) (lr * Math.sqrt(c2) / c1);
        float epsHat = (float) (eps * Math.sqrt(c2));
        float a1 = 1 - b1;
        float a2 = 1 - b2;
        for (int i = 0; i < count; i++) {
            float gi = g[i];
            float mi = b1 * m[i] + a1 * gi;
            float vi = b2 * v[i] + a2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            w[i] -= step * mi / ((float) Math.sqrt(vi) + epsHat);
        }
    }
}
