package dev.fusionledger.fusion;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

/** Learning a task no single model can solve: each of 4 models knows half of the 10 classes. */
class SyntheticTaskTest {
    private static final SyntheticTask TASK = new SyntheticTask(4, 10, 10, 5, 3f, 0.5f, 2024);
    private static final FusionData TRAIN = TASK.sample(4000, 1);
    private static final FusionData TEST = TASK.sample(2000, 2);

    private static FusionConfig config(Strategy s) {
        return FusionConfig.builder().strategy(s).epochs(10).stage1Epochs(6).stage2Epochs(4).batchSize(64)
                .learningRate(0.01f).seed(5).build();
    }

    @Test
    void fusionLearnsWhatNoSingleModelCan() {
        List<Progress> progress = new ArrayList<>();
        FusionModel fused = new FusionTrainer().train(TRAIN, null, config(Strategy.II), progress::add, () -> false);
        double fusedAcc = fused.evaluate(TEST).accuracy();
        double best = 0;
        for (int i = 0; i < 4; i++) {
            FusionData one = TRAIN.selectModels(new int[] {i});
            FusionModel single = new FusionTrainer().train(one, config(Strategy.II));
            best = Math.max(best, single.evaluate(TEST.selectModels(new int[] {i})).accuracy());
        }
        assertThat(fusedAcc).isGreaterThan(0.95);
        assertThat(best).isLessThan(0.60);
        assertThat(progress).hasSize(10);
        assertThat(progress.get(0).stage()).isEqualTo(Stage.II_BLOCKS);
        assertThat(progress.get(9).stage()).isEqualTo(Stage.II_FULL);
        assertThat(progress.get(9).samplesSeen()).isEqualTo(10L * TRAIN.rows());
        assertThat(progress.get(9).loss()).isLessThan(progress.get(0).loss());

        FusionModel one = new FusionTrainer().train(TRAIN, config(Strategy.I));
        assertThat(one.evaluate(TEST).accuracy()).isGreaterThan(0.95);
    }

    @Test
    void sameSeedGivesIdenticalWeightsOtherSeedDoesNot() {
        FusionConfig cfg = config(Strategy.II).toBuilder().stage1Epochs(1).stage2Epochs(1).build();
        FusionModel m1 = new FusionTrainer().train(TRAIN, cfg);
        FusionModel m2 = new FusionTrainer().train(TRAIN, cfg);
        FusionModel m3 = new FusionTrainer().train(TRAIN, cfg.toBuilder().seed(6).build());
        assertThat(m1.a()).containsExactly(m2.a());
        assertThat(m1.b()).containsExactly(m2.b());
        assertThat(m1.sha256()).isEqualTo(m2.sha256());
        assertThat(m1.a()).isNotEqualTo(m3.a());
        assertThat(m1.provenance().trainingSha256()).isEqualTo(TRAIN.sha256()).hasSize(64);
        assertThat(m1.provenance().engineVersion()).isEqualTo(FusionEngine.VERSION);
        assertThat(m1.provenance().seed()).isEqualTo(5L);
    }

    @Test
    void confusionMatrixAddsUpToTheRows() {
        FusionModel m = new FusionTrainer().train(TRAIN, config(Strategy.II).toBuilder().stage1Epochs(1)
                .stage2Epochs(0).build());
        Metrics metrics = m.evaluate(TEST);
        long total = 0;
        long diag = 0;
        for (int t = 0; t < 10; t++) {
            for (int p = 0; p < 10; p++) {
                total += metrics.confusion(t, p);
                if (t == p) {
                    diag += metrics.confusion(t, p);
                }
            }
        }
        assertThat(total).isEqualTo(TEST.rows());
        assertThat((double) diag / total).isCloseTo(metrics.accuracy(), offset(1e-12));
        int[] pred = m.predict(TEST);
        int[] y = TEST.labels();
        long hits = 0;
        for (int r = 0; r < y.length; r++) {
            hits += pred[r] == y[r] ? 1 : 0;
        }
        assertThat((double) hits / y.length).isCloseTo(metrics.accuracy(), offset(1e-12));
        assertThat(metrics.loss()).isPositive();
    }

    @Test
    void ownAccuracyOnLabelSubsetIsHighWhileOverAllClassesItIsAboutHalf() {
        for (int i = 0; i < 4; i++) {
            assertThat(Evaluation.ownAccuracy(TEST, i, TASK.subset(i))).as("model %d own", i).isGreaterThan(0.9);
            assertThat(Evaluation.ownAccuracy(TEST, i, null)).as("model %d all classes", i).isLessThan(0.6);
        }
        assertThatThrownBy(() -> Evaluation.ownAccuracy(TEST, 4, null)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("model");
        assertThatThrownBy(() -> Evaluation.ownAccuracy(TEST, 0, new int[] {1, 1}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("labelSubsets[0]");
    }

    @Test
    void contributionsAreConsistent() {
        FusionData train = TASK.sample(1500, 3);
        FusionData test = TASK.sample(800, 4);
        FusionConfig cfg = config(Strategy.II).toBuilder().stage1Epochs(4).stage2Epochs(2).build();
        ContributionReport rep = new ContributionScorer(new FusionTrainer()).score(train, test, cfg, 6, 77, () -> false);
        int n = 4;
        assertThat(rep.prefixAccuracy()).hasSize(n);
        double sumMarginal = 0;
        double sumShapley = 0;
        for (int i = 0; i < n; i++) {
            sumMarginal += rep.marginal()[i];
            sumShapley += rep.shapley()[i];
        }
        // both telescope to v(all) - v(empty)
        assertThat(sumMarginal).isCloseTo(rep.fullAccuracy() - rep.emptyAccuracy(), offset(1e-12));
        assertThat(sumShapley).isCloseTo(rep.fullAccuracy() - rep.emptyAccuracy(), offset(1e-9));
        assertThat(rep.prefixAccuracy()[n - 1]).isEqualTo(rep.fullAccuracy());
        assertThat(rep.fullAccuracy()).isGreaterThan(0.9);
        assertThat(rep.prefixAccuracy()[0]).isLessThan(0.6);
        for (int i = 0; i < n; i++) {
            assertThat(rep.shapley()[i]).as("shapley %d", i).isPositive();
        }
        assertThat(rep.fusionsTrained()).isBetween(n, 15);
        ContributionReport again = new ContributionScorer(new FusionTrainer()).score(train, test, cfg, 6, 77, () -> false);
        assertThat(again.shapley()).containsExactly(rep.shapley());
    }

    @Test
    void earlyStoppingStopsWhenValidationLossStopsImproving() {
        // 30 rows for 4 x 10 features and 10 classes: the fusion overfits, the validation loss turns up
        FusionData train = new SyntheticTask(4, 10, 10, 5, 1f, 1f, 2024).sample(30, 8);
        FusionData val = new SyntheticTask(4, 10, 10, 5, 1f, 1f, 2024).sample(200, 9);
        FusionConfig cfg = FusionConfig.builder().strategy(Strategy.I).epochs(300).batchSize(16).learningRate(0.05f)
                .earlyStoppingPatience(3).seed(1).build();
        List<Progress> progress = new ArrayList<>();
        new FusionTrainer().train(train, val, cfg, progress::add, () -> false);
        assertThat(progress).hasSizeLessThan(300);
        assertThat(progress.get(0).validationLoss()).isFinite();
        assertThatThrownBy(() -> new FusionTrainer().train(train, cfg)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("config.earlyStoppingPatience");
    }
}
