package dev.fusionledger.fusion.tornado;

import dev.fusionledger.fusion.backend.ReferenceKernels;
import org.junit.jupiter.api.Test;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * Each TornadoVM kernel on the device against the plain-Java reference of the same operation
 * ({@link ReferenceKernels}, which accumulates in double). Tolerances: GEMM per element
 * {@code |dev - ref| <= 1e-5 * sum_p |a_ip b_pj| + 1e-7} (float32 accumulation over k terms);
 * mask exact (one correctly rounded product); softmax cross-entropy loss within 1e-5 relative,
 * gradient within 1e-7 absolute, hit count exact; Adam weights within 1e-6 of the step size
 * (OpenCL's sqrt and contracted multiply-adds may differ from Java's in the last bits).
 */
class TornadoKernelsTest {

    private static float[] random(SplittableRandom rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return x;
    }

    @Test
    void gemmEveryTransposeWithStridesAlphaAndBeta() {
        TornadoBackend dev = TornadoOrSkip.backend();
        SplittableRandom rng = new SplittableRandom(7);
        int m = 37;
        int n = 23;
        int k = 129;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                int lda = (ta ? m : k) + 3;
                int ldb = (tb ? k : n) + 1;
                int ldc = n + 2;
                float[] a = random(rng, (ta ? k : m) * lda);
                float[] b = random(rng, (tb ? n : k) * ldb);
                float[] c0 = random(rng, m * ldc);
                float[] c1 = c0.clone();
                for (float beta : new float[] {0f, 0.25f}) {
                    dev.gemm(ta, tb, m, n, k, 0.5f, a, lda, b, ldb, beta, c0, ldc);
                    ReferenceKernels.gemm(ta, tb, m, n, k, 0.5f, a, lda, b, ldb, beta, c1, ldc);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < ldc; j++) {
                            double abs = 0;
                            for (int p = 0; p < k && j < n; p++) {
                                float av = ta ? a[p * lda + i] : a[i * lda + p];
                                float bv = tb ? b[j * ldb + p] : b[p * ldb + j];
                                abs += Math.abs((double) av * bv);
                            }
                            assertThat((double) c0[i * ldc + j]).as("ta=%s tb=%s beta=%s C[%d,%d]", ta, tb, beta, i, j)
                                    .isCloseTo(c1[i * ldc + j], offset(0.5e-5 * abs + 1e-7));
                        }
                    }
                }
            }
        }
    }

    @Test
    void maskAndMaskedGemm() {
        TornadoBackend dev = TornadoOrSkip.backend();
        SplittableRandom rng = new SplittableRandom(8);
        int m = 16;
        int n = 12;
        int k = 20;
        float[] x = random(rng, m * k);
        float[] w = random(rng, k * n);
        float[] factor = new float[k * n];
        for (int i = 0; i < factor.length; i++) {
            factor[i] = i % 3 == 0 ? 0f : (i % 3 == 1 ? 1f : 0.5f);
        }
        float[] out = new float[k * n];
        float[] ref = new float[k * n];
        dev.applyMask(w, factor, out, k * n);
        ReferenceKernels.applyMask(w, factor, ref, k * n);
        assertThat(out).containsExactly(ref);
        float[] scratch = new float[k * n];
        float[] c0 = new float[m * n];
        float[] c1 = new float[m * n];
        dev.maskedGemm(m, n, k, x, w, factor, scratch, c0);
        ReferenceKernels.maskedGemm(m, n, k, x, w, factor, c1);
        assertThat(scratch).containsExactly(ref);
        for (int i = 0; i < m * n; i++) {
            assertThat((double) c0[i]).as("C[%d]", i).isCloseTo(c1[i], offset(1e-5 * k));
        }
    }

    @Test
    void softmaxCrossEntropyLossGradientAndHits() {
        TornadoBackend dev = TornadoOrSkip.backend();
        SplittableRandom rng = new SplittableRandom(9);
        int rows = 300;
        int d = 10;
        float[] z = random(rng, rows * d);
        for (int i = 0; i < z.length; i++) {
            z[i] *= 8f;
        }
        int[] labels = new int[rows + 5];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rng.nextInt(d);
        }
        float[] dz0 = new float[rows * d];
        float[] dz1 = new float[rows * d];
        long[] ok0 = {0};
        long[] ok1 = {0};
        double l0 = dev.softmaxCrossEntropy(z, labels, 5, rows, d, 1f / rows, dz0, ok0);
        double l1 = ReferenceKernels.softmaxCrossEntropy(z, labels, 5, rows, d, 1f / rows, dz1, ok1);
        assertThat(l0).isCloseTo(l1, offset(1e-5 * l1));
        assertThat(ok0[0]).isEqualTo(ok1[0]).isPositive();
        for (int i = 0; i < dz0.length; i++) {
            assertThat((double) dz0[i]).as("dZ[%d]", i).isCloseTo(dz1[i], offset(1e-7));
        }
        // loss only: no gradient wanted
        double l2 = dev.softmaxCrossEntropy(z, labels, 5, rows, d, 0f, null, null);
        assertThat(l2).isCloseTo(l1, offset(1e-5 * l1));
    }

    @Test
    void adamStepsAgreeOverManySteps() {
        TornadoBackend dev = TornadoOrSkip.backend();
        SplittableRandom rng = new SplittableRandom(10);
        int count = 5000;
        float[] w0 = random(rng, count);
        float[] w1 = w0.clone();
        float[] m0 = new float[count];
        float[] m1 = new float[count];
        float[] v0 = new float[count];
        float[] v1 = new float[count];
        float lr = 0.01f;
        for (long t = 1; t <= 20; t++) {
            float[] g = random(rng, count);
            g[0] = 0f; // an untouched element stays exactly where it is on the first step
            dev.adamUpdate(w0, g, m0, v0, count, lr, 0.9f, 0.999f, 1e-7f, t);
            ReferenceKernels.adamUpdate(w1, g, m1, v1, count, lr, 0.9f, 0.999f, 1e-7f, t);
            if (t == 1) {
                assertThat(w0[0]).isEqualTo(w1[0]);
            }
        }
        for (int i = 0; i < count; i++) {
            assertThat((double) w0[i]).as("w[%d]", i).isCloseTo(w1[i], offset(20 * 1e-6 * lr));
            assertThat((double) m0[i]).as("m[%d]", i).isCloseTo(m1[i], offset(1e-6));
            assertThat((double) v0[i]).as("v[%d]", i).isCloseTo(v1[i], offset(1e-6));
        }
    }

    @Test
    void l2AndMaskOfTheGradientAsTheTrainerComputesIt() throws Exception {
        TornadoBackend dev = TornadoOrSkip.backend();
        SplittableRandom rng = new SplittableRandom(11);
        int count = 777;
        float l2 = 0.01f;
        float[] g = random(rng, count);
        float[] eff = random(rng, count);
        float[] factor = new float[count];
        for (int i = 0; i < count; i++) {
            factor[i] = i % 2 == 0 ? 0f : 1f;
        }
        // the trainer: g += l2 * eff, then g = g * factor (FusionTrainer.lossAndGradients)
        float[] want = g.clone();
        for (int i = 0; i < count; i++) {
            want[i] += l2 * eff[i];
        }
        ReferenceKernels.applyMask(want, factor, want, count);
        FloatArray fg = DeviceArrays.of(g);
        FloatArray fe = DeviceArrays.of(eff);
        FloatArray ff = DeviceArrays.of(factor);
        FloatArray fl = FloatArray.fromElements(l2);
        TaskGraph tg = new TaskGraph("l2")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, fg, fe, ff, fl)
                .task("t", TornadoKernels::l2Mask, fg, fe, ff, fl, count)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, fg);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(tg.snapshot())) {
            plan.withDevice(dev.tornadoDevice()).execute();
        }
        for (int i = 0; i < count; i++) {
            assertThat((double) fg.get(i)).as("g[%d]", i).isCloseTo(want[i], offset(1e-7));
        }
    }

    @Test
    void batchGemmsHonourTheValidRowCount() throws Exception {
        TornadoBackend dev = TornadoOrSkip.backend();
        SplittableRandom rng = new SplittableRandom(12);
        int maxRows = 64;
        int valid = 45;
        int p = 30;
        int q = 7;
        float[] x = random(rng, maxRows * p);
        float[] y = random(rng, maxRows * q);
        FloatArray fx = DeviceArrays.of(x);
        FloatArray fy = DeviceArrays.of(y);
        FloatArray fc = new FloatArray(p * q);
        IntArray rows = IntArray.fromElements(valid, 0);
        TaskGraph tg = new TaskGraph("tn")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, fx, fy, rows)
                .task("t", TornadoKernels::gemmRowsTN, fx, fy, fc, rows, p, q)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, fc);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(tg.snapshot())) {
            plan.withDevice(dev.tornadoDevice()).execute();
        }
        float[] want = new float[p * q];
        ReferenceKernels.gemm(true, false, p, q, valid, 1f, x, p, y, q, 0f, want, q);
        for (int i = 0; i < p * q; i++) {
            assertThat((double) fc.get(i)).as("C[%d]", i).isCloseTo(want[i], offset(1e-5 * valid));
        }
    }
}
