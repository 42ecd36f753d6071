package dev.fusionledger.spark;

import dev.fusionledger.fusion.FusionConfig;
import dev.fusionledger.fusion.FusionModel;
import dev.fusionledger.fusion.InvalidInputException;
import dev.fusionledger.fusion.Strategy;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.FloatParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Function1;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The early fusion of Mendis et al. (Section III-B; docs/fusion.md) as a Spark ML
 * {@code Estimator}: fits A and B on a DataFrame whose features column holds the concatenated model
 * outputs FC = concat(f_1 … f_n) (a {@code Vector} of {@code sum featureSizes} values) and whose
 * label column holds class indexes {@code 0..d-1}. Gradients are computed per partition with the
 * fusion engine's CPU kernels and combined with {@code treeAggregate}; the Adam step runs on the
 * driver (docs/spark.md).
 *
 * <table>
 * <caption>Params (defaults and ranges as {@link FusionConfig} unless said otherwise)</caption>
 * <tr><th>param</th><th>default</th><th>range</th></tr>
 * <tr><td>featureSizes</td><td>required</td><td>1..64 entries, each &ge; 1: |f_i| per model</td></tr>
 * <tr><td>labelCounts</td><td>every |l_i| = d</td><td>one per model, 1..65536 (Strategy II: all = d)</td></tr>
 * <tr><td>strategy</td><td>II</td><td>I | II</td></tr>
 * <tr><td>epochs / stage1Epochs / stage2Epochs</td><td>20 / 10 / 10</td><td>1..10000 / 1..10000 / 0..10000</td></tr>
 * <tr><td>batchSize (rows per step, expected)</td><td>4096</td><td>1..1048576</td></tr>
 * <tr><td>learningRate</td><td>0.01</td><td>(0, 10]</td></tr>
 * <tr><td>beta1, beta2</td><td>0.9, 0.999</td><td>[0, 1)</td></tr>
 * <tr><td>epsilon</td><td>1e-7</td><td>(0, 1]</td></tr>
 * <tr><td>l2</td><td>0</td><td>[0, 1]</td></tr>
 * <tr><td>seed</td><td>0</td><td>any long</td></tr>
 * <tr><td>aggregationDepth</td><td>2</td><td>&ge; 2</td></tr>
 * </table>
 * A bad value is refused when it is set ({@code IllegalArgumentException} naming the param and the
 * value); the combination (label counts vs feature sizes, Strategy II and d, vector size) is checked
 * before any Spark job runs.
 */
