package dev.fusionledger.spark;

import dev.fusionledger.fusion.FusionTrainer;
import dev.fusionledger.fusion.backend.ComputeBackend;
import dev.fusionledger.fusion.backend.CpuBlasBackend;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * The sum over the rows of one mini-batch of the cross-entropy gradients of A and B (not yet
 * divided by the batch size), the summed loss, the rows and the rows predicted correctly: the value
 * {@code treeAggregate} combines. Each block's part comes from
 * {@link FusionTrainer#lossAndGradients}, the kernel composition of the single-JVM trainer,
 * multiplied back by the block's row count.
 */
final class GradientSum implements Serializable {
    private static final long serialVersionUID = 1L;

    long rows;
    double loss;
    long correct;
    float[] da;
    float[] db;

    /** Per-partition scratch, never serialised. */
    private transient FusionTrainer.Workspace ws;
    private transient FusionTrainer trainer;
    private transient int[] picked;

    /**
     * Adds the sampled rows of a block.
     *
     * @param block    the rows
     * @param w        the weights and masks of this step
     * @param fraction probability of each row being in the batch; 1 = every row
     * @param stepSeed seed of this step (mixed with the block id)
     * @return this
     */
    GradientSum add(RowBlock block, StepWeights w, double fraction, long stepSeed) {
        if (ws == null) {
            ws = new FusionTrainer.Workspace(RowBlock.MAX_ROWS, w.f, w.l, w.d);
            ComputeBackend backend = new CpuBlasBackend();
            trainer = new FusionTrainer(backend);
            picked = new int[RowBlock.MAX_ROWS];
        }
        int n = 0;
        if (fraction >= 1.0) {
            System.arraycopy(block.x, 0, ws.x, 0, block.rows * w.f);
            System.arraycopy(block.y, 0, ws.y, 0, block.rows);
            n = block.rows;
        } else {
            SplittableRandom rng = new SplittableRandom(stepSeed ^ (block.id * 0x9E3779B97F4A7C15L));
            for (int r = 0; r < block.rows; r++) {
                if (rng.nextDouble() < fraction) {
                    picked[n++] = r;
                }
            }
            for (int i = 0; i < n; i++) {
                System.arraycopy(block.x, picked[i] * w.f, ws.x, i * w.f, w.f);
                ws.y[i] = block.y[picked[i]];
            }
        }
        if (n == 0) {
            return this;
        }
        long[] ok = {0};
        double blockLoss = trainer.lossAndGradients(ws, n, w.a, w.b, w.fa, w.fb, 0f, ok);
        if (da == null) {
            da = new float[w.a.length];
            db = new float[w.b.length];
        }
        // lossAndGradients scales dZ by 1/n: multiply back to a sum over rows
        for (int i = 0; i < da.length; i++) {
            da[i] += n * ws.da[i];
        }
        for (int i = 0; i < db.length; i++) {
            db[i] += n * ws.db[i];
        }
        rows += n;
        loss += blockLoss;
        correct += ok[0];
        return this;
    }

    /**
     * @param other another partial sum
     * @return this, holding both
     */
    GradientSum merge(GradientSum other) {
        if (other.da != null) {
            if (da == null) {
                da = other.da.clone();
                db = other.db.clone();
            } else {
                for (int i = 0; i < da.length; i++) {
                    da[i] += other.da[i];
                }
                for (int i = 0; i < db.length; i++) {
                    db[i] += other.db[i];
                }
            }
        }
        rows += other.rows;
        loss += other.loss;
        correct += other.correct;
        return this;
    }

    /** The weights of one optimisation step as the executors see them (broadcast). */
    static final class StepWeights implements Serializable {
        private static final long serialVersionUID = 1L;
        final float[] a;
        final float[] b;
        final float[] fa;
        final float[] fb;
        final int f;
        final int l;
        final int d;

        StepWeights(float[] a, float[] b, float[] fa, float[] fb, int f, int l, int d) {
            this.a = a;
            this.b = b;
            this.fa = fa;
            this.fb = fb;
            this.f = f;
            this.l = l;
            this.d = d;
        }
    }
}
