package dev.fusionledger.fusion;

import dev.fusionledger.fusion.backend.CpuBlasBackend;
import dev.fusionledger.fusion.backend.JavaReferenceBackend;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * Whole training runs on the BLAS backend and the plain-Java reference agree: same Strategy II
 * run (2 + 1 epochs), weights within 1e-3 absolute (float32 summation order differs).
 */
class BackendAgreementTest {
    @Test
    void blasAndReferenceTrainTheSameWeights() {
        FusionData data = new SyntheticTask(3, 6, 4, 2, 2f, 0.5f, 17).sample(120, 1);
        FusionConfig cfg = FusionConfig.builder().strategy(Strategy.II).stage1Epochs(2).stage2Epochs(1).batchSize(16)
                .learningRate(0.02f).l2(0.001f).seed(8).build();
        FusionModel blas = new FusionTrainer(new CpuBlasBackend()).train(data, cfg);
        FusionModel ref = new FusionTrainer(new JavaReferenceBackend()).train(data, cfg);
        float[] a0 = FusionTrainer.initialWeights(data, cfg)[0];
        float[] a1 = blas.a();
        float[] a2 = ref.a();
        int moved = 0;
        for (int i = 0; i < a1.length; i++) {
            assertThat((double) a1[i]).as("A[%d]", i).isCloseTo(a2[i], offset(1e-3));
            if (Math.abs(a2[i] - a0[i]) > 1e-3) {
                moved++;
            }
        }
        assertThat(moved).as("reference backend trains A").isGreaterThan(a1.length / 4);
        float[] b1 = blas.b();
        float[] b2 = ref.b();
        for (int i = 0; i < b1.length; i++) {
            assertThat((double) b1[i]).as("B[%d]", i).isCloseTo(b2[i], offset(1e-3));
        }
    }
}