public final class FusionClassifier extends ProbabilisticClassifier<Vector, FusionClassifier, FusionClassificationModel>
        implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FusionClassifier.class);
    private static final FusionConfig DEFAULTS = FusionConfig.builder().build();
    /** Default rows per optimisation step: each step is a Spark job, so larger than the single-JVM default. */
    public static final int DEFAULT_BATCH_SIZE = 4096;

    /**
     * Not final and without initialiser: the Scala parents create their params (featuresCol, ...)
     * in their constructors, which run before this class's fields are assigned, and those params
     * read {@link #uid()}; see {@link PendingUid}.
     */
    private String uid;
    private final Param<String> strategy;
    private final IntParam epochs;
    private final IntParam stage1Epochs;
    private final IntParam stage2Epochs;
    private final IntParam batchSize;
    private final FloatParam learningRate;
    private final FloatParam beta1;
    private final FloatParam beta2;
    private final FloatParam epsilon;
    private final FloatParam l2;
    private final LongParam seed;
    private final IntArrayParam featureSizes;
    private final IntArrayParam labelCounts;
    private final IntParam aggregationDepth;
    private transient Consumer<DistributedTrainer.EpochReport> listener = r -> { };
    private transient java.util.function.BooleanSupplier cancelled = () -> false;

    /** A classifier with a random uid. */
    public FusionClassifier() {
        this(Identifiable$.MODULE$.randomUID("fusion"));
    }

    /** @param uid the stage's uid (ML persistence calls this constructor) */
    public FusionClassifier(String uid) {
        this(PendingUid.stash(uid), null);
    }

    private FusionClassifier(String uid, Void parentsBuilt) {
        this.uid = uid;
        PendingUid.clear();
        strategy = new Param<>(this, "strategy", "fusion strategy: I (A, B random, all trained) or II (block-diagonal"
                + " A and stacked identities B, stage 1 masked, then all)",
                ParamValidators.inArray(new String[] {"I", "II"}));
        epochs = new IntParam(this, "epochs", "Strategy I epochs (1..10000)",
                ParamValidators.inRange(1, FusionConfig.MAX_EPOCHS));
        stage1Epochs = new IntParam(this, "stage1Epochs", "Strategy II stage-1 epochs, gamma = 0 (1..10000)",
                ParamValidators.inRange(1, FusionConfig.MAX_EPOCHS));
        stage2Epochs = new IntParam(this, "stage2Epochs", "Strategy II stage-2 epochs, gamma = 1 (0..10000)",
                ParamValidators.inRange(0, FusionConfig.MAX_EPOCHS));
        batchSize = new IntParam(this, "batchSize", "expected rows per optimisation step (1..1048576); an epoch "
                + "has ceil(N / batchSize) steps", ParamValidators.inRange(1, FusionConfig.MAX_BATCH));
        learningRate = new FloatParam(this, "learningRate", "Adam learning rate, (0, 10]",
                ParamValidators.inRange(0, 10, false, true));
        beta1 = new FloatParam(this, "beta1", "Adam first-moment decay, [0, 1)",
                ParamValidators.inRange(0, 1, true, false));
        beta2 = new FloatParam(this, "beta2", "Adam second-moment decay, [0, 1)",
                ParamValidators.inRange(0, 1, true, false));
        epsilon = new FloatParam(this, "epsilon", "Adam epsilon, (0, 1]", ParamValidators.inRange(0, 1, false, true));
        l2 = new FloatParam(this, "l2", "L2 penalty l2/2 (||A_eff||^2 + ||B_eff||^2), [0, 1]",
                ParamValidators.inRange(0, 1));
        seed = new LongParam(this, "seed", "seeds the initial weights and the mini-batch sampling");
        featureSizes = new IntArrayParam(this, "featureSizes", "|f_i| of each model, in the order of the features "
                + "vector (1..64 models, each >= 1)", sizesValidator(64));
        labelCounts = new IntArrayParam(this, "labelCounts", "|l_i| (hidden units) of each model, 1..65536; default d",
                sizesValidator(64));
        aggregationDepth = new IntParam(this, "aggregationDepth", "depth of treeAggregate (>= 2)",
                ParamValidators.gtEq(2));
        setDefault(strategy, DEFAULTS.strategy().name());
        setDefault(epochs, DEFAULTS.epochs());
        setDefault(stage1Epochs, DEFAULTS.stage1Epochs());
        setDefault(stage2Epochs, DEFAULTS.stage2Epochs());
        setDefault(batchSize, DEFAULT_BATCH_SIZE);
        setDefault(learningRate, DEFAULTS.learningRate());
        setDefault(beta1, DEFAULTS.beta1());
        setDefault(beta2, DEFAULTS.beta2());
        setDefault(epsilon, DEFAULTS.epsilon());
        setDefault(l2, DEFAULTS.l2());
        setDefault(seed, DEFAULTS.seed());
        setDefault(aggregationDepth, 2);
    }

    @SuppressWarnings("unchecked")
    private static Function1<int[], Object> sizesValidator(int maxModels) {
        return (Function1<int[], Object> & Serializable) v -> v != null && v.length >= 1 && v.length <= maxModels
                && Arrays.stream(v).allMatch(x -> x >= 1 && x <= 65536);
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = PendingUid.get();
        }
        return uid;
    }

    // ---- params ------------------------------------------------------------------------------

    /** @return the strategy param ("I" or "II") */
    public Param<String> strategy() { return strategy; }
    /** @return Strategy I epochs */
    public IntParam epochs() { return epochs; }
    /** @return Strategy II stage-1 epochs */
    public IntParam stage1Epochs() { return stage1Epochs; }
    /** @return Strategy II stage-2 epochs */
    public IntParam stage2Epochs() { return stage2Epochs; }
    /** @return rows per step */
    public IntParam batchSize() { return batchSize; }
    /** @return Adam learning rate */
    public FloatParam learningRate() { return learningRate; }
    /** @return Adam beta1 */
    public FloatParam beta1() { return beta1; }
    /** @return Adam beta2 */
    public FloatParam beta2() { return beta2; }
    /** @return Adam epsilon */
    public FloatParam epsilon() { return epsilon; }
    /** @return L2 coefficient */
    public FloatParam l2() { return l2; }
    /** @return seed */
    public LongParam seed() { return seed; }
    /** @return |f_i| per model */
    public IntArrayParam featureSizes() { return featureSizes; }
    /** @return |l_i| per model */
    public IntArrayParam labelCounts() { return labelCounts; }
    /** @return treeAggregate depth */
    public IntParam aggregationDepth() { return aggregationDepth; }

    /** @param v "I" or "II" @return this */
    public FusionClassifier setStrategy(String v) { return (FusionClassifier) set(strategy, v); }
    /** @param v Strategy I epochs @return this */
    public FusionClassifier setEpochs(int v) { return (FusionClassifier) set(epochs, v); }
    /** @param v stage-1 epochs @return this */
    public FusionClassifier setStage1Epochs(int v) { return (FusionClassifier) set(stage1Epochs, v); }
    /** @param v stage-2 epochs @return this */
    public FusionClassifier setStage2Epochs(int v) { return (FusionClassifier) set(stage2Epochs, v); }
    /** @param v rows per step @return this */
    public FusionClassifier setBatchSize(int v) { return (FusionClassifier) set(batchSize, v); }
    /** @param v learning rate @return this */
    public FusionClassifier setLearningRate(float v) { return (FusionClassifier) set(learningRate, v); }
    /** @param v beta1 @return this */
    public FusionClassifier setBeta1(float v) { return (FusionClassifier) set(beta1, v); }
    /** @param v beta2 @return this */
    public FusionClassifier setBeta2(float v) { return (FusionClassifier) set(beta2, v); }
    /** @param v epsilon @return this */
    public FusionClassifier setEpsilon(float v) { return (FusionClassifier) set(epsilon, v); }
    /** @param v L2 coefficient @return this */
    public FusionClassifier setL2(float v) { return (FusionClassifier) set(l2, v); }
    /** @param v seed @return this */
    public FusionClassifier setSeed(long v) { return (FusionClassifier) set(seed, v); }
    /** @param v |f_i| per model @return this */
    public FusionClassifier setFeatureSizes(int... v) { return (FusionClassifier) set(featureSizes, v); }
    /** @param v |l_i| per model @return this */
    public FusionClassifier setLabelCounts(int... v) { return (FusionClassifier) set(labelCounts, v); }
    /** @param v treeAggregate depth @return this */
    public FusionClassifier setAggregationDepth(int v) { return (FusionClassifier) set(aggregationDepth, v); }

    /**
     * Sets every training hyper-parameter from a fusion-engine config (early stopping is not
     * available on Spark and must be 0).
     *
     * @param c the config
     * @return this
     * @throws IllegalArgumentException when {@code c.earlyStoppingPatience() != 0}
     */
    public FusionClassifier setConfig(FusionConfig c) {
        if (c.earlyStoppingPatience() != 0) {
            throw new IllegalArgumentException("earlyStoppingPatience: not supported by FusionClassifier, got "
                    + c.earlyStoppingPatience());
        }
        return setStrategy(c.strategy().name()).setEpochs(c.epochs()).setStage1Epochs(c.stage1Epochs())
                .setStage2Epochs(c.stage2Epochs()).setBatchSize(c.batchSize()).setLearningRate(c.learningRate())
                .setBeta1(c.beta1()).setBeta2(c.beta2()).setEpsilon(c.epsilon()).setL2(c.l2()).setSeed(c.seed());
    }

    /**
     * The fusion-engine config these params describe (recorded in the model's provenance).
     *
     * @return the config
     * @throws IllegalArgumentException naming the param when the config refuses a value
     */
    public FusionConfig toConfig() {
        try {
            return FusionConfig.builder().strategy(Strategy.valueOf($(strategy))).epochs(getInt(epochs))
                    .stage1Epochs(getInt(stage1Epochs)).stage2Epochs(getInt(stage2Epochs)).batchSize(getInt(batchSize))
                    .learningRate(getFloat(learningRate)).beta1(getFloat(beta1)).beta2(getFloat(beta2))
                    .epsilon(getFloat(epsilon)).l2(getFloat(l2)).seed((Long) $(seed)).build();
        } catch (InvalidInputException e) {
            throw new IllegalArgumentException(uid + " " + e.getMessage(), e);
        }
    }

    private int getInt(IntParam p) {
        return (Integer) $(p);
    }

    private float getFloat(FloatParam p) {
        return (Float) $(p);
    }

    /** Polled before every optimisation step on the driver (not persisted); true stops the fit. */
    void setCancellation(java.util.function.BooleanSupplier c) {
        this.cancelled = c;
    }

    /** Receives one report per epoch on the driver (not persisted). */
    void setEpochListener(Consumer<DistributedTrainer.EpochReport> l) {
        this.listener = l;
    }

    /**
     * Checks the params together, for a data set of {@code vectorSize} features (-1: unknown) and
     * {@code d} classes; {@code strategyRule}: also Strategy II's |l_i| = d.
     *
     * @return |l_i| per model
     * @throws IllegalArgumentException naming the param and its value
     */
    int[] checkShapes(int vectorSize, int d, boolean strategyRule) {
        if (!isDefined(featureSizes)) {
            throw new IllegalArgumentException(uid + " parameter featureSizes must be set (|f_i| per model)");
        }
        int[] fs = $(featureSizes);
        int f = Arrays.stream(fs).sum();
        if (vectorSize >= 0 && vectorSize != f) {
            throw new IllegalArgumentException(uid + " parameter featureSizes " + Arrays.toString(fs) + " sums to " + f
                    + " but column " + $(featuresCol()) + " holds vectors of size " + vectorSize);
        }
        int[] lc;
        if (isDefined(labelCounts)) {
            lc = $(labelCounts);
            if (lc.length != fs.length) {
                throw new IllegalArgumentException(uid + " parameter labelCounts " + Arrays.toString(lc) + " needs one"
                        + " entry per model (" + fs.length + ")");
            }
        } else {
            lc = new int[fs.length];
            Arrays.fill(lc, d);
        }
        if (strategyRule && "II".equals($(strategy))) {
            for (int i = 0; i < lc.length; i++) {
                if (lc[i] != d) {
                    throw new IllegalArgumentException(uid + " parameter labelCounts " + Arrays.toString(lc)
                            + ": Strategy II needs |l_" + i + "| = d = " + d);
                }
            }
        }
        return lc;
    }

    @Override
    public FusionClassificationModel train(Dataset<?> dataset) {
        checkShapes(-1, 2, false);
        FusionConfig config = toConfig();
        String featuresName = $(featuresCol());
        String labelName = $(labelCol());
        int d = getNumClasses(dataset, 1000);
        int[] fs = $(featureSizes);
        int f = Arrays.stream(fs).sum();
        int vectorSize = -1;
        try {
            scala.Option<Object> size = org.apache.spark.ml.util.MetadataUtils$.MODULE$.getNumFeatures(
                    dataset.schema().apply(featuresName));
            vectorSize = size.isDefined() ? (Integer) size.get() : -1;
        } catch (RuntimeException e) {
            LOG.debug("no size metadata on {}", featuresName);
        }
        if (vectorSize < 0) {
            // no ML attribute metadata: the first row tells the size (all rows are checked later)
            List<Row> first = dataset.select(featuresName).limit(1).collectAsList();
            if (!first.isEmpty() && !first.get(0).isNullAt(0)) {
                vectorSize = ((Vector) first.get(0).get(0)).size();
            }
        }
        int[] lc = checkShapes(vectorSize, d, true);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        Dataset<Row> rows = dataset.select(functions.col(featuresName), functions.col(labelName).cast("double"));
        long t0 = System.nanoTime();
        JavaRDD<RowBlock> blocks = rows.toJavaRDD().mapPartitionsWithIndex(
                (idx, it) -> toBlocks(idx, it, f, d), true).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<RowBlock.Digest> digests = blocks.map(RowBlock::digest).collect();
            long n = digests.stream().mapToLong(RowBlock.Digest::rows).sum();
            if (n == 0) {
                throw new IllegalArgumentException(uid + ": the training data set is empty");
            }
            DistributedTrainer.Shape shape = new DistributedTrainer.Shape(fs, lc, d, n,
                    DistributedTrainer.datasetSha256(digests));
            LOG.info("fusion on Spark: {} rows in {} blocks, {} models, |fc| = {}, d = {}, strategy {}", n,
                    digests.size(), fs.length, f, d, config.strategy());
            double prepare = (System.nanoTime() - t0) / 1e9;
            long[] steps = {0, 0};
            double[] last = {Double.NaN};
            long t1 = System.nanoTime();
            FusionModel model = DistributedTrainer.train(sc, blocks, shape, config, (Integer) $(aggregationDepth),
                    r -> {
                        steps[0] += r.steps();
                        steps[1] += r.rowsSeen();
                        last[0] = r.meanLoss();
                        listener.accept(r);
                    }, cancelled);
            double trainSeconds = (System.nanoTime() - t1) / 1e9;
            FusionTrainingSummary summary = new FusionTrainingSummary(n, digests.size(), prepare, trainSeconds,
                    steps[0], steps[1], last[0]);
            LOG.info("fusion on Spark: blocks ready in {} s, {} steps in {} s ({} rows/s)", String.format("%.1f",
                    prepare), steps[0], String.format("%.1f", trainSeconds), String.format("%.0f",
                    summary.samplesPerSecond()));
            FusionClassificationModel fitted = new FusionClassificationModel(
                    Identifiable$.MODULE$.randomUID("fusionmodel"), model);
            fitted.setSummary(summary);
            return copyValues(fitted, extractParamMap());
        } finally {
            blocks.unpersist(false);
        }
    }

    /** Stacks a partition's rows into blocks, checking each vector and label. */
    private static Iterator<RowBlock> toBlocks(int partition, Iterator<Row> it, int f, int d) {
        List<RowBlock> out = new ArrayList<>();
        int index = 0;
        while (it.hasNext()) {
            float[] x = new float[RowBlock.MAX_ROWS * f];
            int[] y = new int[RowBlock.MAX_ROWS];
            int r = 0;
            while (r < RowBlock.MAX_ROWS && it.hasNext()) {
                Row row = it.next();
                Vector v = row.getAs(0);
                if (v == null || row.isNullAt(1)) {
                    throw new IllegalArgumentException("features/label: null in partition " + partition);
                }
                if (v.size() != f) {
                    throw new IllegalArgumentException("features: vector of size " + v.size() + " in partition "
                            + partition + ", featureSizes sum to " + f);
                }
                double label = row.getDouble(1);
                if (label != Math.rint(label) || label < 0 || label >= d) {
                    throw new IllegalArgumentException("label: " + label + " in partition " + partition
                            + " is not a class index in 0.." + (d - 1));
                }
                for (int k = 0; k < f; k++) {
                    double value = v.apply(k);
                    if (!Double.isFinite(value)) {
                        throw new IllegalArgumentException("features: value " + value + " at index " + k
                                + " in partition " + partition + " is not finite");
                    }
                    x[r * f + k] = (float) value;
                }
                y[r] = (int) label;
                r++;
            }
            if (r < RowBlock.MAX_ROWS) {
                x = Arrays.copyOf(x, r * f);
                y = Arrays.copyOf(y, r);
            }
            out.add(new RowBlock(((long) partition << 32) | index++, r, f, x, y));
        }
        return out.iterator();
    }

    @Override
    public FusionClassifier copy(ParamMap extra) {
        FusionClassifier c = (FusionClassifier) defaultCopy(extra);
        c.listener = listener;
        c.cancelled = cancelled;
        return c;
    }

    @Override
    public MLWriter write() {
        return DefaultParamsWritable.super.write();
    }

    /** @return the ML persistence reader */
    public static MLReader<FusionClassifier> read() {
        return new DefaultParamsReader<>();
    }

    /**
     * @param path a directory written by {@code write().save(path)}
     * @return the classifier with its params
     */
    public static FusionClassifier load(String path) {
        return read().load(path);
    }
}
