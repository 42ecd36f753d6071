package dev.fusionledger.demo.model;

import dev.fusionledger.agent.model.CnnArchitecture;
import dev.fusionledger.agent.model.CnnModel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionledger.demo.data.MnistDigits;
import dev.fusionledger.demo.data.Partition;
import dev.fusionledger.demo.data.PartitionSpec;
import dev.fusionledger.demo.data.Split;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real DJL training on the contributors' real 500-image MNIST shards (few epochs). */
class ContributorTrainerTest {

    static MnistDigits data;
    static Partition p;

    @BeforeAll
    static void setUp() throws IOException {
        data = MnistDigits.loadDefault();
        p = Partition.create(data, PartitionSpec.tableII(), 42);
    }

    @Test
    void trainingOnOwnShardLearnsItsDigitsAndKeepsTheBestEpoch() {
        List<TrainingResult.EpochStats> seen = new ArrayList<>();
        TrainingResult r = ContributorTrainer.train(CnnArchitecture.C1, data, p, "C1",
                TrainingConfig.paper(4, 4, 42), seen::add);
        try (CnnModel m = r.model(); CnnModel untrained = CnnModel.untrained(CnnArchitecture.C1, 42)) {
            assertThat(seen).isEqualTo(r.epochs()).hasSize(4);
            assertThat(r.epochs().get(3).meanLoss()).isLessThan(r.epochs().get(0).meanLoss() * 0.8);
            Split ver = p.verification();
            float[] x = ver.images(data);
            int[] y = ver.labels(data);
            List<Integer> own = p.training("C1").digits();
            double acc = m.accuracy(x, y, own);
            double chance = untrained.accuracy(x, y, own);
            assertThat(acc).as("own-digit verification accuracy").isGreaterThan(0.6).isGreaterThan(chance + 0.3);
            // the model returned is the best epoch's
            Split test = p.test("C1");
            assertThat(m.accuracy(test.images(data), test.labels(data))).isEqualTo(r.bestTestAccuracy());
            assertThat(r.epochs().get(r.bestEpoch() - 1).testAccuracy()).isEqualTo(r.bestTestAccuracy());
            assertThat(m.manifest().trainedDigits()).containsExactly(0, 1, 2, 3, 4);
            assertThat(m.manifest().epochs()).isEqualTo(r.bestEpoch());
            try (CnnModel back = CnnModel.fromArtifact(m.toArtifact())) {
                assertThat(back.accuracy(x, y, own)).isEqualTo(acc);
                assertThat(back.manifest()).isEqualTo(m.manifest());
            }
        }
    }

    @Test
    void snapshotsHoldTheBestModelSoFarAndTheLastOneIsTheFinalModel() {
        Split train = p.training("C2");
        Split test = p.test("C2");
        TrainingResult r = ContributorTrainer.train(CnnArchitecture.C1, train.images(data), train.labels(data),
                test.images(data), test.labels(data), TrainingConfig.paper(3, 3, 5).withShift(1), null,
                java.util.Set.of(1, 3));
        try (CnnModel m = r.model()) {
            assertThat(r.snapshots()).containsOnlyKeys(1, 3);
            assertThat(r.snapshots().get(3)).isEqualTo(m.toArtifact());
            try (CnnModel first = CnnModel.fromArtifact(r.snapshots().get(1))) {
                assertThat(first.manifest().epochs()).isEqualTo(1);
                assertThat(first.accuracy(test.images(data), test.labels(data)))
                        .isEqualTo(r.epochs().get(0).testAccuracy());
            }
        }
        assertThatThrownBy(() -> ContributorTrainer.train(CnnArchitecture.C1, train.images(data), train.labels(data),
                test.images(data), test.labels(data), TrainingConfig.paper(3, 3, 5), null, java.util.Set.of(4)))
                .hasMessage("snapshot epoch 4 is outside [1, 3]");
        assertThatThrownBy(() -> TrainingConfig.paper(3, 3, 5).withShift(5))
                .hasMessage("shiftPixels must be in [0, 4], got 5");
    }

