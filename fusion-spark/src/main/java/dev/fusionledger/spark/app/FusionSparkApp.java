package dev.fusionledger.spark.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.fusionledger.fusion.ContributionReport;
import dev.fusionledger.fusion.ContributionScorer;
import dev.fusionledger.fusion.FusionConfig;
import dev.fusionledger.fusion.FusionData;
import dev.fusionledger.fusion.FusionEngine;
import dev.fusionledger.fusion.Strategy;
import dev.fusionledger.spark.FusionClassificationModel;
import dev.fusionledger.spark.FusionClassifier;
import dev.fusionledger.spark.FusionTrainingSummary;
import dev.fusionledger.spark.SparkContributionScorer;
import org.apache.spark.SparkExecutorInfo;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The application submitted to a Spark cluster ({@code spark-submit --class
 * dev.fusionledger.spark.app.FusionSparkApp fusion-spark-app.jar fit|score ...}): fits a fusion or
 * scores contributions on synthetic data and writes {@code result.json} (figures, the application
 * id, the executors) into {@code --out}. docs/spark.md lists the options and the result's fields.
 */
@Command(name = "fusion-spark", mixinStandardHelpOptions = true, version = "fusion-spark " + FusionEngine.VERSION,
        description = "Fusion training and contribution scoring on Spark (synthetic data).",
        subcommands = {FusionSparkApp.Fit.class, FusionSparkApp.Score.class, FusionSparkApp.Local.class})
