package dev.fusionledger.spark.app;

import dev.fusionledger.fusion.FusionData;
import dev.fusionledger.fusion.SyntheticTask;
import dev.fusionledger.spark.FusionFrames;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A {@link SyntheticTask} drawn on the executors: partition p holds the rows of
 * {@code task.sample(rowsOf(p), drawSeed * 1_000_003 + p)}, so N can exceed what the driver holds
 * and anyone can regenerate the same rows ({@link #partitionData}).
 *
 * @param models      n
 * @param featureSize |f_i|
 * @param classes     d
 * @param subsetSize  classes each model knows
 * @param signal      score at the true class
 * @param noise       score noise
 * @param taskSeed    the task's seed
 */
public record SyntheticFrames(int models, int featureSize, int classes, int subsetSize, float signal, float noise,
                              long taskSeed) implements Serializable {

    SyntheticTask task() {
        return new SyntheticTask(models, featureSize, classes, subsetSize, signal, noise, taskSeed);
    }

    /** Rows of partition p when N rows are spread over P partitions (the first N mod P get one more). */
    static int rowsOf(long rows, int partitions, int p) {
        return (int) (rows / partitions + (p < rows % partitions ? 1 : 0));
    }

    /**
     * @return the rows of partition p as the fusion engine's data
     */
    public FusionData partitionData(long rows, int partitions, long drawSeed, int p) {
        return task().sample(rowsOf(rows, partitions, p), drawSeed * 1_000_003L + p);
    }

    /**
     * @param spark      session
     * @param rows       N
     * @param partitions P
     * @param drawSeed   seeds this draw
     * @return the DataFrame {@code (features, label)} generated on the executors
     */
    public Dataset<Row> frame(SparkSession spark, long rows, int partitions, long drawSeed) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Integer> parts = IntStream.range(0, partitions).boxed().toList();
        SyntheticFrames self = this;
        return spark.createDataFrame(sc.parallelize(parts, partitions).flatMap(p -> {
            FusionData d = self.partitionData(rows, partitions, drawSeed, p);
            float[] fc = d.concatenated();
            int f = d.totalFeatures();
            int[] y = d.labels();
            List<Row> out = new ArrayList<>(d.rows());
            for (int r = 0; r < d.rows(); r++) {
                double[] v = new double[f];
                for (int k = 0; k < f; k++) {
                    v[k] = fc[r * f + k];
                }
                out.add(RowFactory.create(Vectors.dense(v), (double) y[r]));
            }
            return out.iterator();
        }), FusionFrames.schema(models * featureSize, classes));
    }
}
