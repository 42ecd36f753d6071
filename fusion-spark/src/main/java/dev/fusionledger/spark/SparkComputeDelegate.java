package dev.fusionledger.spark;

import dev.fusionledger.fusion.ContributionScorer;
import dev.fusionledger.fusion.FusionConfig;
import dev.fusionledger.fusion.FusionData;
import dev.fusionledger.fusion.FusionEngine;
import dev.fusionledger.fusion.FusionModel;
import dev.fusionledger.fusion.Progress;
import dev.fusionledger.fusion.Provenance;
import dev.fusionledger.fusion.server.ComputeDelegate;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@code fusion-engine serve --spark-master spark://…}: the fusion engine's JVM becomes the driver
 * of a Spark application on that cluster; large {@code Train} requests are fitted by
 * {@link FusionClassifier} and the coalitions of large {@code ScoreContributions} requests run as
 * Spark tasks ({@link SparkContributionScorer}). The requests' rows arrive over gRPC, so they
 * travel from this driver to the executors. Ports: the driver listens on
 * {@code FUSIONLEDGER_SPARK_PORT_BASE + 30} and its block manager from {@code + 60} (docs/spark.md);
 * any {@code -Dspark.*} system property configures the application further.
 */
public final class SparkComputeDelegate implements ComputeDelegate {
    private static final Logger LOG = LoggerFactory.getLogger(SparkComputeDelegate.class);
    private final SparkSession spark;
    private final boolean ownSession;
    private final String master;
    private final long threshold;
    private final AtomicInteger trainings = new AtomicInteger();
    private final AtomicInteger scorings = new AtomicInteger();

    /**
     * @param master          spark://host:port or local[N]
     * @param thresholdValues requests with at least this many training values are delegated, &ge; 0
     * @throws IllegalArgumentException when the threshold is negative
     */
    public SparkComputeDelegate(String master, long thresholdValues) {
        if (thresholdValues < 0) {
            throw new IllegalArgumentException("thresholdValues: must be >= 0, got " + thresholdValues);
        }
        this.master = master;
        this.threshold = thresholdValues;
        boolean existing = SparkSession.getDefaultSession().isDefined();
        int base = Integer.parseInt(System.getenv().getOrDefault("FUSIONLEDGER_SPARK_PORT_BASE", "15000"));
        SparkSession.Builder b = SparkSession.builder().master(master).appName("fusion-engine")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.port", String.valueOf(base + 30))
                .config("spark.blockManager.port", String.valueOf(base + 60))
                .config("spark.port.maxRetries", "16").config("spark.ui.enabled", "false");
        Path jar = ownJar();
        if (jar != null && !master.startsWith("local")) {
            b.config("spark.jars", jar.toString());
        }
        this.spark = b.getOrCreate();
        this.ownSession = !existing;
        LOG.info("Spark application {} on {} (threshold {} training values)", spark.sparkContext().applicationId(),
                master, threshold);
    }

    /** The jar this class came from (fusion-spark-app.jar), shipped to the executors. */
    private static Path ownJar() {
        try {
            Path p = Path.of(SparkComputeDelegate.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return p.toString().endsWith(".jar") ? p : null;
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public String name() {
        return master + " (" + spark.sparkContext().applicationId() + ")";
    }

    @Override
    public boolean accepts(long values) {
        return values >= threshold;
    }

    /** @return trainings run on Spark so far */
    public int trainings() {
        return trainings.get();
    }

    /** @return scorings whose coalitions ran on Spark so far */
    public int scorings() {
        return scorings.get();
    }

    @Override
    public FusionModel train(FusionData train, FusionConfig config, Consumer<Progress> listener,
                             BooleanSupplier cancelled) {
        trainings.incrementAndGet();
        FusionClassifier est = new FusionClassifier().setFeatureSizes(train.featureSizes())
                .setLabelCounts(train.labelCounts()).setConfig(config);
        long[] seen = {0};
        est.setEpochListener(r -> {
            seen[0] += r.rowsSeen();
            listener.accept(new Progress(r.stage(), r.epoch(), r.meanLoss(), r.accuracy(), Double.NaN, seen[0]));
        });
        est.setCancellation(cancelled);
        int slices = Math.max(1, spark.sparkContext().defaultParallelism());
        FusionModel m = est.fit(FusionFrames.toDataFrame(spark, train, slices)).toFusionModel();
        // the gRPC API names the training data by FusionData.sha256(), which this driver can compute
        return new FusionModel(m.a(), m.b(), m.featureSizes(), m.labelCounts(), m.classes(),
                new Provenance(config, train.sha256(), FusionEngine.VERSION));
    }

    @Override
    public ContributionScorer.CoalitionEvaluator coalitions() {
        SparkContributionScorer scorer = new SparkContributionScorer(JavaSparkContext.fromSparkContext(
                spark.sparkContext()));
        return (train, test, config, masks, cancelled) -> {
            scorings.incrementAndGet();
            return scorer.values(train, test, config, masks, cancelled);
        };
    }

    @Override
    public void close() {
        if (ownSession) {
            spark.stop();
        }
    }

    /** The {@link java.util.ServiceLoader} entry: serves {@code spark://} and {@code local} addresses. */
    public static final class Factory implements ComputeDelegate.Factory {
        @Override
        public ComputeDelegate create(String address, long thresholdValues) {
            if (!address.startsWith("spark://") && !address.startsWith("local")) {
                return null;
            }
            return new SparkComputeDelegate(address, thresholdValues);
        }
    }
}
