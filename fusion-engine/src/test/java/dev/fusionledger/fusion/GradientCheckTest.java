package dev.fusionledger.fusion;

import dev.fusionledger.fusion.backend.CpuBlasBackend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finite-difference checks of the analytic gradients of {@link FusionTrainer#lossAndGradients}.
 * The analytic gradient is computed by the engine in float32; the numeric one by central
 * differences (h = 1e-4) of a float64 re-implementation of the loss
 * {@code mean CE(softmax(FC (A ⊙ fA) (B ⊙ fB))) + l2/2 (||A ⊙ fA||^2 + ||B ⊙ fB||^2)} with respect
 * to the raw A and B. Tolerance: |analytic - numeric| / max(|analytic| + |numeric|, 1e-4) < 1e-3.
 */
class GradientCheckTest {
    private static final int D = 3;
    private static final int[] FS = {4, 3};
    private static final float L2 = 0.01f;

    @Test
    void strategyOne() {
        check(Strategy.I, 1f);
    }

    @Test
    void strategyTwoStageOneGammaZero() {
        check(Strategy.II, 0f);
    }

    @Test
    void strategyTwoStageTwoGammaOne() {
        check(Strategy.II, 1f);
    }

    private void check(Strategy strategy, float gamma) {
        SplittableRandom rng = new SplittableRandom(42);
        int rows = 6;
        List<float[]> feats = new ArrayList<>();
        for (int f : FS) {
            float[] m = new float[rows * f];
            for (int i = 0; i < m.length; i++) {
                m[i] = (float) (rng.nextDouble() * 2 - 1);
            }
            feats.add(m);
        }
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = rng.nextInt(D);
        }
        FusionData data = FusionData.of(feats, FS, labels, D);
        FusionConfig cfg = FusionConfig.builder().strategy(strategy).seed(3).build();
        float[][] w = FusionTrainer.initialWeights(data, cfg);
        float[] a = w[0];
        float[] b = w[1];
        // perturb so that off-block entries (zero at init under Strategy II) are non-zero too
        for (int i = 0; i < a.length; i++) {
            a[i] += (float) (0.3 * (rng.nextDouble() - 0.5));
        }
        for (int i = 0; i < b.length; i++) {
            b[i] += (float) (0.3 * (rng.nextDouble() - 0.5));
        }
        int f = data.totalFeatures();
        int l = data.totalHidden();
        float[] fa = strategy == Strategy.II ? FusionTrainer.maskFactorA(FS, data.labelCounts(), gamma) : null;
        float[] fb = strategy == Strategy.II ? FusionTrainer.maskFactorB(data.labelCounts(), D, gamma) : null;
        FusionTrainer trainer = new FusionTrainer(new CpuBlasBackend());
        FusionTrainer.Workspace ws = new FusionTrainer.Workspace(rows, f, l, D);
        System.arraycopy(data.concatenated(), 0, ws.x, 0, rows * f);
        System.arraycopy(labels, 0, ws.y, 0, rows);
        trainer.lossAndGradients(ws, rows, a, b, fa, fb, L2, null);

        double[] x = toDouble(data.concatenated());
        double[] ad = toDouble(a);
        double[] bd = toDouble(b);
        double h = 1e-4;
        int masked = 0;
        for (int i = 0; i < ad.length; i++) {
            double keep = ad[i];
            ad[i] = keep + h;
            double up = loss(x, labels, rows, f, l, ad, bd, fa, fb);
            ad[i] = keep - h;
            double down = loss(x, labels, rows, f, l, ad, bd, fa, fb);
            ad[i] = keep;
            assertClose("dA[" + i + "]", ws.da[i], (up - down) / (2 * h));
            if (fa != null && fa[i] == 0f) {
                assertThat(ws.da[i]).as("masked dA[%d]", i).isEqualTo(0f);
                masked++;
            }
        }
        for (int i = 0; i < bd.length; i++) {
            double keep = bd[i];
            bd[i] = keep + h;
            double up = loss(x, labels, rows, f, l, ad, bd, fa, fb);
            bd[i] = keep - h;
            double down = loss(x, labels, rows, f, l, ad, bd, fa, fb);
            bd[i] = keep;
            assertClose("dB[" + i + "]", ws.db[i], (up - down) / (2 * h));
        }
        if (strategy == Strategy.II && gamma == 0f) {
            assertThat(masked).isPositive();
        }
    }

    private static void assertClose(String what, float analytic, double numeric) {
        double denom = Math.max(Math.abs(analytic) + Math.abs(numeric), 1e-4);
        assertThat(Math.abs(analytic - numeric) / denom).as("%s analytic %s numeric %s", what, analytic, numeric)
                .isLessThan(1e-3);
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static double loss(double[] x, int[] y, int rows, int f, int l, double[] a, double[] b, float[] fa,
                               float[] fb) {
        double[] ae = new double[a.length];
        double[] be = new double[b.length];
        double reg = 0;
        for (int i = 0; i < a.length; i++) {
            ae[i] = a[i] * (fa == null ? 1 : fa[i]);
            reg += ae[i] * ae[i];
        }
        for (int i = 0; i < b.length; i++) {
            be[i] = b[i] * (fb == null ? 1 : fb[i]);
            reg += be[i] * be[i];
        }
        double total = 0;
        for (int r = 0; r < rows; r++) {
            double[] hid = new double[l];
            for (int j = 0; j < l; j++) {
                for (int p = 0; p < f; p++) {
                    hid[j] += x[r * f + p] * ae[p * l + j];
                }
            }
            double[] z = new double[D];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < D; c++) {
                for (int j = 0; j < l; j++) {
                    z[c] += hid[j] * be[j * D + c];
                }
                max = Math.max(max, z[c]);
            }
            double s = 0;
            for (int c = 0; c < D; c++) {
                s += Math.exp(z[c] - max);
            }
            total += Math.log(s) - (z[y[r]] - max);
        }
        return total / rows + L2 / 2 * reg;
    }
}
