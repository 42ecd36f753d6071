package dev.fusionledger.spark;

import dev.fusionledger.fusion.FusionConfig;
import dev.fusionledger.fusion.FusionData;
import dev.fusionledger.fusion.FusionModel;
import dev.fusionledger.fusion.FusionTrainer;
import dev.fusionledger.fusion.Strategy;
import dev.fusionledger.fusion.SyntheticTask;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

/** The Estimator on {@code local[2]}: params, agreement with the single-JVM trainer. */
class FusionClassifierTest {
    // 4 models each knowing 5 of 10 classes, noisy enough that accuracy is not saturated
    private static final SyntheticTask TASK = new SyntheticTask(4, 10, 10, 5, 3f, 1.1f, 2024);
    private static final FusionData TRAIN = TASK.sample(4000, 1);
    private static final FusionData TEST = TASK.sample(4000, 2);

    static double accuracy(Dataset<Row> predicted) {
        long n = predicted.count();
        long ok = predicted.filter("prediction = label").count();
        return (double) ok / n;
    }

    @Test
    void paramsRefuseBadValuesNamingTheParamAndTheValue() {
        FusionClassifier c = new FusionClassifier();
        assertThatThrownBy(() -> c.setEpochs(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("epochs").hasMessageContaining("0");
        assertThatThrownBy(() -> c.setStage2Epochs(10_001)).hasMessageContaining("stage2Epochs")
                .hasMessageContaining("10001");
        assertThatThrownBy(() -> c.setStrategy("III")).hasMessageContaining("strategy").hasMessageContaining("III");
        assertThatThrownBy(() -> c.setLearningRate(0f)).hasMessageContaining("learningRate");
        assertThatThrownBy(() -> c.setBatchSize(0)).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> c.setBeta1(1f)).hasMessageContaining("beta1").hasMessageContaining("1.0");
        assertThatThrownBy(() -> c.setL2(-0.5f)).hasMessageContaining("l2").hasMessageContaining("-0.5");
        assertThatThrownBy(() -> c.setFeatureSizes()).hasMessageContaining("featureSizes");
        assertThatThrownBy(() -> c.setFeatureSizes(10, 0)).hasMessageContaining("featureSizes");
        assertThatThrownBy(() -> c.setAggregationDepth(1)).hasMessageContaining("aggregationDepth");
        // the refused values left the defaults in place
        assertThat(c.toConfig()).isEqualTo(FusionConfig.builder().batchSize(FusionClassifier.DEFAULT_BATCH_SIZE).build());
    }

    @Test
    void combinationsAreCheckedBeforeTraining() {
        SparkSession spark = LocalSpark.get();
        Dataset<Row> df = FusionFrames.toDataFrame(spark, TRAIN.selectModels(new int[] {0, 1}), 2);
        assertThatThrownBy(() -> new FusionClassifier().fit(df)).hasMessageContaining("featureSizes must be set");
        assertThatThrownBy(() -> new FusionClassifier().setFeatureSizes(10, 11).fit(df))
                .hasMessageContaining("featureSizes [10, 11] sums to 21").hasMessageContaining("size 20");
        assertThatThrownBy(() -> new FusionClassifier().setFeatureSizes(10, 10).setLabelCounts(10).fit(df))
                .hasMessageContaining("labelCounts [10]").hasMessageContaining("one entry per model (2)");
        assertThatThrownBy(() -> new FusionClassifier().setFeatureSizes(10, 10).setLabelCounts(10, 4).fit(df))
                .hasMessageContaining("Strategy II needs |l_1| = d = 10");
    }

    @Test
    void agreesWithTheSingleJvmTrainerWithinHalfAPoint() {
        SparkSession spark = LocalSpark.get();
        for (Strategy s : new Strategy[] {Strategy.II, Strategy.I}) {
            // trained to convergence (both optimisers see the same number of Adam steps)
            FusionConfig config = FusionConfig.builder().strategy(s).epochs(20).stage1Epochs(10).stage2Epochs(10)
                    .batchSize(500).learningRate(0.02f).seed(42).build();
            FusionModel single = new FusionTrainer().train(TRAIN, config);
            double singleAcc = single.evaluate(TEST).accuracy();

            List<DistributedTrainer.EpochReport> epochs = new ArrayList<>();
            FusionClassifier est = new FusionClassifier().setFeatureSizes(TRAIN.featureSizes()).setConfig(config);
            est.setEpochListener(epochs::add);
            FusionClassificationModel model = est.fit(FusionFrames.toDataFrame(spark, TRAIN, 3));
            double sparkAcc = accuracy(model.transform(FusionFrames.toDataFrame(spark, TEST, 2)));

            System.out.printf("strategy %s: single JVM %.4f, Spark local[2] %.4f%n", s, singleAcc, sparkAcc);
            assertThat(singleAcc).isGreaterThan(0.80);
            assertThat(sparkAcc).isCloseTo(singleAcc, offset(0.005));
            // the transform's predictions are the fusion-engine model's
            assertThat(model.toFusionModel().evaluate(TEST).accuracy()).isEqualTo(sparkAcc);
            assertThat(epochs).hasSize(20);
            assertThat(epochs.get(0).steps()).isEqualTo(8);
            assertThat(epochs.get(epochs.size() - 1).meanLoss()).isLessThan(epochs.get(0).meanLoss());
            assertThat(model.toFusionModel().provenance().config()).isEqualTo(config);
            FusionTrainingSummary summary = model.fitSummary().orElseThrow();
            assertThat(summary.rows()).isEqualTo(4000);
            assertThat(summary.steps()).isEqualTo(20 * 8);
            assertThat(summary.rowsSeen()).isEqualTo(epochs.stream().mapToLong(DistributedTrainer.EpochReport::rowsSeen).sum());
            assertThat(model.toFusionModel().provenance().trainingSha256()).hasSize(64);
        }
    }

    @Test
    void sameSeedSameWeights() {
        SparkSession spark = LocalSpark.get();
        FusionData small = TRAIN.selectModels(new int[] {0, 1, 2});
        Dataset<Row> df = FusionFrames.toDataFrame(spark, small, 2);
        FusionClassifier est = new FusionClassifier().setFeatureSizes(small.featureSizes()).setStage1Epochs(1)
                .setStage2Epochs(1).setBatchSize(500).setSeed(3);
        FusionModel m1 = est.fit(df).toFusionModel();
        FusionModel m2 = est.fit(df).toFusionModel();
        FusionModel m3 = est.copy(new org.apache.spark.ml.param.ParamMap()).setSeed(4).fit(df).toFusionModel();
        assertThat(m1.a()).containsExactly(m2.a());
        assertThat(m1.sha256()).isEqualTo(m2.sha256());
        assertThat(m1.a()).isNotEqualTo(m3.a());
        assertThat(m1.provenance().trainingSha256()).isEqualTo(m3.provenance().trainingSha256());
    }
}
