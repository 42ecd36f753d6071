package dev.fusionledger.fusion.backend;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CPU BLAS backend against the plain-Java reference kernels. Tolerance for GEMM: per element
 * |cpu - ref| <= 1e-5 * sum_p |a_ip b_pj| + 1e-6 (float32 accumulation over k terms).
 */
class KernelsTest {
    private final ComputeBackend cpu = new CpuBlasBackend();
    private final ComputeBackend ref = new JavaReferenceBackend();

    private static float[] random(SplittableRandom rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return x;
    }

    @Test
    void gemmMatchesReferenceForEveryTransposeCombination() {
        SplittableRandom rng = new SplittableRandom(7);
        int m = 37;
        int n = 23;
        int k = 129;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                float[] a = random(rng, m * k);
                float[] b = random(rng, k * n);
                float[] c0 = random(rng, m * n);
                float[] c1 = c0.clone();
                int lda = ta ? m : k;
                int ldb = tb ? k : n;
                cpu.gemm(ta, tb, m, n, k, 0.5f, a, lda, b, ldb, 0.25f, c0, n);
                ref.gemm(ta, tb, m, n, k, 0.5f, a, lda, b, ldb, 0.25f, c1, n);
                for (int i = 0; i < m * n; i++) {
                    assertThat((double) c0[i]).as("ta=%s tb=%s element %d", ta, tb, i)
                            .isCloseTo(c1[i], org.assertj.core.data.Offset.offset(1e-5 * k + 1e-6));
                }
            }
        }
    }

    @Test
    void maskedGemmMatchesReferenceAndZeroFactorRemovesEntries() {
        SplittableRandom rng = new SplittableRandom(8);
        int m = 16;
        int n = 12;
        int k = 20;
        float[] x = random(rng, m * k);
        float[] w = random(rng, k * n);
        float[] factor = new float[k * n];
        for (int i = 0; i < factor.length; i++) {
            factor[i] = (i % 3 == 0) ? 0f : 1f;
        }
        float[] c0 = new float[m * n];
        float[] c1 = new float[m * n];
        cpu.maskedGemm(m, n, k, x, w, factor, new float[k * n], c0);
        ReferenceKernels.maskedGemm(m, n, k, x, w, factor, c1);
        float[] wm = w.clone();
        for (int i = 0; i < wm.length; i++) {
            if (factor[i] == 0f) {
                wm[i] = 0f;
            }
        }
        float[] c2 = new float[m * n];
        ReferenceKernels.gemm(false, false, m, n, k, 1f, x, k, wm, n, 0f, c2, n);
        for (int i = 0; i < m * n; i++) {
            assertThat((double) c0[i]).isCloseTo(c1[i], org.assertj.core.data.Offset.offset(1e-5 * k));
            assertThat(c1[i]).isEqualTo(c2[i]);
        }
    }

    @Test
    void softmaxCrossEntropyGradientIsProbabilitiesMinusOneHot() {
        float[] z = {1f, 2f, 3f, 0f, 0f, 0f};
        int[] y = {2, 0};
        float[] dz = new float[6];
        long[] correct = {0};
        double loss = cpu.softmaxCrossEntropy(z, y, 0, 2, 3, 0.5f, dz, correct);
        double s = Math.exp(1) + Math.exp(2) + Math.exp(3);
        double expected = -Math.log(Math.exp(3) / s) - Math.log(1.0 / 3);
        assertThat(loss).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
        assertThat((double) dz[2]).isCloseTo(0.5 * (Math.exp(3) / s - 1), org.assertj.core.data.Offset.offset(1e-7));
        assertThat((double) dz[3]).isCloseTo(0.5 * (1.0 / 3 - 1), org.assertj.core.data.Offset.offset(1e-7));
        assertThat(correct[0]).as("row 0 argmax 2, row 1 ties resolve to class 0").isEqualTo(2);
        double rowSum = dz[0] + dz[1] + dz[2];
        assertThat(rowSum).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-7));
    }

    @Test
    void adamLeavesZeroGradientEntriesExactlyUnchangedAndMovesOthersAgainstTheGradient() {
        float[] w = {0f, 1f, -1f};
        float[] g = {0f, 0.5f, -0.5f};
        float[] m = new float[3];
        float[] v = new float[3];
        float[] w2 = w.clone();
        float[] m2 = new float[3];
        float[] v2 = new float[3];
        cpu.adamUpdate(w, g, m, v, 3, 0.1f, 0.9f, 0.999f, 1e-7f, 1);
        ref.adamUpdate(w2, g, m2, v2, 3, 0.1f, 0.9f, 0.999f, 1e-7f, 1);
        assertThat(w[0]).isEqualTo(0f);
        // first bias-corrected step is lr * sign(g)
        assertThat((double) w[1]).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-6));
        assertThat((double) w[2]).isCloseTo(-0.9, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(w).containsExactly(w2);
    }
}