public final class FusionSparkApp implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** @param args command line */
    public static void main(String[] args) {
        int rc = new CommandLine(new FusionSparkApp()).execute(args);
        if (rc != 0) {
            System.exit(rc);
        }
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 2;
    }

    /** Options of the synthetic task and the training config. */
    static final class Task {
        @Option(names = "--models", defaultValue = "10", description = "n models (default ${DEFAULT-VALUE})")
        int models;
        @Option(names = "--features", defaultValue = "64", description = "|f_i| (default ${DEFAULT-VALUE})")
        int features;
        @Option(names = "--classes", defaultValue = "10", description = "d (default ${DEFAULT-VALUE})")
        int classes;
        @Option(names = "--subset", defaultValue = "5", description = "classes each model knows (default ${DEFAULT-VALUE})")
        int subset;
        @Option(names = "--noise", defaultValue = "1.0", description = "score noise (default ${DEFAULT-VALUE})")
        float noise;
        @Option(names = "--task-seed", defaultValue = "2024", description = "task seed (default ${DEFAULT-VALUE})")
        long taskSeed;
        @Option(names = "--stage1-epochs", defaultValue = "1", description = "(default ${DEFAULT-VALUE})")
        int stage1;
        @Option(names = "--stage2-epochs", defaultValue = "1", description = "(default ${DEFAULT-VALUE})")
        int stage2;
        @Option(names = "--batch-size", defaultValue = "4096", description = "rows per step (default ${DEFAULT-VALUE})")
        int batch;
        @Option(names = "--learning-rate", defaultValue = "0.01", description = "(default ${DEFAULT-VALUE})")
        float lr;
        @Option(names = "--seed", defaultValue = "42", description = "training seed (default ${DEFAULT-VALUE})")
        long seed;
        @Option(names = "--out", required = true, description = "directory for result.json (and the model)")
        Path out;

        SyntheticFrames frames() {
            return new SyntheticFrames(models, features, classes, subset, 3f, noise, taskSeed);
        }

        FusionConfig config() {
            return FusionConfig.builder().strategy(Strategy.II).stage1Epochs(stage1).stage2Epochs(stage2)
                    .batchSize(batch).learningRate(lr).seed(seed).build();
        }
    }

    static Map<String, Object> common(SparkSession spark) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("applicationId", spark.sparkContext().applicationId());
        m.put("master", spark.sparkContext().master());
        m.put("sparkVersion", spark.version());
        m.put("engineVersion", FusionEngine.VERSION);
        m.put("driverBlas", new dev.fusionledger.fusion.backend.CpuBlasBackend().name());
        m.put("executorBlas", executorBlas(spark));
        return m;
    }

    /** The BLAS each executor's fusion kernels use (one task per core of the cluster). */
    static List<String> executorBlas(SparkSession spark) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int n = sc.defaultParallelism();
        return sc.parallelize(java.util.stream.IntStream.range(0, n).boxed().toList(), n)
                .map(i -> new dev.fusionledger.fusion.backend.CpuBlasBackend().name()).distinct().collect();
    }

    static List<Map<String, Object>> executors(SparkSession spark) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SparkExecutorInfo e : spark.sparkContext().statusTracker().getExecutorInfos()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", e.host());
            m.put("port", e.port());
            m.put("runningTasks", e.numRunningTasks());
            out.add(m);
        }
        return out;
    }

    static void write(Path out, Map<String, Object> result) throws Exception {
        Files.createDirectories(out);
        JSON.writeValue(out.resolve("result.json").toFile(), result);
        System.out.println(JSON.writeValueAsString(result));
    }

    /** {@code fit}: train on N synthetic rows generated on the executors, evaluate on a test draw. */
    @Command(name = "fit", mixinStandardHelpOptions = true, description = "Fit FusionClassifier on synthetic rows.")
    static final class Fit implements Callable<Integer> {
        @Mixin
        Task task = new Task();
        @Option(names = "--rows", defaultValue = "100000", description = "training rows N (default ${DEFAULT-VALUE})")
        long rows;
        @Option(names = "--test-rows", defaultValue = "10000", description = "test rows (default ${DEFAULT-VALUE})")
        long testRows;
        @Option(names = "--partitions", defaultValue = "0", description = "partitions, 0 = the cluster's cores")
        int partitions;
        @Option(names = "--save-model", negatable = true, defaultValue = "true",
                description = "save the model (ML persistence) and the FLFM file under --out")
        boolean saveModel;

        @Override
        public Integer call() throws Exception {
            SparkSession spark = SparkSession.builder().appName("fusion-spark fit").getOrCreate();
            try {
                int p = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
                SyntheticFrames frames = task.frames();
                // not persisted: the classifier caches its float32 blocks, half the size of the rows' doubles
                // the rows are drawn while the classifier reads them into its blocks (its "prepare" time)
                Dataset<Row> train = frames.frame(spark, rows, p, 1);
                int[] fs = new int[task.models];
                java.util.Arrays.fill(fs, task.features);
                FusionClassifier est = new FusionClassifier().setFeatureSizes(fs).setConfig(task.config());
                long t0 = System.nanoTime();
                FusionClassificationModel model = est.fit(train);
                double fitSeconds = (System.nanoTime() - t0) / 1e9;
                Dataset<Row> test = frames.frame(spark, testRows, p, 2);
                Dataset<Row> pred = model.transform(test);
                long ok = pred.filter("prediction = label").count();
                Map<String, Object> r = common(spark);
                r.put("command", "fit");
                long n = model.fitSummary().map(FusionTrainingSummary::rows).orElse(-1L);
                r.put("rows", n);
                r.put("partitions", p);
                r.put("models", task.models);
                r.put("featureSize", task.features);
                r.put("fitSeconds", fitSeconds);
                long epochs = (long) task.stage1 + task.stage2;
                r.put("samplesPerSecond", n * epochs / fitSeconds);
                model.fitSummary().ifPresent(s -> {
                    r.put("prepareSeconds", s.prepareSeconds());
                    r.put("trainSeconds", s.trainSeconds());
                    r.put("steps", s.steps());
                    r.put("trainSamplesPerSecond", s.samplesPerSecond());
                });
                r.put("testRows", testRows);
                r.put("testAccuracy", (double) ok / testRows);
                r.put("fusionModelSha256", model.toFusionModel().sha256());
                r.put("trainingSha256", model.toFusionModel().provenance().trainingSha256());
                r.put("executors", executors(spark));
                if (saveModel) {
                    Files.createDirectories(task.out);
                    model.write().overwrite().save(task.out.resolve("model").toString());
                    model.saveFusionModelFile(task.out.resolve("model.flfm"));
                }
                write(task.out, r);
                return 0;
            } finally {
                spark.stop();
            }
        }
    }

    /**
     * {@code local}: the same fusion in this JVM with {@link dev.fusionledger.fusion.FusionTrainer}, no
     * Spark: the reference of {@code make bench-spark}.
     */
    @Command(name = "local", mixinStandardHelpOptions = true,
            description = "The same fit on one JVM (FusionTrainer), for the benchmark's reference.")
    static final class Local implements Callable<Integer> {
        @Mixin
        Task task = new Task();
        @Option(names = "--rows", defaultValue = "100000", description = "training rows N (default ${DEFAULT-VALUE})")
        int rows;

        @Override
        public Integer call() throws Exception {
            SyntheticFrames frames = task.frames();
            long gen = System.nanoTime();
            // one draw of the same distribution (the cluster draws one per partition)
            FusionData train = frames.partitionData(rows, 1, 1, 0);
            double genSeconds = (System.nanoTime() - gen) / 1e9;
            dev.fusionledger.fusion.FusionTrainer trainer = new dev.fusionledger.fusion.FusionTrainer();
            long t0 = System.nanoTime();
            dev.fusionledger.fusion.FusionModel model = trainer.train(train, task.config());
            double fitSeconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("command", "local");
            r.put("rows", train.rows());
            r.put("models", task.models);
            r.put("featureSize", task.features);
            r.put("blas", trainer.backend().name());
            r.put("generateSeconds", genSeconds);
            r.put("fitSeconds", fitSeconds);
            r.put("samplesPerSecond", (double) train.rows() * (task.stage1 + task.stage2) / fitSeconds);
            r.put("fusionModelSha256", model.sha256());
            write(task.out, r);
            return 0;
        }

    }

    /** {@code score}: contribution scoring with the coalitions as Spark tasks. */
    @Command(name = "score", mixinStandardHelpOptions = true,
            description = "Leave-one-out and Monte-Carlo Shapley with each coalition a Spark task.")
    static final class Score implements Callable<Integer> {
        @Mixin
        Task task = new Task();
        @Option(names = "--rows", defaultValue = "2000", description = "training rows (default ${DEFAULT-VALUE})")
        int rows;
        @Option(names = "--test-rows", defaultValue = "1000", description = "test rows (default ${DEFAULT-VALUE})")
        int testRows;
        @Option(names = "--permutations", defaultValue = "10", description = "Shapley permutations (default ${DEFAULT-VALUE})")
        int permutations;
        @Option(names = "--shapley-seed", defaultValue = "7", description = "(default ${DEFAULT-VALUE})")
        long shapleySeed;

        @Override
        public Integer call() throws Exception {
            SparkSession spark = SparkSession.builder().appName("fusion-spark score").getOrCreate();
            try {
                FusionData train = task.frames().task().sample(rows, 1);
                FusionData test = task.frames().task().sample(testRows, 2);
                long t0 = System.nanoTime();
                ContributionReport rep = new SparkContributionScorer(JavaSparkContext.fromSparkContext(
                        spark.sparkContext())).score(train, test, task.config(),
                        new ContributionScorer.Measures(permutations, shapleySeed, true, null, null));
                double seconds = (System.nanoTime() - t0) / 1e9;
                Map<String, Object> r = common(spark);
                r.put("command", "score");
                r.put("rows", rows);
                r.put("testRows", testRows);
                r.put("seconds", seconds);
                r.put("fusionsTrained", rep.fusionsTrained());
                r.put("fullAccuracy", rep.fullAccuracy());
                r.put("prefixAccuracy", rep.prefixAccuracy());
                r.put("leaveOneOut", rep.leaveOneOut());
                r.put("shapley", rep.shapley());
                r.put("executors", executors(spark));
                write(task.out, r);
                return 0;
            } finally {
                spark.stop();
            }
        }
    }
}