    @Test
    void shiftMovesTheImageAndZeroesWhatIsVacated() {
        float[] img = new float[MnistDigits.PIXELS];
        img[0] = 1f;                       // row 0, column 0
        img[27 * 28 + 27] = 2f;            // row 27, column 27
        float[] out = new float[2 * MnistDigits.PIXELS];
        java.util.Arrays.fill(out, 9f);
        ContributorTrainer.shift(img, 0, out, 1, 2, 1); // 2 columns right, 1 row down, into slot 1
        assertThat(out[0]).isEqualTo(9f);  // slot 0 untouched
        int base = MnistDigits.PIXELS;
        assertThat(out[base + 28 + 2]).isEqualTo(1f);
        assertThat(out[base]).isZero();
        double sum = 0;
        for (int i = base; i < out.length; i++) {
            sum += out[i];
        }
        assertThat(sum).as("the pixel at (27, 27) moved out of the image").isEqualTo(1.0);
        ContributorTrainer.shift(img, 0, out, 0, -1, 0);
        assertThat(out[27 * 28 + 26]).isEqualTo(2f);
    }

    @Test
    void aShiftOfAWholeImageOrMoreIsRejectedAndWritesNothing() {
        float[] img = new float[MnistDigits.PIXELS];
        float[] out = new float[MnistDigits.PIXELS];
        java.util.Arrays.fill(out, 9f);
        assertThatThrownBy(() -> ContributorTrainer.shift(img, 0, out, 0, 28, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(-28, 28)");
        assertThatThrownBy(() -> ContributorTrainer.shift(img, 0, out, 0, 0, -30))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(0, -30)");
        assertThat(out).containsOnly(9f);
    }

    @Test
    void earlyStoppingStopsAfterPatienceEpochsWithoutImprovement() {
        Split train = p.training("C5");
        Split test = p.test("C5");
        int[] few = java.util.Arrays.copyOf(train.indices(), 20);
        // a learning rate too small to move the test accuracy: it stops after the patience runs out
        TrainingResult r = ContributorTrainer.train(CnnArchitecture.C5, data.images(few), data.labels(few),
                test.images(data), test.labels(data), new TrainingConfig(50, 2, 10, 1e-9, 1), null);
        try (CnnModel m = r.model()) {
            assertThat(r.epochs().size()).isLessThan(50).isEqualTo(r.bestEpoch() + 2);
            assertThat(m.accuracy(test.images(data), test.labels(data))).isEqualTo(r.bestTestAccuracy());
        }
    }

    @Test
    void sameSeedSameModel() {
        Split train = p.training("C4");
        Split test = p.test("C4");
        int[] few = java.util.Arrays.copyOf(train.indices(), 100);
        TrainingConfig cfg = new TrainingConfig(2, 2, 25, 1e-4, 9);
        TrainingResult a = ContributorTrainer.train(CnnArchitecture.C4, data.images(few), data.labels(few),
                test.images(data), test.labels(data), cfg, null);
        TrainingResult b = ContributorTrainer.train(CnnArchitecture.C4, data.images(few), data.labels(few),
                test.images(data), test.labels(data), cfg, null);
        try (CnnModel ma = a.model(); CnnModel mb = b.model()) {
            assertThat(mb.toArtifact()).isEqualTo(ma.toArtifact());
            assertThat(b.epochs().get(1).meanLoss()).isEqualTo(a.epochs().get(1).meanLoss());
        }
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        assertThatThrownBy(() -> new TrainingConfig(0, 1, 32, 1e-4, 1)).hasMessageContaining("maxEpochs must be in [1, 1000]");
        assertThatThrownBy(() -> new TrainingConfig(1, 1, 32, 0, 1)).hasMessageContaining("learningRate must be in (0, 1]");
        assertThatThrownBy(() -> ContributorTrainer.train(CnnArchitecture.C1, new float[784], new int[] {10},
                new float[784], new int[] {1}, TrainingConfig.paper(1, 1, 1), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("training labels[0] = 10");
        assertThatThrownBy(() -> ContributorTrainer.train(CnnArchitecture.C1, data, p, "C8",
                TrainingConfig.paper(1, 1, 1), null)).hasMessageContaining("no split named C8/training");
    }
}
