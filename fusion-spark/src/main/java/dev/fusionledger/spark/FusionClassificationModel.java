package dev.fusionledger.spark;

import dev.fusionledger.fusion.FusionModel;
import dev.fusionledger.fusion.backend.ComputeBackend;
import dev.fusionledger.fusion.backend.CpuBlasBackend;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fitted fusion (A, B, shapes and provenance: a {@link FusionModel}) as a Spark ML
 * {@code Transformer}: adds the raw prediction (logits Z = FC A B, {@code [d]}), probability
 * (softmax of Z) and prediction (arg max, or the thresholds' rule) columns for a features column of
 * concatenated model outputs. Saved with {@code write().save(path)}: Spark's metadata JSON plus the
 * fusion-engine model file (format "FLFM" v1, the same bytes as {@link FusionModel#save}) at
 * {@code path/data/fusion-model.flfm}; {@link #load} checks the file's SHA-256 against the metadata.
 */
public final class FusionClassificationModel
        extends ProbabilisticClassificationModel<Vector, FusionClassificationModel> implements MLWritable {
    private static final long serialVersionUID = 1L;

    /** Not final, no initialiser: read by the Scala parents' constructors (see {@link PendingUid}). */
    private String uid;
    /** The model file bytes travel with the stage (FusionModel is not Serializable). */
    private final byte[] modelBytes;
    private transient FusionModel model;
    private final float[] a;
    private final float[] b;
    private final int f;
    private final int l;
    private final int d;
    private transient ComputeBackend backend;
    private transient FusionTrainingSummary summary;

    /**
     * @param uid   stage uid
     * @param model the fitted fusion
     */
    public FusionClassificationModel(String uid, FusionModel model) {
        this(PendingUid.stash(uid), model, null);
    }

    private FusionClassificationModel(String uid, FusionModel model, Void parentsBuilt) {
        this.uid = uid;
        PendingUid.clear();
        this.model = model;
        this.modelBytes = model.toBytes();
        this.a = model.a();
        this.b = model.b();
        this.d = model.classes();
        this.f = java.util.Arrays.stream(model.featureSizes()).sum();
        this.l = java.util.Arrays.stream(model.labelCounts()).sum();
    }

    /**
     * Wraps a fusion-engine model (e.g. one trained by the gRPC service).
     *
     * @param model the model
     * @return a Spark model with default columns
     */
    public static FusionClassificationModel fromFusionModel(FusionModel model) {
        return new FusionClassificationModel(Identifiable$.MODULE$.randomUID("fusionmodel"), model);
    }

    /**
     * Reads a fusion-engine model file ("FLFM").
     *
     * @param file the file
     * @return the Spark model
     * @throws UncheckedIOException when it cannot be read
     * @throws dev.fusionledger.fusion.InvalidInputException when it is not a model file
     */
    public static FusionClassificationModel fromFusionModelFile(Path file) {
        return fromFusionModel(FusionModel.load(file));
    }

    /** @return the fusion-engine model (weights, shapes, provenance) */
    public FusionModel toFusionModel() {
        if (model == null) {
            model = FusionModel.fromBytes(modelBytes);
        }
        return model;
    }

    /**
     * Writes the fusion-engine model file; its SHA-256 is {@code toFusionModel().sha256()}.
     *
     * @param file destination
     * @throws UncheckedIOException when it cannot be written
     */
    public void saveFusionModelFile(Path file) {
        try {
            Files.write(file, modelBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void setSummary(FusionTrainingSummary s) {
        this.summary = s;
    }

    /**
     * @return the figures of the fit that produced this model, when it was fitted in this JVM (not
     *         after {@link #load} or a conversion)
     */
    public java.util.Optional<FusionTrainingSummary> fitSummary() {
        return java.util.Optional.ofNullable(summary);
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = PendingUid.get();
        }
        return uid;
    }

    @Override
    public int numClasses() {
        return d;
    }

    @Override
    public int numFeatures() {
        return f;
    }

    private ComputeBackend backend() {
        if (backend == null) {
            backend = new CpuBlasBackend();
        }
        return backend;
    }

    /** Logits {@code z = x A B} for one row, with the fusion engine's GEMM kernel. */
    @Override
    public Vector predictRaw(Vector features) {
        if (features.size() != f) {
            throw new IllegalArgumentException("features: vector of size " + features.size() + ", the model needs "
                    + f + " (sum of featureSizes)");
        }
        float[] x = new float[f];
        for (int k = 0; k < f; k++) {
            x[k] = (float) features.apply(k);
        }
        float[] h = new float[l];
        float[] z = new float[d];
        ComputeBackend be = backend();
        be.gemm(false, false, 1, l, f, 1f, x, f, a, l, 0f, h, l);
        be.gemm(false, false, 1, d, l, 1f, h, l, b, d, 0f, z, d);
        double[] out = new double[d];
        for (int j = 0; j < d; j++) {
            out[j] = z[j];
        }
        return Vectors.dense(out);
    }

    /** Softmax in place (max subtracted), as {@link FusionModel#probabilities}. */
    @Override
    public Vector raw2probabilityInPlace(Vector rawPrediction) {
        if (!(rawPrediction instanceof DenseVector dv)) {
            throw new IllegalArgumentException("rawPrediction: expected a dense vector, got " + rawPrediction);
        }
        double[] v = dv.values();
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            max = Math.max(max, x);
        }
        double sum = 0;
        for (int j = 0; j < v.length; j++) {
            v[j] = Math.exp(v[j] - max);
            sum += v[j];
        }
        for (int j = 0; j < v.length; j++) {
            v[j] /= sum;
        }
        return dv;
    }

    @Override
    public FusionClassificationModel copy(ParamMap extra) {
        FusionClassificationModel c = copyValues(new FusionClassificationModel(uid, toFusionModel()), extra);
        return c.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new FusionModelPersistence.Writer(this);
    }

    /** @return the ML persistence reader */
    public static MLReader<FusionClassificationModel> read() {
        return new FusionModelPersistence.Reader();
    }

    /**
     * @param path a directory written by {@code write().save(path)}
     * @return the model, params included
     * @throws IllegalStateException when the model file does not match the metadata's SHA-256
     */
    public static FusionClassificationModel load(String path) {
        return read().load(path);
    }

    /** No training summary (both Scala parents declare this method; Java needs the choice made). */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public scala.Tuple3 findSummaryModel() {
        return super.findSummaryModel();
    }

    @Override
    public String toString() {
        return "FusionClassificationModel: uid=" + uid + ", models=" + toFusionModel().models() + ", numFeatures=" + f
                + ", numClasses=" + d + ", sha256=" + toFusionModel().sha256();
    }
}
