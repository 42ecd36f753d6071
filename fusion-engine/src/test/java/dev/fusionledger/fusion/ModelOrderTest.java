package dev.fusionledger.fusion;

import dev.fusionledger.fusion.backend.CpuBlasBackend;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * The fusion of the same models does not depend on the order in which they are given
 * (docs/fusion.md, "Order of the models"): each model's initial rows of A are seeded by its features.
 */
class ModelOrderTest {
    private static final SyntheticTask TASK = new SyntheticTask(4, 6, 5, 3, 2f, 0.8f, 21);
    private static final int[] ORDER = {0, 1, 2, 3};
    private static final int[] PERMUTED = {2, 0, 3, 1};

    @Test
    void strategyTwoGivesTheSameLogitsInAnyOrder() {
        assertOrderFree(FusionConfig.builder().strategy(Strategy.II).stage1Epochs(8).stage2Epochs(8)
                .batchSize(16).learningRate(0.02f).seed(3).build());
    }

    @Test
    void strategyOneGivesTheSameLogitsInAnyOrder() {
        assertOrderFree(FusionConfig.builder().strategy(Strategy.I).epochs(16).batchSize(16).learningRate(0.02f)
                .seed(3).build());
    }

    @Test
    void aModelKeepsItsInitialRowsWhereverItStands() {
        FusionData train = TASK.sample(200, 1);
        FusionConfig cfg = FusionConfig.builder().strategy(Strategy.II).seed(5).build();
        float[] a = FusionTrainer.initialWeights(train.selectModels(ORDER), cfg)[0];
        float[] p = FusionTrainer.initialWeights(train.selectModels(PERMUTED), cfg)[0];
        int f = 6;
        int l = 4 * 5;
        // model 2 is first in the permuted order: its block sits at rows 0..5, columns 0..4 there,
        // and at rows 12..17, columns 10..14 in the given order
        for (int r = 0; r < f; r++) {
            for (int c = 0; c < 5; c++) {
                assertThat(p[r * l + c]).isEqualTo(a[(2 * f + r) * l + 2 * 5 + c]);
            }
        }
        assertThat(FusionTrainer.modelKey(train.features(2))).isNotEqualTo(FusionTrainer.modelKey(train.features(0)));
    }

    @Test
    void anotherSeedGivesOtherWeights() {
        FusionData train = TASK.sample(200, 1);
        float[] a = FusionTrainer.initialWeights(train, FusionConfig.builder().seed(1).build())[0];
        float[] b = FusionTrainer.initialWeights(train, FusionConfig.builder().seed(2).build())[0];
        assertThat(a).isNotEqualTo(b);
    }

    private static void assertOrderFree(FusionConfig cfg) {
        FusionData train = TASK.sample(400, 1);
        FusionData test = TASK.sample(200, 2);
        FusionTrainer trainer = new FusionTrainer();
        FusionModel given = trainer.train(train.selectModels(ORDER), cfg);
        FusionModel permuted = trainer.train(train.selectModels(PERMUTED), cfg);
        float[] z1 = given.logits(test.selectModels(ORDER), new CpuBlasBackend());
        float[] z2 = permuted.logits(test.selectModels(PERMUTED), new CpuBlasBackend());
        double scale = 0;
        for (float z : z1) {
            scale = Math.max(scale, Math.abs(z));
        }
        assertThat(scale).isGreaterThan(0.5);
        for (int i = 0; i < z1.length; i++) {
            assertThat((double) z2[i]).as("logit %d", i).isCloseTo(z1[i], offset(1e-3 * scale));
        }
        double acc = given.evaluate(test.selectModels(ORDER)).accuracy();
        assertThat(acc).isGreaterThan(0.5);
        assertThat(permuted.evaluate(test.selectModels(PERMUTED)).accuracy()).isEqualTo(acc);
    }
}
