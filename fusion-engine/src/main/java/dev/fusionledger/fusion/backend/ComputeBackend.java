package dev.fusionledger.fusion.backend;

/**
 * The kernels fusion training needs, kept separate so that a device backend (TornadoVM) can
 * implement each one. All matrices are dense, row-major float32 arrays with a leading dimension
 * (the row stride, in elements). {@link ReferenceKernels} holds the plain-Java definition of every
 * operation; backends must agree with it within the tolerances stated there.
 */
public interface ComputeBackend {

    /** @return a human-readable name, e.g. "cpu-blas(JNIBLAS)" */
    String name();

    /**
     * General matrix product {@code C = alpha * op(A) * op(B) + beta * C}, row-major, where
     * {@code op(X)} is X or its transpose. {@code op(A)} is {@code [m x k]}, {@code op(B)} is
     * {@code [k x n]}, C is {@code [m x n]}.
     *
     * @param transA use A^T (A stored {@code [k x m]})
     * @param transB use B^T (B stored {@code [n x k]})
     * @param m      rows of C
     * @param n      columns of C
     * @param k      inner dimension
     * @param alpha  scale of the product
     * @param a      A, row stride lda
     * @param lda    leading dimension of A
     * @param b      B, row stride ldb
     * @param ldb    leading dimension of B
     * @param beta   scale of the old C (0: C is overwritten, its old values ignored)
     * @param c      C, row stride ldc
     * @param ldc    leading dimension of C
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int lda,
              float[] b, int ldb, float beta, float[] c, int ldc);

    /**
     * Masked weights {@code out = W ⊙ factor} over the first {@code count} elements (Eq. 3-6 of
     * the paper's Strategy II: factor = M + gamma (1 - M)). A null factor copies W.
     *
     * @param w      weights
     * @param factor mask factor, same length, or null
     * @param out    result (may be w itself)
     * @param count  elements
     */
    void applyMask(float[] w, float[] factor, float[] out, int count);

    /**
     * GEMM with a masked right operand: {@code C = X * (W ⊙ factor)}, X {@code [m x k]}, W
     * {@code [k x n]}. The default composes {@link #applyMask} and {@link #gemm}.
     *
     * @param m       rows of X and C
     * @param n       columns of W and C
     * @param k       columns of X, rows of W
     * @param x       X, row stride k
     * @param w       W, row stride n
     * @param factor  mask factor for W, or null
     * @param scratch at least k*n floats; must receive W ⊙ factor (callers reuse it)
     * @param c       C, row stride n, overwritten
     */
    default void maskedGemm(int m, int n, int k, float[] x, float[] w, float[] factor, float[] scratch, float[] c) {
        applyMask(w, factor, scratch, k * n);
        gemm(false, false, m, n, k, 1f, x, k, scratch, n, 0f, c, n);
    }

    /**
     * Softmax cross-entropy and its gradient for {@code rows} rows of logits Z {@code [rows x d]}:
     * {@code dZ = scale * (softmax(Z) - onehot(labels))}; also counts rows whose argmax equals the
     * label.
     *
     * @param z       logits, row stride d
     * @param labels  labels, labels[offset + r] for row r, in 0..d-1
     * @param offset  first label index
     * @param rows    rows
     * @param d       classes
     * @param scale   gradient scale (1/rows for a mean loss)
     * @param dz      output gradient, row stride d (may be null: loss only)
     * @param correct out[0] += number of rows predicted correctly (may be null)
     * @return sum over rows of -log softmax(Z)[label], in nats
     */
    double softmaxCrossEntropy(float[] z, int[] labels, int offset, int rows, int d, float scale, float[] dz,
                               long[] correct);

    /**
     * One Adam step (Kingma and Ba, Algorithm 1) with bias correction:
     * {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; w -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)},
     * computed as {@code w -= alpha_t m / (sqrt(v) + eps_hat)} with {@code alpha_t = lr sqrt(1-b2^t) / (1-b1^t)},
     * {@code eps_hat = eps sqrt(1-b2^t)} (the same value, Kingma and Ba, Section 2).
     * An element with g = 0 and m = v = 0 is left exactly unchanged.
     *
     * @param w     weights, updated in place
     * @param g     gradient
     * @param m     first moment, updated
     * @param v     second moment, updated
     * @param count elements
     * @param lr    learning rate
     * @param b1    beta1
     * @param b2    beta2
     * @param eps   epsilon
     * @param t     step number, 1-based
     */
    void adamUpdate(float[] w, float[] g, float[] m, float[] v, int count, float lr, float b1, float b2, float eps,
                    long t);

    /**
     * Opens a training stage that keeps its state in the backend (device memory) across
     * mini-batches, see {@link TrainingSession}. The default returns null: the trainer then runs
     * the stage itself through the kernels above, on host arrays (the CPU backends).
     *
     * @param spec   shapes and hyper-parameters
     * @param a      initial raw A {@code [f x l]} (read, not kept)
     * @param b      initial raw B {@code [l x d]}
     * @param factorA mask factor of A ({@link #applyMask}) or null for none
     * @param factorB mask factor of B or null
     * @return the session, or null when this backend has none
     */
    default TrainingSession openSession(TrainingSession.Spec spec, float[] a, float[] b, float[] factorA,
                                        float[] factorB) {
        return null;
    }
}
