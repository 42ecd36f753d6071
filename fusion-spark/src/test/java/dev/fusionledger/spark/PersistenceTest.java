package dev.fusionledger.spark;

import dev.fusionledger.fusion.FusionConfig;
import dev.fusionledger.fusion.FusionData;
import dev.fusionledger.fusion.FusionModel;
import dev.fusionledger.fusion.FusionTrainer;
import dev.fusionledger.fusion.SyntheticTask;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ML persistence round trips and FusionModel file conversions. */
class PersistenceTest {
    private static final SyntheticTask TASK = new SyntheticTask(3, 6, 6, 3, 3f, 0.8f, 5);
    private static final FusionData TRAIN = TASK.sample(900, 1);
    private static final FusionData TEST = TASK.sample(300, 2);

    private static FusionClassifier classifier() {
        return new FusionClassifier().setFeatureSizes(TRAIN.featureSizes()).setStage1Epochs(3).setStage2Epochs(2)
                .setBatchSize(300).setLearningRate(0.03f).setSeed(9);
    }

    private static List<Double> predictions(Dataset<Row> df) {
        return df.select("prediction").collectAsList().stream().map(r -> r.getDouble(0)).toList();
    }

    @Test
    void modelRoundTripKeepsWeightsParamsAndProvenance(@TempDir Path dir) throws Exception {
        SparkSession spark = LocalSpark.get();
        Dataset<Row> test = FusionFrames.toDataFrame(spark, TEST, 1);
        FusionClassificationModel model = classifier().fit(FusionFrames.toDataFrame(spark, TRAIN, 2))
                .setProbabilityCol("p");
        String path = dir.resolve("model").toString();
        model.write().save(path);

        FusionClassificationModel loaded = FusionClassificationModel.load(path);
        assertThat(loaded.uid()).isEqualTo(model.uid());
        assertThat(loaded.getProbabilityCol()).isEqualTo("p");
        assertThat(loaded.toFusionModel().sha256()).isEqualTo(model.toFusionModel().sha256());
        assertThat(loaded.toFusionModel().provenance()).isEqualTo(model.toFusionModel().provenance());
        assertThat(predictions(loaded.transform(test))).isEqualTo(predictions(model.transform(test)));
        // the data file is the fusion-engine model file, byte for byte
        byte[] file = Files.readAllBytes(dir.resolve("model").resolve(FusionModelPersistence.DATA_FILE));
        assertThat(file).isEqualTo(model.toFusionModel().toBytes());
        assertThat(FusionModel.load(dir.resolve("model").resolve(FusionModelPersistence.DATA_FILE)).sha256())
                .isEqualTo(model.toFusionModel().sha256());
        String meta = Files.readString(Files.list(dir.resolve("model").resolve("metadata"))
                .filter(p -> p.getFileName().toString().startsWith("part-")).findFirst().orElseThrow());
        assertThat(meta).contains("\"fusionModelSha256\":\"" + model.toFusionModel().sha256() + "\"")
                .contains("\"trainingSha256\":\"" + model.toFusionModel().provenance().trainingSha256() + "\"");

        // saving over an existing model needs overwrite()
        assertThatThrownBy(() -> model.write().save(path)).hasMessageContaining("already exists");
        model.write().overwrite().save(path);
    }

    @Test
    void alteredModelFileIsRefused(@TempDir Path dir) throws Exception {
        SparkSession spark = LocalSpark.get();
        FusionModel other = new FusionTrainer().train(TRAIN, FusionConfig.builder().stage1Epochs(1).stage2Epochs(0)
                .seed(1).build());
        FusionClassificationModel model = classifier().fit(FusionFrames.toDataFrame(spark, TRAIN, 2));
        String path = dir.resolve("m").toString();
        model.write().save(path);
        other.save(dir.resolve("m").resolve(FusionModelPersistence.DATA_FILE));
        // an edit with plain tools leaves no Hadoop checksum beside the file
        Files.deleteIfExists(dir.resolve("m").resolve("data").resolve(".fusion-model.flfm.crc"));
        assertThatThrownBy(() -> FusionClassificationModel.load(path)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("differs from the metadata's fusionModelSha256");
    }

    @Test
    void fusionModelFilesConvertBothWays(@TempDir Path dir) {
        SparkSession spark = LocalSpark.get();
        FusionModel engine = new FusionTrainer().train(TRAIN, FusionConfig.builder().stage1Epochs(3).stage2Epochs(2)
                .seed(2).build());
        Path file = dir.resolve("engine.flfm");
        engine.save(file);
        FusionClassificationModel spk = FusionClassificationModel.fromFusionModelFile(file);
        int[] expected = engine.predict(TEST);
        List<Double> got = predictions(spk.transform(FusionFrames.toDataFrame(spark, TEST, 2)));
        assertThat(got).isEqualTo(Arrays.stream(expected).mapToDouble(i -> i).boxed().toList());
        Path back = dir.resolve("back.flfm");
        spk.saveFusionModelFile(back);
        assertThat(FusionModel.load(back).sha256()).isEqualTo(engine.sha256());
        // probabilities match the engine's
        List<Row> rows = spk.transform(FusionFrames.toDataFrame(spark, TEST, 1)).select("probability").collectAsList();
        float[] p = engine.probabilities(TEST);
        double[] first = ((org.apache.spark.ml.linalg.Vector) rows.get(0).get(0)).toArray();
        for (int j = 0; j < first.length; j++) {
            assertThat(first[j]).isCloseTo(p[j], org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void classifierAndPipelineRoundTrip(@TempDir Path dir) throws Exception {
        SparkSession spark = LocalSpark.get();
        FusionClassifier c = classifier().setStrategy("I").setEpochs(4).setL2(0.001f);
        c.write().save(dir.resolve("c").toString());
        FusionClassifier loaded = FusionClassifier.load(dir.resolve("c").toString());
        assertThat(loaded.uid()).isEqualTo(c.uid());
        assertThat(loaded.toConfig()).isEqualTo(c.toConfig());
        assertThat(loaded.getOrDefault(loaded.featureSizes())).containsExactly(TRAIN.featureSizes());

        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {c});
        PipelineModel fitted = pipeline.fit(FusionFrames.toDataFrame(spark, TRAIN, 2));
        fitted.write().save(dir.resolve("p").toString());
        PipelineModel again = PipelineModel.load(dir.resolve("p").toString());
        Dataset<Row> test = FusionFrames.toDataFrame(spark, TEST, 1);
        assertThat(predictions(again.transform(test))).isEqualTo(predictions(fitted.transform(test)));
        assertThat(((FusionClassificationModel) again.stages()[0]).toFusionModel().provenance().config())
                .isEqualTo(c.toConfig());
    }
}
