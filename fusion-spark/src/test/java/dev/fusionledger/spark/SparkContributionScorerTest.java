package dev.fusionledger.spark;

import dev.fusionledger.fusion.ContributionReport;
import dev.fusionledger.fusion.ContributionScorer;
import dev.fusionledger.fusion.FusionConfig;
import dev.fusionledger.fusion.FusionData;
import dev.fusionledger.fusion.FusionTrainer;
import dev.fusionledger.fusion.SyntheticTask;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Coalitions as Spark tasks give the single-JVM scorer's report, value for value. */
class SparkContributionScorerTest {
    private static final SyntheticTask TASK = new SyntheticTask(4, 6, 6, 3, 3f, 0.8f, 21);
    private static final FusionData TRAIN = TASK.sample(600, 1);
    private static final FusionData TEST = TASK.sample(300, 2);
    private static final SyntheticTask NULLS = new SyntheticTask(4, 6, 6, 3, 0f, 1f, 77);
    private static final FusionConfig CONFIG = FusionConfig.builder().stage1Epochs(3).stage2Epochs(2).batchSize(64)
            .seed(3).build();

    @Test
    void shapleyAndLeaveOneOutEqualTheSingleJvmScorer() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext());
        ContributionScorer.Measures m = new ContributionScorer.Measures(5, 11, true, NULLS.sample(600, 1),
                NULLS.sample(300, 2));
        ContributionReport local = new ContributionScorer(new FusionTrainer()).score(TRAIN, TEST, CONFIG, m, () -> false);
        ContributionReport spark = new SparkContributionScorer(sc).score(TRAIN, TEST, CONFIG, m);

        assertThat(spark.shapley()).containsExactly(local.shapley());
        assertThat(spark.leaveOneOut()).containsExactly(local.leaveOneOut());
        assertThat(spark.prefixAccuracy()).containsExactly(local.prefixAccuracy());
        assertThat(spark.nullMarginal()).containsExactly(local.nullMarginal());
        assertThat(spark.fullAccuracy()).isEqualTo(local.fullAccuracy());
        assertThat(spark.fusionsTrained()).isEqualTo(local.fusionsTrained()).isGreaterThan(8);
        // Shapley's efficiency: the estimates sum to v(all) - v(empty)
        double sum = 0;
        for (double v : spark.shapley()) {
            sum += v;
        }
        assertThat(sum).isCloseTo(spark.fullAccuracy() - spark.emptyAccuracy(), org.assertj.core.data.Offset.offset(1e-9));
        // another Shapley seed samples other permutations
        ContributionReport other = new SparkContributionScorer(sc).score(TRAIN, TEST, CONFIG,
                new ContributionScorer.Measures(5, 12, false, null, null));
        assertThat(other.leaveOneOut()).containsOnly(Double.NaN);
        assertThat(other.prefixAccuracy()).containsExactly(local.prefixAccuracy());
    }
}
