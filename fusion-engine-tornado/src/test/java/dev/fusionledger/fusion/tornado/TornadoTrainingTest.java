package dev.fusionledger.fusion.tornado;

import dev.fusionledger.fusion.FusionConfig;
import dev.fusionledger.fusion.FusionData;
import dev.fusionledger.fusion.FusionModel;
import dev.fusionledger.fusion.FusionTrainer;
import dev.fusionledger.fusion.Strategy;
import dev.fusionledger.fusion.SyntheticTask;
import dev.fusionledger.fusion.backend.CpuBlasBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole trainings on the synthetic task, the TornadoVM backend (its device session) against the
 * BLAS backend, same data, config and seed: test accuracy within 0.5 points, and the weights
 * within a relative error {@code ||W_dev - W_blas|| / ||W_blas|| < 1e-3} (Frobenius norms; the
 * two backends sum in different orders in float32, and Adam carries the differences on).
 * Strategy II's stage 1 must also leave the off-block entries of A exactly 0 on the device.
 */
class TornadoTrainingTest {

    private static double relativeError(float[] x, float[] ref) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < x.length; i++) {
            double e = (double) x[i] - ref[i];
            num += e * e;
            den += (double) ref[i] * ref[i];
        }
        return Math.sqrt(num / den);
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void trainsWhatBlasTrains(Strategy strategy) {
        TornadoBackend dev = TornadoOrSkip.backend();
        SyntheticTask task = new SyntheticTask(4, 16, 6, 3, 2f, 1f, 21);
        FusionData train = task.sample(2000, 1); // 15 batches of 128 and a short one of 80
        FusionData test = task.sample(1000, 2);
        FusionConfig cfg = FusionConfig.builder().strategy(strategy).epochs(6).stage1Epochs(3).stage2Epochs(3)
                .batchSize(128).learningRate(0.01f).l2(strategy == Strategy.I ? 0.001f : 0f).seed(4).build();
        FusionModel blas = new FusionTrainer(new CpuBlasBackend()).train(train, cfg);
        FusionModel tornado = new FusionTrainer(dev).train(train, cfg);
        double accBlas = blas.evaluate(test, new CpuBlasBackend()).accuracy();
        double accDev = tornado.evaluate(test, new CpuBlasBackend()).accuracy();
        double errA = relativeError(tornado.a(), blas.a());
        double errB = relativeError(tornado.b(), blas.b());
        System.out.printf("[tornado tests] %s on %s: accuracy %.4f (BLAS %.4f), relative error A %.2e, B %.2e%n",
                strategy, dev.name(), accDev, accBlas, errA, errB);
        assertThat(accBlas).as("the task is learnt").isBetween(0.6, 0.995);
        assertThat(Math.abs(accDev - accBlas)).as("accuracy difference").isLessThanOrEqualTo(0.005);
        assertThat(errA).as("relative error of A").isLessThan(1e-3);
        assertThat(errB).as("relative error of B").isLessThan(1e-3);
        // the device's own evaluation kernels agree with the host's
        assertThat(tornado.evaluate(test, dev).accuracy()).isCloseTo(accDev, org.assertj.core.data.Offset.offset(0.002));
    }

    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = "II")
    void stageOneKeepsOffBlockEntriesExactlyZero(Strategy strategy) {
        TornadoBackend dev = TornadoOrSkip.backend();
        SyntheticTask task = new SyntheticTask(3, 8, 5, 2, 3f, 0.5f, 5);
        FusionData train = task.sample(500, 1);
        FusionConfig cfg = FusionConfig.builder().strategy(strategy).stage1Epochs(2).stage2Epochs(0)
               .batchSize(64).learningRate(0.02f).seed(3).build();
        FusionModel m = new FusionTrainer(dev).train(train, cfg);
        float[] fa = FusionTrainer.maskFactorA(train.featureSizes(), train.labelCounts(), 0f);
        float[] fb = FusionTrainer.maskFactorB(train.labelCounts(), train.classes(), 0f);
        int moved = 0;
        float[] a0 = FusionTrainer.initialWeights(train.featureSizes(), train.labelCounts(), train.classes(), cfg)[0];
        for (int i = 0; i < fa.length; i++) {
            if (fa[i] == 0f) {
                assertThat(m.a()[i]).as("off-block A[%d]", i).isZero();
            } else if (m.a()[i] != a0[i]) {
                moved++;
            }
        }
        for (int i = 0; i < fb.length; i++) {
            if (fb[i] == 0f) {
                assertThat(m.b()[i]).as("off-identity B[%d]", i).isZero();
            }
        }
        assertThat(moved).as("block entries trained").isGreaterThan(0);
    }
}
