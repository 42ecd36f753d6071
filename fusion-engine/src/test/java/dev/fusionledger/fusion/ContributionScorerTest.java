package dev.fusionledger.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The null-relative marginal contribution (docs/fusion.md) on a synthetic task where the truth is
 * known: three honest models each know a different part of the classes, a random-feature model
 * knows nothing, and two copies (one exact, one with small noise) repeat an honest model that was
 * submitted before them. Each model's null is random features of its shape.
 */
class ContributionScorerTest {
    private static final int D = 6;
    private static final SyntheticTask TASK = new SyntheticTask(3, D, D, 2, 3f, 0.4f, 91);
    private static final FusionConfig CONFIG = FusionConfig.builder().strategy(Strategy.II).stage1Epochs(6)
            .stage2Epochs(4).batchSize(64).learningRate(0.01f).seed(3).build();

    /** Honest models 0..2, then random (3), exact copy of 0 (4), noisy copy of 1 (5). */
    private static FusionData withFreeRiders(FusionData honest, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<float[]> f = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            f.add(honest.features(i));
        }
        f.add(random(honest.rows(), rng));
        f.add(honest.features(0));
        float[] noisy = honest.features(1);
        for (int j = 0; j < noisy.length; j++) {
            noisy[j] += (float) (0.02 * rng.nextGaussian());
        }
        f.add(noisy);
        return FusionData.of(f, sizes(6), honest.labels(), D);
    }

    private static FusionData nulls(int rows, int[] labels, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<float[]> f = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            f.add(random(rows, rng));
        }
        return FusionData.of(f, sizes(6), labels, D);
    }

    private static float[] random(int rows, SplittableRandom rng) {
        float[] m = new float[rows * D];
        for (int j = 0; j < m.length; j++) {
            m[j] = (float) rng.nextGaussian();
        }
        return m;
    }

    private static int[] sizes(int n) {
        int[] s = new int[n];
        java.util.Arrays.fill(s, D);
        return s;
    }

    @Test
    void randomAndCopiedModelsAddNothingOverTheirNull() {
        FusionData train = withFreeRiders(TASK.sample(1500, 1), 5);
        FusionData test = withFreeRiders(TASK.sample(1000, 2), 6);
        ContributionScorer.Measures m = new ContributionScorer.Measures(0, 0, false,
                nulls(1500, train.labels(), 7), nulls(1000, test.labels(), 8));
        ContributionReport rep = new ContributionScorer(new FusionTrainer()).score(train, test, CONFIG, m, () -> false);

        for (int i = 0; i < 3; i++) {
            assertThat(rep.nullMarginal()[i]).as("honest model %d", i).isGreaterThan(0.1);
        }
        for (int i = 3; i < 6; i++) {
            assertThat(rep.nullMarginal()[i]).as("free rider %d", i).isLessThan(0.01);
        }
        for (int i = 0; i < 6; i++) {
            assertThat(rep.nullMarginal()[i]).isCloseTo(rep.prefixAccuracy()[i] - rep.nullPrefixAccuracy()[i],
                    offset(0.0));
            assertThat(rep.shapley()[i]).isNaN();
            assertThat(rep.leaveOneOut()[i]).isNaN();
        }
        // 6 prefixes and 6 prefixes with the last model replaced by its null
        assertThat(rep.fusionsTrained()).isEqualTo(12);
        assertThat(rep.permutations()).isZero();
    }

    @Test
    void withoutNullsTheNullMeasuresAreNaN() {
        FusionData train = TASK.sample(300, 1);
        FusionData test = TASK.sample(200, 2);
        ContributionReport rep = new ContributionScorer(new FusionTrainer()).score(train, test, CONFIG,
                new ContributionScorer.Measures(0, 0, true, null, null), () -> false);
        assertThat(rep.nullMarginal()).containsOnly(Double.NaN);
        assertThat(rep.nullPrefixAccuracy()).containsOnly(Double.NaN);
        assertThat(rep.leaveOneOut()[0]).isFinite();
        // 3 prefixes + leave-one-out {1,2} and {0,2}; {0,1} is the second prefix, trained once
        assertThat(rep.fusionsTrained()).isEqualTo(5);
    }

    @Test
    void badNullsAreRejectedByField() {
        FusionData train = TASK.sample(300, 1);
        FusionData test = TASK.sample(200, 2);
        ContributionScorer scorer = new ContributionScorer(new FusionTrainer());
        FusionData nullTrain = TASK.sample(300, 3);
        assertThatThrownBy(() -> scorer.score(train, test, CONFIG,
                new ContributionScorer.Measures(0, 0, false, nullTrain, null), () -> false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("nullTest");
        FusionData shortNulls = TASK.sample(100, 4);
        assertThatThrownBy(() -> scorer.score(train, test, CONFIG,
                new ContributionScorer.Measures(0, 0, false, nullTrain, shortNulls), () -> false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("nullTest")
                .hasMessageContaining("200 rows");
        assertThatThrownBy(() -> scorer.score(train, test, CONFIG,
                new ContributionScorer.Measures(-1, 0, false, null, null), () -> false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("shapleyPermutations");
        SplittableRandom rng = new SplittableRandom(1);
        List<float[]> many = new ArrayList<>();
        for (int i = 0; i < 33; i++) {
            many.add(random(20, rng));
        }
        int[] labels = new int[20];
        FusionData wide = FusionData.of(many, sizes(33), labels, D);
        assertThatThrownBy(() -> scorer.score(wide, wide, CONFIG,
                new ContributionScorer.Measures(0, 0, false, null, null), () -> false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("at most 32 models");
    }
}
