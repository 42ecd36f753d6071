package dev.fusionledger.bench;

import dev.fusionledger.agent.model.DjlRuntime;
import dev.fusionledger.fusion.FusionConfig;
import dev.fusionledger.fusion.FusionData;
import dev.fusionledger.fusion.FusionModel;
import dev.fusionledger.fusion.FusionTrainer;
import dev.fusionledger.fusion.Provenance;
import dev.fusionledger.fusion.Strategy;
import dev.fusionledger.fusion.SyntheticTask;
import dev.fusionledger.fusion.backend.CpuBlasBackend;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The PyTorch comparison trains the same network: on the synthetic task its Strategy II fusion
 * reaches the fusion engine's test accuracy within 1 point, and stage 1 leaves the off-block
 * entries of A at 0 (the masks act as in the engine).
 */
class TorchFusionTrainerTest {

    @Test
    void trainsTheEnginesNetwork() {
        SyntheticTask task = new SyntheticTask(4, 16, 6, 3, 2f, 1f, 21);
        FusionData train = task.sample(2000, 1);
        FusionData test = task.sample(1000, 2);
        FusionConfig cfg = FusionConfig.builder().strategy(Strategy.II).stage1Epochs(3).stage2Epochs(3).batchSize(128)
                .learningRate(0.01f).seed(4).build();
        float[][] ab = new TorchFusionTrainer(DjlRuntime.engine()).train(train, cfg, new long[1]);
        FusionModel torch = new FusionModel(ab[0], ab[1], train.featureSizes(), train.labelCounts(), train.classes(),
                new Provenance(cfg, train.sha256(), "torch"));
        FusionModel engine = new FusionTrainer(new CpuBlasBackend()).train(train, cfg);
        double accTorch = torch.evaluate(test, new CpuBlasBackend()).accuracy();
        double accEngine = engine.evaluate(test, new CpuBlasBackend()).accuracy();
        assertThat(accEngine).isGreaterThan(0.8);
        assertThat(accTorch).isCloseTo(accEngine, org.assertj.core.data.Offset.offset(0.01));

        FusionConfig stage1 = FusionConfig.builder().strategy(Strategy.II).stage1Epochs(2).stage2Epochs(0).batchSize(128)
                .learningRate(0.01f).seed(4).build();
        float[] a = new TorchFusionTrainer(DjlRuntime.engine()).train(train, stage1, new long[1])[0];
        float[] fa = FusionTrainer.maskFactorA(train.featureSizes(), train.labelCounts(), 0f);
        for (int i = 0; i < a.length; i++) {
            if (fa[i] == 0f) {
                assertThat(a[i]).as("off-block A[%d]", i).isZero();
            }
        }
    }

    @Test
    void refusesL2() {
        FusionData train = new SyntheticTask(2, 4, 3, 2, 2f, 1f, 1).sample(50, 1);
        FusionConfig cfg = FusionConfig.builder().strategy(Strategy.I).epochs(1).l2(0.1f).seed(1).build();
        assertThatThrownBy(() -> new TorchFusionTrainer(DjlRuntime.engine()).train(train, cfg, new long[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("config.l2: ");
    }
}
