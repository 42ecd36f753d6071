package dev.fusionledger.spark.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fusionledger.fusion.ContributionReport;
import dev.fusionledger.fusion.ContributionScorer;
import dev.fusionledger.fusion.FusionConfig;
import dev.fusionledger.fusion.FusionData;
import dev.fusionledger.fusion.FusionModel;
import dev.fusionledger.fusion.FusionTrainer;
import dev.fusionledger.fusion.Strategy;
import dev.fusionledger.fusion.SyntheticTask;
import dev.fusionledger.spark.app.SyntheticFrames;
import org.apache.spark.launcher.SparkAppHandle;
import org.apache.spark.launcher.SparkLauncher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/**
 * On a real standalone cluster (spark/up.sh: a master and two worker JVMs on 127.0.0.1): submits a
 * fit and a scoring job with {@link SparkLauncher}, checks their results against the fusion engine
 * in this JVM, and the executors that ran them from the master's and workers' JSON status. A
 * cluster that was already running is reused and left running; one this test started is stopped.
 */
class SparkClusterIT {
    private static final SparkCluster CLUSTER = new SparkCluster();
    private static boolean started;

    @BeforeAll
    static void up() throws Exception {
        int status = CLUSTER.script("status", "--quiet");
        started = status != 0;
        assertThat(CLUSTER.script("up")).as("spark/up.sh (log fusion-spark/target/spark-up.log)").isZero();
        JsonNode master = CLUSTER.masterJson();
        assertThat(master.path("status").asText()).isEqualTo("ALIVE");
        assertThat(master.path("aliveworkers").asInt()).isEqualTo(CLUSTER.workers);
        // idempotent: a second up reuses the running JVMs
        String pids = CLUSTER.pids();
        assertThat(CLUSTER.script("up")).isZero();
        assertThat(CLUSTER.pids()).isEqualTo(pids);
        assertThat(CLUSTER.script("status", "--quiet")).isZero();
    }

    @AfterAll
    static void down() throws Exception {
        if (started) {
            assertThat(CLUSTER.script("down")).as("spark/down.sh").isZero();
            assertThat(CLUSTER.script("status", "--quiet")).isEqualTo(1);
        }
    }

    /** Submits the application jar through SparkLauncher; @return the application id */
    private static String submit(Path out, String... args) throws Exception {
        Path jar = CLUSTER.repo.resolve("fusion-spark/target/fusion-spark-app.jar");
        assertThat(jar).exists();
        Files.createDirectories(out);
        CountDownLatch done = new CountDownLatch(1);
        SparkAppHandle handle = new SparkLauncher(Map.of("FUSIONLEDGER_SPARK_DIR", CLUSTER.workDir.toString(),
                "FUSIONLEDGER_SPARK_PORT_BASE", String.valueOf(CLUSTER.base),
                "FUSIONLEDGER_SPARK_DRIVER_MEMORY", "768m"))
                .setSparkHome(CLUSTER.sparkHome().toString())
                .setMaster(CLUSTER.masterUrl())
                .setDeployMode("client")
                .setAppResource(jar.toString())
                .setMainClass("dev.fusionledger.spark.app.FusionSparkApp")
                .setConf("spark.executor.memory", "512m")
                .setConf("spark.executor.cores", "1")
                .setConf("spark.cores.max", String.valueOf(CLUSTER.workers))
                .addAppArgs(args)
                .addAppArgs("--out", out.toString())
                .redirectOutput(out.resolve("driver.log").toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(out.resolve("driver.log").toFile()))
                .startApplication(new SparkAppHandle.Listener() {
                    @Override
                    public void stateChanged(SparkAppHandle h) {
                        if (h.getState().isFinal()) {
                            done.countDown();
                        }
                    }

                    @Override
                    public void infoChanged(SparkAppHandle h) {
                    }
                });
        if (!done.await(8, TimeUnit.MINUTES)) {
            handle.kill();
            throw new AssertionError("application did not finish in 8 min; driver log " + out.resolve("driver.log"));
        }
        assertThat(handle.getState()).as("final state (driver log %s)", out.resolve("driver.log"))
                .isEqualTo(SparkAppHandle.State.FINISHED);
        String appId = handle.getAppId();
        assertThat(appId).startsWith("app-");
        return appId;
    }

