package dev.fusionledger.fusion;

import dev.fusionledger.fusion.backend.ComputeBackend;
import dev.fusionledger.fusion.backend.JavaReferenceBackend;
import dev.fusionledger.fusion.backend.ReferenceKernels;
import dev.fusionledger.fusion.backend.TrainingSession;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trainer's {@link TrainingSession} path: a backend whose session keeps its own copy of the
 * weights (as a device would) must train exactly the weights the kernel-by-kernel path trains, for
 * Strategy I and II, with early stopping and a short last batch; and every session is closed.
 */
class SessionPathTest {

    /** The reference kernels behind a session that owns its weights until they are read. */
    static final class HostSessionBackend implements ComputeBackend {
        final JavaReferenceBackend k = new JavaReferenceBackend();
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger opened = new AtomicInteger();

        @Override
        public String name() {
            return "host-session";
        }

        @Override
        public void gemm(boolean ta, boolean tb, int m, int n, int kk, float alpha, float[] a, int lda, float[] b,
                         int ldb, float beta, float[] c, int ldc) {
            k.gemm(ta, tb, m, n, kk, alpha, a, lda, b, ldb, beta, c, ldc);
        }

        @Override
        public void applyMask(float[] w, float[] factor, float[] out, int count) {
            k.applyMask(w, factor, out, count);
        }

        @Override
        public void maskedGemm(int m, int n, int kk, float[] x, float[] w, float[] factor, float[] scratch, float[] c) {
            k.maskedGemm(m, n, kk, x, w, factor, scratch, c);
        }

        @Override
        public double softmaxCrossEntropy(float[] z, int[] labels, int offset, int rows, int d, float scale,
                                          float[] dz, long[] correct) {
            return k.softmaxCrossEntropy(z, labels, offset, rows, d, scale, dz, correct);
        }

        @Override
        public void adamUpdate(float[] w, float[] g, float[] m, float[] v, int count, float lr, float b1, float b2,
                               float eps, long t) {
            k.adamUpdate(w, g, m, v, count, lr, b1, b2, eps, t);
        }

        @Override
        public TrainingSession openSession(TrainingSession.Spec s, float[] a0, float[] b0, float[] fa, float[] fb) {
            open.incrementAndGet();
            opened.incrementAndGet();
            float[] a = a0.clone();
            float[] b = b0.clone();
            float[] ma = new float[a.length];
            float[] va = new float[a.length];
            float[] mb = new float[b.length];
            float[] vb = new float[b.length];
            FusionTrainer.Workspace ws = new FusionTrainer.Workspace(s.maxRows(), s.f(), s.l(), s.d());
            FusionTrainer inner = new FusionTrainer(k);
            long[] t = {0};
            return new TrainingSession() {
                @Override
                public double step(float[] x, int[] y, int rows, long[] correct) {
                    System.arraycopy(x, 0, ws.x, 0, rows * s.f());
                    System.arraycopy(y, 0, ws.y, 0, rows);
                    double loss = inner.lossAndGradients(ws, rows, a, b, fa, fb, s.l2(), correct);
                    t[0]++;
                    ReferenceKernels.adamUpdate(a, ws.da, ma, va, a.length, s.lr(), s.beta1(), s.beta2(), s.epsilon(),
                            t[0]);
                    ReferenceKernels.adamUpdate(b, ws.db, mb, vb, b.length, s.lr(), s.beta1(), s.beta2(), s.epsilon(),
                            t[0]);
                    // scribble on the caller's buffers: a session may use them as it likes
                    Arrays.fill(x, 0, rows * s.f(), Float.NaN);
                    return loss;
                }

                @Override
                public void readWeights(float[] ra, float[] rb) {
                    System.arraycopy(a, 0, ra, 0, a.length);
                    System.arraycopy(b, 0, rb, 0, b.length);
                }

                @Override
                public void close() {
                    open.decrementAndGet();
                }
            };
        }
    }

    @Test
    void sessionTrainsTheSameWeightsAsTheKernels() {
        SyntheticTask task = new SyntheticTask(3, 6, 4, 2, 3f, 0.5f, 7);
        FusionData train = task.sample(203, 1); // 203 = 3 batches of 64 + a short one of 11
        FusionData val = task.sample(64, 2);
        for (Strategy st : Strategy.values()) {
            FusionConfig cfg = FusionConfig.builder().strategy(st).epochs(4).stage1Epochs(3).stage2Epochs(3)
                    .batchSize(64).learningRate(0.01f).l2(0.001f).earlyStoppingPatience(2).seed(5).build();
            FusionModel direct = new FusionTrainer(new JavaReferenceBackend()).train(train, val, cfg, p -> { },
                    () -> false);
            HostSessionBackend sb = new HostSessionBackend();
            FusionModel viaSession = new FusionTrainer(sb).train(train, val, cfg, p -> { }, () -> false);
            assertThat(viaSession.a()).as("A, %s", st).containsExactly(direct.a());
            assertThat(viaSession.b()).as("B, %s", st).containsExactly(direct.b());
            assertThat(sb.opened.get()).isEqualTo(st == Strategy.I ? 1 : 2);
            assertThat(sb.open.get()).as("sessions left open").isZero();
        }
    }

    @Test
    void cancelledTrainingClosesItsSession() {
        SyntheticTask task = new SyntheticTask(2, 4, 3, 2, 3f, 0.5f, 3);
        FusionData train = task.sample(100, 1);
        HostSessionBackend sb = new HostSessionBackend();
        AtomicInteger polls = new AtomicInteger();
        FusionConfig cfg = FusionConfig.builder().strategy(Strategy.I).epochs(5).batchSize(10).seed(1).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new FusionTrainer(sb).train(train, null, cfg,
                p -> { }, () -> polls.incrementAndGet() > 3)).isInstanceOf(java.util.concurrent.CancellationException.class);
        assertThat(sb.opened.get()).isEqualTo(1);
        assertThat(sb.open.get()).isZero();
    }
}
