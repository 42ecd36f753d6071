package dev.fusionledger.fusion;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/** Strategy II stage 1 (gamma = 0) is "one head per model, outputs summed". */
class StrategyTwoTest {
    private static final int D = 4;
    private static final int[] FS = {5, 3, 4};

    private static FusionData data() {
        return new SyntheticTask(3, 4, D, 2, 2f, 0.8f, 11).sample(60, 1).selectModels(new int[] {0, 1, 2});
    }

    private static FusionData unevenData() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        int rows = 40;
        List<float[]> feats = new ArrayList<>();
        for (int f : FS) {
            float[] m = new float[rows * f];
            for (int i = 0; i < m.length; i++) {
                m[i] = (float) (rng.nextDouble() * 2 - 1);
            }
            feats.add(m);
        }
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            y[r] = rng.nextInt(D);
        }
        return FusionData.of(feats, FS, y, D);
    }

    @Test
    void stageOneLeavesOffBlockAndOffIdentityWeightsExactlyZero() {
        FusionData data = unevenData();
        FusionConfig cfg = FusionConfig.builder().strategy(Strategy.II).stage1Epochs(5).stage2Epochs(0)
                .batchSize(8).learningRate(0.05f).seed(9).build();
        FusionModel model = new FusionTrainer().train(data, cfg);
        float[] a = model.a();
        float[] b = model.b();
        float[] ma = FusionTrainer.maskFactorA(FS, data.labelCounts(), 0f);
        float[] mb = FusionTrainer.maskFactorB(data.labelCounts(), D, 0f);
        int changedBlock = 0;
        float[] a0 = FusionTrainer.initialWeights(data, cfg)[0];
        for (int i = 0; i < a.length; i++) {
            if (ma[i] == 0f) {
                assertThat(a[i]).as("off-block A[%d]", i).isEqualTo(0f);
            } else if (a[i] != a0[i]) {
                changedBlock++;
            }
        }
        for (int i = 0; i < b.length; i++) {
            if (mb[i] == 0f) {
                assertThat(b[i]).as("off-identity B[%d]", i).isEqualTo(0f);
            }
        }
        assertThat(changedBlock).as("block entries trained").isGreaterThan(a.length / 10);

        // with stage 2 the off-block entries do move
        FusionModel full = new FusionTrainer().train(data, cfg.toBuilder().stage2Epochs(3).build());
        float[] af = full.a();
        int moved = 0;
        for (int i = 0; i < af.length; i++) {
            if (ma[i] == 0f && af[i] != 0f) {
                moved++;
            }
        }
        assertThat(moved).isPositive();
    }

    @Test
    void stageOneEqualsSummedHeadsTrainedDirectly() {
        FusionData data = unevenData();
        int rows = data.rows();
        int epochs = 6;
        float lr = 0.05f;
        FusionConfig cfg = FusionConfig.builder().strategy(Strategy.II).stage1Epochs(epochs).stage2Epochs(0)
                .batchSize(rows).learningRate(lr).seed(21).build();
        FusionModel fused = new FusionTrainer().train(data, cfg);

        // build "one head per model, outputs summed" directly: head i = W_i [|f_i| x d] then a
        // per-class scale s_i [d]; Z = sum_i (X_i W_i) ⊙ s_i; same initial W_i, s_i = 1; Adam, full batch
        float[] a0 = FusionTrainer.initialWeights(data, cfg)[0];
        int l = data.totalHidden();
        int n = FS.length;
        double[][] w = new double[n][];
        double[][] s = new double[n][];
        int row0 = 0;
        for (int i = 0; i < n; i++) {
            w[i] = new double[FS[i] * D];
            for (int r = 0; r < FS[i]; r++) {
                for (int c = 0; c < D; c++) {
                    w[i][r * D + c] = a0[(row0 + r) * l + i * D + c];
                }
            }
            s[i] = new double[D];
            java.util.Arrays.fill(s[i], 1.0);
            row0 += FS[i];
        }
        int[] y = data.labels();
        double[][] mw = new double[n][];
        double[][] vw = new double[n][];
        double[][] ms = new double[n][];
        double[][] vs = new double[n][];
        for (int i = 0; i < n; i++) {
            mw[i] = new double[w[i].length];
            vw[i] = new double[w[i].length];
            ms[i] = new double[D];
            vs[i] = new double[D];
        }
        for (int t = 1; t <= epochs; t++) {
            double[][] heads = new double[n][rows * D];
            double[] z = new double[rows * D];
            for (int i = 0; i < n; i++) {
                float[] x = data.features(i);
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < D; c++) {
                        double v = 0;
                        for (int p = 0; p < FS[i]; p++) {
                            v += x[r * FS[i] + p] * w[i][p * D + c];
                        }
                        heads[i][r * D + c] = v;
                        z[r * D + c] += v * s[i][c];
                    }
                }
            }
            double[] dz = new double[rows * D];
            for (int r = 0; r < rows; r++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < D; c++) {
                    max = Math.max(max, z[r * D + c]);
                }
                double sum = 0;
                for (int c = 0; c < D; c++) {
                    sum += Math.exp(z[r * D + c] - max);
                }
                for (int c = 0; c < D; c++) {
                    dz[r * D + c] = (Math.exp(z[r * D + c] - max) / sum - (c == y[r] ? 1 : 0)) / rows;
                }
            }
            for (int i = 0; i < n; i++) {
                float[] x = data.features(i);
                double[] gw = new double[w[i].length];
                double[] gs = new double[D];
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < D; c++) {
                        gs[c] += heads[i][r * D + c] * dz[r * D + c];
                        for (int p = 0; p < FS[i]; p++) {
                            gw[p * D + c] += x[r * FS[i] + p] * dz[r * D + c] * s[i][c];
                        }
                    }
                }
                adam(w[i], gw, mw[i], vw[i], lr, t);
                adam(s[i], gs, ms[i], vs[i], lr, t);
            }
        }
        float[] a = fused.a();
        float[] b = fused.b();
        row0 = 0;
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < FS[i]; r++) {
                for (int c = 0; c < D; c++) {
                    assertThat((double) a[(row0 + r) * l + i * D + c]).as("W_%d[%d,%d]", i, r, c)
                            .isCloseTo(w[i][r * D + c], offset(2e-4));
                }
            }
            for (int c = 0; c < D; c++) {
                assertThat((double) b[(i * D + c) * D + c]).as("s_%d[%d]", i, c).isCloseTo(s[i][c], offset(2e-4));
            }
            row0 += FS[i];
        }
    }

    private static void adam(double[] w, double[] g, double[] m, double[] v, double lr, int t) {
        double b1 = 0.9;
        double b2 = 0.999;
        for (int k = 0; k < w.length; k++) {
            m[k] = b1 * m[k] + (1 - b1) * g[k];
            v[k] = b2 * v[k] + (1 - b2) * g[k] * g[k];
            double mh = m[k] / (1 - Math.pow(b1, t));
            double vh = v[k] / (1 - Math.pow(b2, t));
            w[k] -= lr * mh / (Math.sqrt(vh) + 1e-7);
        }
    }

    @Test
    void strategyTwoRejectsHiddenSizesOtherThanD() {
        FusionData data = data().withLabelCounts(new int[] {D, D - 1, D});
        FusionConfig cfg = FusionConfig.builder().strategy(Strategy.II).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new FusionTrainer().train(data, cfg))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("labelCounts[1]")
                .hasMessageContaining("d = 4");
        // Strategy I accepts any |l_i|
        FusionModel m = new FusionTrainer().train(data, FusionConfig.builder().strategy(Strategy.I).epochs(1).build());
        assertThat(m.a()).hasSize(data.totalFeatures() * (3 * D - 1));
    }
}
