package dev.fusionledger.fusion.tornado;

import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The fusion-training kernels written for TornadoVM's JIT: {@code @Parallel} loops over output
 * elements, each element computed by one work item with a sequential inner loop (no reductions
 * across work items, no local memory, no barriers, which PoCL's CPU device gets wrong in TornadoVM
 * 5.2). Matrices are row-major {@link FloatArray}s. The number of valid batch rows lives on the
 * device in {@code rows[0]} so one compiled graph serves a short last mini-batch; work items of
 * rows at or past it do nothing. Every kernel runs as plain Java too (the definitions the agreement
 * tests compare with {@code ReferenceKernels}); the math is that of docs/fusion.md.
 */
public final class TornadoKernels {
    /** Gradient entries of dZ below this magnitude are flushed to 0, as in {@code ReferenceKernels.FLUSH}. */
    public static final float FLUSH = 1e-30f;

    private TornadoKernels() {
    }

    /**
     * {@code C = alpha op(A) op(B) + beta C}, op given by {@code dims}; see {@code ComputeBackend.gemm}.
     *
     * @param a    A, row stride {@code dims[3]}
     * @param b    B, row stride {@code dims[4]}
     * @param c    C, row stride {@code dims[5]}
     * @param dims {@code k, transA (0/1), transB (0/1), lda, ldb, ldc}
     * @param ab   {@code alpha, beta} (beta 0: old C ignored)
     * @param m    rows of C
     * @param n    columns of C
     */
    public static void gemm(FloatArray a, FloatArray b, FloatArray c, IntArray dims, FloatArray ab, int m, int n) {
        for (@Parallel int i = 0; i < m; i++) {
            for (@Parallel int j = 0; j < n; j++) {
                int k = dims.get(0);
                int ta = dims.get(1);
                int tb = dims.get(2);
                int lda = dims.get(3);
                int ldb = dims.get(4);
                int ldc = dims.get(5);
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    float av = ta == 1 ? a.get(p * lda + i) : a.get(i * lda + p);
                    float bv = tb == 1 ? b.get(j * ldb + p) : b.get(p * ldb + j);
                    s += av * bv;
                }
                float beta = ab.get(1);
                float old = beta == 0f ? 0f : beta * c.get(i * ldc + j);
                c.set(i * ldc + j, ab.get(0) * s + old);
            }
        }
    }

    /**
     * {@code C[r x n] = X[r x k] W[k x n]} for batch rows {@code r < rows[0]}.
     *
     * @param x       X, row stride k
     * @param w       W, row stride n
     * @param c       C, row stride n
     * @param rows    {@code rows[0]}: valid rows
     * @param maxRows rows of the buffers
     * @param n       columns of W
     * @param k       columns of X
     */
    public static void gemmRowsNN(FloatArray x, FloatArray w, FloatArray c, IntArray rows, int maxRows, int n, int k) {
        for (@Parallel int i = 0; i < maxRows; i++) {
            for (@Parallel int j = 0; j < n; j++) {
                if (i < rows.get(0)) {
                    float s = 0f;
                    for (int p = 0; p < k; p++) {
                        s += x.get(i * k + p) * w.get(p * n + j);
                    }
                    c.set(i * n + j, s);
                }
            }
        }
    }

    /**
     * {@code C[r x n] = X[r x k] W[n x k]^T} for batch rows {@code r < rows[0]} ({@code dH = dZ B_eff^T}).
     *
     * @param x       X, row stride k
     * @param w       W {@code [n x k]}
     * @param c       C, row stride n
     * @param rows    {@code rows[0]}: valid rows
     * @param maxRows rows of the buffers
     * @param n       rows of W
     * @param k       columns of X and W
     */
    public static void gemmRowsNT(FloatArray x, FloatArray w, FloatArray c, IntArray rows, int maxRows, int n, int k) {
        for (@Parallel int i = 0; i < maxRows; i++) {
            for (@Parallel int j = 0; j < n; j++) {
                if (i < rows.get(0)) {
                    float s = 0f;
                    for (int p = 0; p < k; p++) {
                        s += x.get(i * k + p) * w.get(j * k + p);
                    }
                    c.set(i * n + j, s);
                }
            }
        }
    }

    /**
     * {@code C[p x q] = X^T Y} summed over the batch rows {@code r < rows[0]}, X {@code [rows x p]},
     * Y {@code [rows x q]} ({@code dA = FC^T dH}, {@code dB = H^T dZ}).
     *
     * @param x    X, row stride p
     * @param y    Y, row stride q
     * @param c    C {@code [p x q]}
     * @param rows {@code rows[0]}: valid rows
     * @param p    columns of X
     * @param q    columns of Y
     */
    public static void gemmRowsTN(FloatArray x, FloatArray y, FloatArray c, IntArray rows, int p, int q) {
        for (@Parallel int i = 0; i < p; i++) {
            for (@Parallel int j = 0; j < q; j++) {
                int n = rows.get(0);
                float s = 0f;
                for (int r = 0; r < n; r++) {
                    s += x.get(r * p + i) * y.get(r * q + j);
                }
                c.set(i * q + j, s);
            }
        }
    }

    /**
     * {@code out = w ⊙ factor} over {@code count} elements (Strategy II's masked weights, Eq. 3-6).
     *
     * @param w      weights
     * @param factor mask factor (all ones: no mask)
     * @param out    result
     * @param count  elements
     */
    public static void mask(FloatArray w, FloatArray factor, FloatArray out, int count) {
        for (@Parallel int i = 0; i < count; i++) {
            out.set(i, w.get(i) * factor.get(i));
        }
    }

    /**
     * {@code g = (g + l2 eff) ⊙ factor}: the L2 term on the effective weights, then the mask of
     * the raw weights' gradient (docs/fusion.md).
     *
     * @param g      gradient, updated
     * @param eff    effective weights
     * @param factor mask factor (all ones: no mask)
     * @param l2     L2 coefficient, {@code l2[0]}
     * @param count  elements
     */
    public static void l2Mask(FloatArray g, FloatArray eff, FloatArray factor, FloatArray l2, int count) {
        for (@Parallel int i = 0; i < count; i++) {
            float c = l2.get(0);
            float gi = c > 0f ? g.get(i) + c * eff.get(i) : g.get(i);
            g.set(i, gi * factor.get(i));
        }
    }

    /**
     * Softmax cross-entropy per row with its gradient, see {@code ComputeBackend.softmaxCrossEntropy}:
     * {@code dz = scale (softmax(z) - onehot(y))} (entries below {@link #FLUSH} written as 0),
     * {@code loss[r] = -log softmax(z)[y]} in nats, {@code correct[r]} 1 when the argmax (first
     * maximum) is the label. Rows at or past {@code rows[0]} get loss 0 and correct 0.
     *
     * @param z       logits {@code [maxRows x d]}
     * @param y       labels, {@code y[offset + r]}
     * @param rows    {@code rows[0]}: valid rows, {@code rows[1]}: label offset
     * @param scale   {@code scale[0]}: gradient scale; negative: {@code 1 / rows[0]}
     * @param dz      gradient out {@code [maxRows x d]}
     * @param loss    per-row loss out {@code [maxRows]}
     * @param correct per-row 0/1 out {@code [maxRows]}
     * @param maxRows rows of the buffers
     * @param d       classes
     */
    public static void softmaxCrossEntropy(FloatArray z, IntArray y, IntArray rows, FloatArray scale, FloatArray dz,
                                           FloatArray loss, IntArray correct, int maxRows, int d) {
        for (@Parallel int r = 0; r < maxRows; r++) {
            int n = rows.get(0);
            if (r < n) {
                float sc = scale.get(0) < 0f ? 1f / n : scale.get(0);
                int base = r * d;
                float max = z.get(base);
                int arg = 0;
                for (int j = 1; j < d; j++) {
                    float zj = z.get(base + j);
                    if (zj > max) {
                        max = zj;
                        arg = j;
                    }
                }
                float sum = 0f;
                for (int j = 0; j < d; j++) {
                    float e = TornadoMath.exp(z.get(base + j) - max);
                    sum += e;
                    dz.set(base + j, e);
                }
                int label = y.get(rows.get(1) + r);
                loss.set(r, TornadoMath.log(sum) - (z.get(base + label) - max));
                correct.set(r, arg == label ? 1 : 0);
                float inv = sc / sum;
                for (int j = 0; j < d; j++) {
                    float g = dz.get(base + j) * inv;
                    if (j == label) {
                        g = g - sc;
                    }
                    dz.set(base + j, TornadoMath.abs(g) < FLUSH ? 0f : g);
                }
            } else {
                loss.set(r, 0f);
                correct.set(r, 0);
            }
        }
    }

    /**
     * One Adam step with the bias corrections folded into the step size and epsilon, as
     * {@code ReferenceKernels.adamUpdate} (Kingma and Ba, Section 2).
     *
     * @param w     weights, updated
     * @param g     gradient
     * @param m     first moment, updated
     * @param v     second moment, updated
     * @param hp    {@code step = lr sqrt(1-b2^t)/(1-b1^t), epsHat = eps sqrt(1-b2^t), b1, 1-b1, b2, 1-b2}
     * @param count elements
     */
    public static void adam(FloatArray w, FloatArray g, FloatArray m, FloatArray v, FloatArray hp, int count) {
        for (@Parallel int i = 0; i < count; i++) {
            float gi = g.get(i);
            float mi = hp.get(2) * m.get(i) + hp.get(3) * gi;
            float vi = hp.get(4) * v.get(i) + hp.get(5) * gi * gi;
            m.set(i, mi);
            v.set(i, vi);
            w.set(i, w.get(i) - hp.get(0) * mi / (TornadoMath.sqrt(vi) + hp.get(1)));
        }
    }

    /**
     * Fills {@code hp} for {@link #adam} at 1-based step {@code t}, computed as the reference does.
     *
     * @param hp  6 floats out
     * @param lr  learning rate
     * @param b1  beta1
     * @param b2  beta2
     * @param eps epsilon
     * @param t   step, 1-based
     */
    public static void adamParameters(FloatArray hp, float lr, float b1, float b2, float eps, long t) {
        double c1 = 1.0 - Math.pow(b1, t);
        double c2 = 1.0 - Math.pow(b2, t);
        hp.set(0, (float) (lr * Math.sqrt(c2) / c1));
        hp.set(1, (float) (eps * Math.sqrt(c2)));
        hp.set(2, b1);
        hp.set(3, 1 - b1);
        hp.set(4, b2);
        hp.set(5, 1 - b2);
    }
}
