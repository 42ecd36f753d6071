package dev.fusionledger.spark;

import dev.fusionledger.fusion.FusionData;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/** Conversions between the fusion engine's {@link FusionData} and the DataFrames of {@link FusionClassifier}. */
public final class FusionFrames {
    /** Column of the concatenated model outputs. */
    public static final String FEATURES = "features";
    /** Column of the class index (double). */
    public static final String LABEL = "label";

    private FusionFrames() {
    }

    /** @return the schema {@code features: vector, label: double}, without ML attributes */
    public static StructType schema() {
        return new StructType(new StructField[] {
            new StructField(FEATURES, SQLDataTypes.VectorType(), false, Metadata.empty()),
            new StructField(LABEL, DataTypes.DoubleType, false, Metadata.empty())});
    }

    /**
     * The schema with Spark ML attributes: the features vector's size and the label's number of
     * classes, so that a fit needs no pass over the data to find them.
     *
     * @param features {@code sum |f_i|}
     * @param classes  d
     * @return the schema
     */
    public static StructType schema(int features, int classes) {
        return new StructType(new StructField[] {
            new StructField(FEATURES, SQLDataTypes.VectorType(), false,
                    new AttributeGroup(FEATURES, features).toMetadata()),
            new StructField(LABEL, DataTypes.DoubleType, false,
                    NominalAttribute.defaultAttr().withName(LABEL).withNumValues(classes).toMetadata())});
    }

    /**
     * Rows of the data set as {@code (features = concat(f_1 … f_n), label)}; the rows travel from
     * the driver, so this is for data sets that fit one JVM (tests, the gRPC delegation).
     *
     * @param spark session
     * @param data  labelled data
     * @param slices partitions of the result, at least 1
     * @return the DataFrame, in row order
     * @throws IllegalArgumentException when the data has no labels
     */
    public static Dataset<Row> toDataFrame(SparkSession spark, FusionData data, int slices) {
        if (!data.hasLabels()) {
            throw new IllegalArgumentException("labels: the DataFrame needs labelled data");
        }
        float[] fc = data.concatenated();
        int f = data.totalFeatures();
        int[] y = data.labels();
        List<Row> rows = new ArrayList<>(data.rows());
        for (int r = 0; r < data.rows(); r++) {
            double[] v = new double[f];
            for (int k = 0; k < f; k++) {
                v[k] = fc[r * f + k];
            }
            rows.add(RowFactory.create(Vectors.dense(v), (double) y[r]));
        }
        return spark.createDataFrame(
                new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext()).parallelize(rows, slices),
                schema(f, data.classes()));
    }
}
