package dev.fusionledger.fusion;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad inputs are refused with the field, model index and shapes named. */
class ValidationTest {
    @Test
    void differentRowCountsNameTheModelAndShapes() {
        assertThatThrownBy(() -> FusionData.of(List.of(new float[6], new float[4]), new int[] {2, 2}, null, 3))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("features[1]")
                .hasMessageContaining("[2 x 2]").hasMessageContaining("3 rows");
    }

    @Test
    void lengthNotMultipleOfFeatureSize() {
        assertThatThrownBy(() -> FusionData.of(List.of(new float[7]), new int[] {2}, null, 3))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("features[0]");
    }

    @Test
    void nanAndLabelsOutOfRange() {
        float[] bad = new float[4];
        bad[3] = Float.NaN;
        assertThatThrownBy(() -> FusionData.of(List.of(new float[4], bad), new int[] {2, 2}, null, 3))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("features[1]")
                .hasMessageContaining("row 1, column 1");
        assertThatThrownBy(() -> FusionData.of(List.of(new float[4]), new int[] {2}, new int[] {0, 3}, 3))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("labels")
                .hasMessageContaining("0..2");
        assertThatThrownBy(() -> FusionData.of(List.of(new float[4]), new int[] {2}, new int[] {0}, 3))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("labels");
    }

    @Test
    void labelCountsNeedOnePerModelInRange() {
        assertThatThrownBy(() -> FusionData.of(List.of(new float[4], new float[4]), new int[] {2, 2}, null, 3,
                new int[] {3})).isInstanceOf(InvalidInputException.class).hasMessageContaining("labelCounts")
                .hasMessageContaining("(2)");
        assertThatThrownBy(() -> FusionData.of(List.of(new float[4]), new int[] {2}, null, 3, new int[] {0}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("labelCounts[0]");
    }

    @Test
    void configRangesAreChecked() {
        assertThatThrownBy(() -> FusionConfig.builder().batchSize(0).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("config.batchSize")
                .hasMessageContaining("1..1048576");
        assertThatThrownBy(() -> FusionConfig.builder().learningRate(-1).build())
                .hasMessageContaining("config.learningRate");
        assertThatThrownBy(() -> FusionConfig.builder().beta2(1f).build()).hasMessageContaining("config.beta2");
        assertThatThrownBy(() -> FusionConfig.builder().strategy(null).build()).hasMessageContaining("config.strategy");
        FusionConfig d = FusionConfig.builder().build();
        assertThat(d.strategy()).isEqualTo(Strategy.II);
        assertThat(d.batchSize()).isEqualTo(128);
    }

    @Test
    void inputsAreCopiedSoLaterChangesDoNotLeakIn() {
        float[] f = {1, 2, 3, 4};
        FusionData data = FusionData.of(List.of(f), new int[] {2}, new int[] {0, 1}, 2);
        String before = data.sha256();
        f[0] = 99;
        assertThat(data.sha256()).isEqualTo(before);
        assertThat(data.features(0)[0]).isEqualTo(1f);
    }

    @Test
    void cancellationStopsTrainingWithoutAModel() {
        SyntheticTask task = new SyntheticTask(2, 10, 10, 5, 3f, 0.5f, 1);
        FusionData data = task.sample(1000, 1);
        AtomicInteger polls = new AtomicInteger();
        assertThatThrownBy(() -> new FusionTrainer().train(data, null,
                FusionConfig.builder().batchSize(10).build(), p -> { }, () -> polls.incrementAndGet() > 5))
                .isInstanceOf(CancellationException.class);
        assertThat(polls.get()).isEqualTo(6);
    }
}
