package dev.fusionledger.fusion.backend;

/**
 * One training stage held by a backend: the weights, the Adam moments and the mask factors stay
 * where the backend keeps them (device memory for a device backend) across mini-batches and
 * epochs, and are copied back only by {@link #readWeights}. Opened with
 * {@link ComputeBackend#openSession}; a backend without one (the CPU backends) lets the trainer
 * compose the kernels of {@link ComputeBackend} itself. The math of {@link #step} is that of the
 * trainer (docs/fusion.md; {@code FusionTrainer.lossAndGradients} followed by two
 * {@link ComputeBackend#adamUpdate}s). Not thread-safe.
 */
public interface TrainingSession extends AutoCloseable {

    /**
     * Shapes and hyper-parameters of a session.
     *
     * @param maxRows rows of the largest mini-batch, at least 1
     * @param f       {@code |fc| = sum |f_i|}, columns of a batch row
     * @param l       {@code |h| = sum |l_i|}
     * @param d       classes
     * @param lr      Adam step size
     * @param beta1   Adam beta1
     * @param beta2   Adam beta2
     * @param epsilon Adam epsilon
     * @param l2      L2 coefficient on the effective weights (0: none)
     */
    record Spec(int maxRows, int f, int l, int d, float lr, float beta1, float beta2, float epsilon, float l2) {
        /**
         * @throws IllegalArgumentException when a dimension is below 1 or {@code maxRows * f},
         *                                  {@code f * l} exceed the int range of a Java array
         */
        public Spec {
            if (maxRows < 1 || f < 1 || l < 1 || d < 1) {
                throw new IllegalArgumentException("session shapes must be >= 1: maxRows=" + maxRows + " f=" + f
                        + " l=" + l + " d=" + d);
            }
            if ((long) maxRows * Math.max(f, l) > Integer.MAX_VALUE || (long) f * l > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("session buffers over 2^31 floats: maxRows=" + maxRows + " f=" + f
                        + " l=" + l);
            }
        }
    }

    /**
     * One mini-batch: forward pass, softmax cross-entropy, backward pass, L2, masks and the Adam
     * update of A and B (Adam's step counter is this session's, starting at 1).
     *
     * @param x       batch rows {@code [rows x f]}, row-major (only the first {@code rows * f} values are read)
     * @param y       batch labels, {@code y[0..rows-1]} in 0..d-1
     * @param rows    rows of this batch, 1..maxRows
     * @param correct {@code correct[0] +=} rows whose argmax equals the label
     * @return the summed (not mean) cross-entropy of the rows, nats
     */
    double step(float[] x, int[] y, int rows, long[] correct);

    /**
     * Copies the current raw weights back to the host.
     *
     * @param a receives A {@code [f x l]}
     * @param b receives B {@code [l x d]}
     */
    void readWeights(float[] a, float[] b);

    /** Releases the backend's buffers; the weights must have been read first. */
    @Override
    void close();
}