    /** The master lists the application as finished, and every worker ran one of its executors. */
    private static void checkRanOnEveryWorker(String appId) throws Exception {
        JsonNode master = CLUSTER.masterJson();
        List<String> finished = new ArrayList<>();
        for (JsonNode app : master.path("completedapps")) {
            if (appId.equals(app.path("id").asText())) {
                finished.add(app.path("state").asText());
                assertThat(app.path("cores").asInt()).isEqualTo(CLUSTER.workers);
            }
        }
        assertThat(finished).containsExactly("FINISHED");
        Map<String, List<Integer>> executors = CLUSTER.executorsOf(appId);
        assertThat(executors).hasSize(CLUSTER.workers);
        executors.forEach((worker, ids) -> assertThat(ids).as("executors of %s on %s", appId, worker).hasSize(1));
    }

    @Test
    void fitOnTheClusterMatchesTheEngineHere() throws Exception {
        Path out = CLUSTER.repo.resolve("fusion-spark/target/it-fit");
        String appId = submit(out, "fit", "--rows", "20000", "--test-rows", "4000", "--models", "4", "--features",
                "16", "--partitions", "4", "--stage1-epochs", "2", "--stage2-epochs", "2", "--batch-size", "2000");
        JsonNode r = SparkCluster.read(out.resolve("result.json"));
        assertThat(r.path("applicationId").asText()).isEqualTo(appId);
        assertThat(r.path("master").asText()).isEqualTo(CLUSTER.masterUrl());
        assertThat(r.path("rows").asLong()).isEqualTo(20000);
        assertThat(r.path("executors").size()).as("driver + one executor per worker")
                .isEqualTo(CLUSTER.workers + 1);
        double clusterAccuracy = r.path("testAccuracy").asDouble();
        assertThat(clusterAccuracy).isGreaterThan(0.9);

        // the saved model is the fusion engine's file, and evaluates here as it did on the cluster
        FusionModel model = FusionModel.load(out.resolve("model.flfm"));
        assertThat(model.sha256()).isEqualTo(r.path("fusionModelSha256").asText());
        assertThat(Files.readAllBytes(out.resolve("model/data/fusion-model.flfm"))).isEqualTo(model.toBytes());
        assertThat(model.provenance().trainingSha256()).isEqualTo(r.path("trainingSha256").asText());
        assertThat(model.provenance().config().stage1Epochs()).isEqualTo(2);
        SyntheticFrames frames = new SyntheticFrames(4, 16, 10, 5, 3f, 1.0f, 2024);
        long hits = 0;
        for (int p = 0; p < 4; p++) {
            FusionData part = frames.partitionData(4000, 4, 2, p);
            hits += Math.round(model.evaluate(part).accuracy() * part.rows());
        }
        assertThat(hits / 4000.0).isCloseTo(clusterAccuracy, offset(0.001));
        checkRanOnEveryWorker(appId);
    }

    @Test
    void scoringOnTheClusterEqualsTheSingleJvmScorer() throws Exception {
        Path out = CLUSTER.repo.resolve("fusion-spark/target/it-score");
        String appId = submit(out, "score", "--rows", "1500", "--test-rows", "800", "--models", "4", "--features",
                "8", "--subset", "3", "--classes", "6", "--stage1-epochs", "3", "--stage2-epochs", "2", "--batch-size",
                "128", "--permutations", "6", "--shapley-seed", "7");
        JsonNode r = SparkCluster.read(out.resolve("result.json"));
        assertThat(r.path("applicationId").asText()).isEqualTo(appId);

        SyntheticTask task = new SyntheticTask(4, 8, 6, 3, 3f, 1.0f, 2024);
        FusionConfig config = FusionConfig.builder().strategy(Strategy.II).stage1Epochs(3).stage2Epochs(2)
                .batchSize(128).learningRate(0.01f).seed(42).build();
        ContributionReport local = new ContributionScorer(new FusionTrainer()).score(task.sample(1500, 1),
                task.sample(800, 2), config, new ContributionScorer.Measures(6, 7, true, null, null), () -> false);
        assertThat(r.path("fusionsTrained").asInt()).isEqualTo(local.fusionsTrained());
        boolean sameBlas = r.path("executorBlas").size() == 1
                && r.path("executorBlas").get(0).asText().equals(new dev.fusionledger.fusion.backend.CpuBlasBackend().name());
        // identical kernels give identical values; another BLAS may flip a few test predictions
        double tol = sameBlas ? 0 : 3.0 / 800;
        for (int i = 0; i < 4; i++) {
            assertThat(r.path("shapley").get(i).asDouble()).isCloseTo(local.shapley()[i], offset(tol + 1e-12));
            assertThat(r.path("leaveOneOut").get(i).asDouble()).isCloseTo(local.leaveOneOut()[i], offset(tol + 1e-12));
            assertThat(r.path("prefixAccuracy").get(i).asDouble()).isCloseTo(local.prefixAccuracy()[i],
                    offset(tol + 1e-12));
        }
        checkRanOnEveryWorker(appId);
    }
}
