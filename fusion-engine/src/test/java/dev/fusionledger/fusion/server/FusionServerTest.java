package dev.fusionledger.fusion.server;

import dev.fusionledger.fusion.FusionData;
import dev.fusionledger.fusion.FusionModel;
import dev.fusionledger.fusion.SyntheticTask;
import dev.fusionledger.proto.fusion.v1.Dataset;
import dev.fusionledger.proto.fusion.v1.EvaluateRequest;
import dev.fusionledger.proto.fusion.v1.EvaluateResponse;
import dev.fusionledger.proto.fusion.v1.FeatureBlock;
import dev.fusionledger.proto.fusion.v1.FusionServiceGrpc;
import dev.fusionledger.proto.fusion.v1.GetModelRequest;
import dev.fusionledger.proto.fusion.v1.GetModelResponse;
import dev.fusionledger.proto.fusion.v1.LabelBlock;
import dev.fusionledger.proto.fusion.v1.LabelSubset;
import dev.fusionledger.proto.fusion.v1.Matrix;
import dev.fusionledger.proto.fusion.v1.ModelShape;
import dev.fusionledger.proto.fusion.v1.PredictRequest;
import dev.fusionledger.proto.fusion.v1.PredictResponse;
import dev.fusionledger.proto.fusion.v1.ScoreContributionsRequest;
import dev.fusionledger.proto.fusion.v1.ScoreContributionsResponse;
import dev.fusionledger.proto.fusion.v1.Stage;
import dev.fusionledger.proto.fusion.v1.Strategy;
import dev.fusionledger.proto.fusion.v1.TrainConfig;
import dev.fusionledger.proto.fusion.v1.TrainHeader;
import dev.fusionledger.proto.fusion.v1.TrainRequest;
import dev.fusionledger.proto.fusion.v1.TrainResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

/** Every FusionService rpc over the in-process transport, with each error status. */
class FusionServerTest {
    private static final SyntheticTask TASK = new SyntheticTask(3, 8, 6, 3, 3f, 0.5f, 31);
    private static final FusionData TRAIN = TASK.sample(600, 1);
    private static final FusionData TEST = TASK.sample(300, 2);
    private static final TrainConfig CONFIG = TrainConfig.newBuilder().setStrategy(Strategy.STRATEGY_II)
            .setStage1Epochs(4).setStage2Epochs(3).setBatchSize(32).setLearningRate(0.02f).setSeed(3).build();

    @TempDir
    Path modelDir;
    private FusionServer server;
    private ManagedChannel channel;
    private FusionServiceGrpc.FusionServiceBlockingStub blocking;
    private FusionServiceGrpc.FusionServiceStub async;

    @BeforeEach
    void start() throws IOException {
        String name = InProcessServerBuilder.generateName();
        ServerLimits limits = new ServerLimits(4 << 20, 2_000_000L, 8, 50, 1);
        server = new FusionServer(InProcessServerBuilder.forName(name), new ModelStore(modelDir), limits).start();
        channel = InProcessChannelBuilder.forName(name).build();
        blocking = FusionServiceGrpc.newBlockingStub(channel);
        async = FusionServiceGrpc.newStub(channel);
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow();
        server.shutdown(5, TimeUnit.SECONDS);
    }

    // ---- helpers -------------------------------------------------------------------------

    static Dataset dataset(FusionData data, boolean labels) {
        Dataset.Builder b = Dataset.newBuilder();
        int[] fs = data.featureSizes();
        for (int i = 0; i < data.models(); i++) {
            Matrix.Builder m = Matrix.newBuilder().setRows(data.rows()).setCols(fs[i]);
            for (float v : data.features(i)) {
                m.addValues(v);
            }
            b.addFeatures(m);
        }
        if (labels) {
            for (int y : data.labels()) {
                b.addLabels(y);
            }
        }
        return b.build();
    }

    static TrainHeader header(FusionData data, TrainConfig cfg, int validationRows) {
        TrainHeader.Builder h = TrainHeader.newBuilder().setConfig(cfg).setClasses(data.classes())
                .setRows(data.rows() - validationRows).setValidationRows(validationRows);
        for (int f : data.featureSizes()) {
            h.addModels(ModelShape.newBuilder().setOutputSize(f));
        }
        return h.build();
    }

    /** Header, then each model's rows in blocks of {@code block}, then the labels in two blocks. */
    static List<TrainRequest> requests(FusionData data, TrainConfig cfg, int block) {
        List<TrainRequest> out = new ArrayList<>();
        out.add(TrainRequest.newBuilder().setHeader(header(data, cfg, 0)).build());
        int[] fs = data.featureSizes();
        for (int i = 0; i < data.models(); i++) {
            float[] x = data.features(i);
            for (int r0 = 0; r0 < data.rows(); r0 += block) {
                int rows = Math.min(block, data.rows() - r0);
                FeatureBlock.Builder fb = FeatureBlock.newBuilder().setModelIndex(i).setRowOffset(r0).setRows(rows);
                for (int k = r0 * fs[i]; k < (r0 + rows) * fs[i]; k++) {
                    fb.addValues(x[k]);
                }
                out.add(TrainRequest.newBuilder().setFeatures(fb).build());
            }
        }
        int[] y = data.labels();
        int half = y.length / 2;
        LabelBlock.Builder l1 = LabelBlock.newBuilder().setRowOffset(0);
        LabelBlock.Builder l2 = LabelBlock.newBuilder().setRowOffset(half);
        for (int r = 0; r < y.length; r++) {
            (r < half ? l1 : l2).addLabels(y[r]);
        }
        out.add(TrainRequest.newBuilder().setLabels(l1).build());
        out.add(TrainRequest.newBuilder().setLabels(l2).build());
        return out;
    }

    /** Collects a Train call's responses. */
    static final class Collector implements ClientResponseObserver<TrainRequest, TrainResponse> {
        final List<TrainResponse> responses = new ArrayList<>();
        final CompletableFuture<Status> done = new CompletableFuture<>();
        final CountDownLatch firstProgress = new CountDownLatch(1);
        ClientCallStreamObserver<TrainRequest> requests;

        @Override
        public void beforeStart(ClientCallStreamObserver<TrainRequest> requestStream) {
            requests = requestStream;
        }

        @Override
        public synchronized void onNext(TrainResponse r) {
            responses.add(r);
            firstProgress.countDown();
        }

        @Override
        public void onError(Throwable t) {
            done.complete(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            done.complete(Status.OK);
        }
    }

    private Collector train(List<TrainRequest> reqs, FusionServiceGrpc.FusionServiceStub stub) {
        Collector c = new Collector();
        StreamObserver<TrainRequest> s = stub.train(c);
        for (TrainRequest r : reqs) {
            s.onNext(r);
        }
        s.onCompleted();
        return c;
    }

    private Status trainStatus(List<TrainRequest> reqs) throws Exception {
        return train(reqs, async).done.get(30, TimeUnit.SECONDS);
    }

    private String trainedModel() throws Exception {
        Collector c = train(requests(TRAIN, CONFIG, 100), async);
        assertThat(c.done.get(60, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
        return c.responses.get(c.responses.size() - 1).getResult().getModel().getModelId();
    }

    private long storedModels() throws IOException {
        try (Stream<Path> s = Files.list(modelDir)) {
            return s.filter(p -> p.toString().endsWith(".flfm")).count();
        }
    }

    private static void assertStatus(Throwable t, Status.Code code, String field) {
        assertThat(t).isInstanceOf(StatusRuntimeException.class);
        Status s = ((StatusRuntimeException) t).getStatus();
        assertThat(s.getCode()).isEqualTo(code);
        assertThat(s.getDescription()).startsWith(field + ":");
        assertThat(((StatusRuntimeException) t).getTrailers().get(Errors.FIELD)).isEqualTo(field);
    }

    private static void assertStatus(Status s, Status.Code code, String field) {
        assertThat(s.getCode()).as(s.toString()).isEqualTo(code);
        assertThat(s.getDescription()).startsWith(field + ":");
    }

    // ---- Train ---------------------------------------------------------------------------

    @Test
    void trainStreamsProgressThenAResultAndStoresTheModelByContent() throws Exception {
        Collector c = train(requests(TRAIN, CONFIG, 128), async);
        assertThat(c.done.get(60, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
        List<TrainResponse> rs = c.responses;
        assertThat(rs).hasSize(4 + 3 + 1);
        assertThat(rs.get(0).getProgress().getStage()).isEqualTo(Stage.STAGE_II_BLOCKS);
        assertThat(rs.get(0).getProgress().getEpoch()).isEqualTo(1);
        assertThat(rs.get(6).getProgress().getStage()).isEqualTo(Stage.STAGE_II_FULL);
        assertThat(rs.get(6).getProgress().getSamplesSeen()).isEqualTo(7L * TRAIN.rows());
        assertThat(rs.get(6).getProgress().getLoss()).isLessThan(rs.get(0).getProgress().getLoss());
        var result = rs.get(7).getResult();
        String id = result.getModel().getModelId();
        assertThat(id).matches("[0-9a-f]{64}").isEqualTo(result.getModel().getSha256());
        assertThat(result.getTrainingMetrics().getAccuracy()).isGreaterThan(0.9);
        assertThat(result.getModel().getProvenance().getTrainingSha256()).isEqualTo(TRAIN.sha256());
        assertThat(result.getModel().getProvenance().getConfig().getBatchSize()).isEqualTo(32);
        Path file = modelDir.resolve(id + ".flfm");
        assertThat(file).exists();
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))))
                .isEqualTo(id);
    }

    @Test
    void trainWithValidationRowsReportsValidationLoss() throws Exception {
        List<TrainRequest> reqs = new ArrayList<>(requests(TRAIN, CONFIG.toBuilder().setEarlyStoppingPatience(2).build(), 600));
        reqs.set(0, TrainRequest.newBuilder().setHeader(header(TRAIN,
                CONFIG.toBuilder().setEarlyStoppingPatience(2).build(), 100)).build());
        Collector c = train(reqs, async);
        assertThat(c.done.get(60, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
        assertThat(c.responses.get(0).getProgress().getValidationLoss()).isFinite();
        assertThat(c.responses.get(c.responses.size() - 1).getResult().getTrainingMetrics().getSamples()).isEqualTo(500);
    }

    @Test
    void trainAcceptsTheStreamBuiltByFusionMessages() throws Exception {
        List<float[]> f = new ArrayList<>();
        for (int i = 0; i < TRAIN.models(); i++) {
            f.add(TRAIN.features(i));
        }
        List<TrainRequest> reqs = dev.fusionledger.proto.fusion.FusionMessages.trainRequests(CONFIG, 6, f,
                TRAIN.featureSizes(), null, TRAIN.labels(), 0, 1000);
        assertThat(reqs.size()).isGreaterThan(10);
        Collector c = train(reqs, async);
        assertThat(c.done.get(60, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
        assertThat(c.responses.get(c.responses.size() - 1).getResult().getModel().getProvenance().getTrainingSha256())
                .isEqualTo(TRAIN.sha256());
        EvaluateResponse e = blocking.evaluate(EvaluateRequest.newBuilder()
                .setModelId(c.responses.get(c.responses.size() - 1).getResult().getModel().getModelId())
                .setData(dev.fusionledger.proto.fusion.FusionMessages.dataset(f, TRAIN.featureSizes(), TRAIN.labels()))
                .build());
        assertThat(e.getMetrics().getSamples()).isEqualTo(600);
    }

    @Test
    void trainRejectsBlocksBeforeTheHeader() throws Exception {
        List<TrainRequest> reqs = requests(TRAIN, CONFIG, 600);
        assertStatus(trainStatus(reqs.subList(1, reqs.size())), Status.Code.INVALID_ARGUMENT, "header");
    }

    @Test
    void trainRejectsBadConfigNamingTheField() throws Exception {
        List<TrainRequest> reqs = requests(TRAIN, CONFIG.toBuilder().setBatchSize(2_000_000).build(), 600);
        assertStatus(trainStatus(reqs), Status.Code.INVALID_ARGUMENT, "header.config.batch_size");
        reqs = requests(TRAIN, CONFIG.toBuilder().setStrategy(Strategy.STRATEGY_UNSPECIFIED).build(), 600);
        assertStatus(trainStatus(reqs), Status.Code.INVALID_ARGUMENT, "header.config.strategy");
    }

    @Test
    void trainRunsOnTheBackendTheRequestNames() throws Exception {
        Collector c = train(requests(TRAIN, CONFIG.toBuilder().setBackend("java").build(), 600), async);
        assertThat(c.done.get(60, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
        assertThat(c.responses.get(c.responses.size() - 1).getResult().getTrainingMetrics().getAccuracy())
                .isGreaterThan(0.9);
        long before = storedModels();
        List<TrainRequest> reqs = requests(TRAIN, CONFIG.toBuilder().setBackend("cuda").build(), 600);
        Status s = trainStatus(reqs);
        assertStatus(s, Status.Code.INVALID_ARGUMENT, "header.config.backend");
        assertThat(s.getDescription()).contains("[blas, java, tornado]").contains("'cuda'");
        // no TornadoVM module in these tests: the server says what is missing
        s = trainStatus(requests(TRAIN, CONFIG.toBuilder().setBackend("tornado").build(), 600));
        assertStatus(s, Status.Code.FAILED_PRECONDITION, "header.config.backend");
        assertThat(s.getDescription()).contains("fusion-engine-tornado");
        assertThat(storedModels()).isEqualTo(before);
    }

    @Test
    void trainRejectsBadShapesAndMissingRows() throws Exception {
        List<TrainRequest> reqs = new ArrayList<>(requests(TRAIN, CONFIG, 600));
        TrainRequest f = reqs.get(1);
        reqs.set(1, f.toBuilder().setFeatures(f.getFeatures().toBuilder().clearValues()
                .addAllValues(f.getFeatures().getValuesList().subList(1, f.getFeatures().getValuesCount()))).build());
        assertStatus(trainStatus(reqs), Status.Code.INVALID_ARGUMENT, "features.values");

        reqs = new ArrayList<>(requests(TRAIN, CONFIG, 600));
        reqs.remove(2); // model 1's only block
        Status s = trainStatus(reqs);
        assertStatus(s, Status.Code.INVALID_ARGUMENT, "features");
        assertThat(s.getDescription()).contains("model 1 row 0");

        reqs = new ArrayList<>(requests(TRAIN, CONFIG, 600));
        reqs.set(1, f.toBuilder().setFeatures(f.getFeatures().toBuilder().setModelIndex(7)).build());
        assertStatus(trainStatus(reqs), Status.Code.INVALID_ARGUMENT, "features.model_index");

        reqs = new ArrayList<>(requests(TRAIN, CONFIG, 600));
        TrainRequest lab = reqs.get(reqs.size() - 1);
        reqs.set(reqs.size() - 1, lab.toBuilder().setLabels(lab.getLabels().toBuilder().setLabels(0, 6)).build());
        assertStatus(trainStatus(reqs), Status.Code.INVALID_ARGUMENT, "labels.labels");

        TrainHeader h = header(TRAIN, CONFIG, 0);
        h = h.toBuilder().setModels(1, ModelShape.newBuilder().setOutputSize(8).setLabelCount(4)).build();
        reqs = new ArrayList<>(requests(TRAIN, CONFIG, 600));
        reqs.set(0, TrainRequest.newBuilder().setHeader(h).build());
        assertStatus(trainStatus(reqs), Status.Code.INVALID_ARGUMENT, "header.models[1].label_count");
        assertThat(storedModels()).isZero();
    }

    @Test
    void trainRejectsNonFiniteFeaturesNamingTheModel() throws Exception {
        List<TrainRequest> reqs = new ArrayList<>(requests(TRAIN, CONFIG, 600));
        TrainRequest f = reqs.get(3);
        reqs.set(3, f.toBuilder().setFeatures(f.getFeatures().toBuilder().setValues(5, Float.NaN)).build());
        Status s = trainStatus(reqs);
        assertStatus(s, Status.Code.INVALID_ARGUMENT, "features[2]");
    }

    @Test
    void trainBeyondTheValueLimitIsResourceExhausted() throws Exception {
        TrainHeader h = header(TRAIN, CONFIG, 0).toBuilder().setRows(1_000_000).build();
        Status s = trainStatus(List.of(TrainRequest.newBuilder().setHeader(h).build()));
        assertStatus(s, Status.Code.RESOURCE_EXHAUSTED, "header.rows");
    }

    @Test
    void cancellingTrainStopsTrainingAndStoresNothing() throws Exception {
        FusionData big = TASK.sample(20_000, 5);
        TrainConfig slow = CONFIG.toBuilder().setStage1Epochs(10_000).setBatchSize(8).build();
        Collector c = train(requests(big, slow, 5000), async);
        assertThat(c.firstProgress.await(60, TimeUnit.SECONDS)).isTrue();
        c.requests.cancel("test cancels", null);
        assertThat(c.done.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.CANCELLED);
        // the single training slot frees up once the training thread has stopped
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Status next;
        do {
            next = train(requests(TRAIN, CONFIG, 600), async).done.get(60, TimeUnit.SECONDS);
        } while (next.getCode() == Status.Code.RESOURCE_EXHAUSTED && System.nanoTime() < deadline);
        assertThat(next.getCode()).isEqualTo(Status.Code.OK);
        assertThat(storedModels()).isEqualTo(1);
    }

    @Test
    void trainPastItsDeadlineStops() throws Exception {
        FusionData big = TASK.sample(20_000, 6);
        TrainConfig slow = CONFIG.toBuilder().setStage1Epochs(10_000).setBatchSize(8).build();
        Collector c = train(requests(big, slow, 5000), async.withDeadlineAfter(3, TimeUnit.SECONDS));
        assertThat(c.done.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(storedModels()).isZero();
    }

    @Test
    void aSecondConcurrentTrainingIsResourceExhausted() throws Exception {
        FusionData big = TASK.sample(20_000, 7);
        TrainConfig slow = CONFIG.toBuilder().setStage1Epochs(10_000).setBatchSize(8).build();
        Collector first = train(requests(big, slow, 5000), async);
        assertThat(first.firstProgress.await(60, TimeUnit.SECONDS)).isTrue();
        assertStatus(trainStatus(requests(TRAIN, CONFIG, 600)), Status.Code.RESOURCE_EXHAUSTED, "train");
        first.requests.cancel("done", null);
    }

    // ---- Evaluate, Predict, GetModel -----------------------------------------------------------

    @Test
    void evaluateGivesAccuracyConfusionAndOwnAccuracies() throws Exception {
        String id = trainedModel();
        EvaluateRequest.Builder req = EvaluateRequest.newBuilder().setModelId(id).setData(dataset(TEST, true));
        for (int i = 0; i < 3; i++) {
            LabelSubset.Builder s = LabelSubset.newBuilder();
            for (int c : TASK.subset(i)) {
                s.addClasses(c);
            }
            req.addLabelSubsets(s);
        }
        EvaluateResponse r = blocking.evaluate(req.build());
        FusionModel local = FusionModel.load(modelDir.resolve(id + ".flfm"));
        assertThat(r.getMetrics().getAccuracy()).isEqualTo(local.evaluate(TEST).accuracy()).isGreaterThan(0.9);
        assertThat(r.getMetrics().getConfusionList().stream().mapToLong(Long::longValue).sum()).isEqualTo(300);
        assertThat(r.getMetrics().getConfusionCount()).isEqualTo(36);
        assertThat(r.getMetrics().getOwnAccuracyList()).hasSize(3).allSatisfy(a -> assertThat(a).isGreaterThan(0.9));
    }

    @Test
    void evaluateErrors() throws Exception {
        String id = trainedModel();
        String unknown = "0".repeat(64);
        assertThatThrownBy(() -> blocking.evaluate(EvaluateRequest.newBuilder().setModelId(unknown)
                .setData(dataset(TEST, true)).build()))
                .satisfies(t -> assertStatus(t, Status.Code.NOT_FOUND, "model_id"));
        assertThatThrownBy(() -> blocking.evaluate(EvaluateRequest.newBuilder().setModelId("xyz")
                .setData(dataset(TEST, true)).build()))
                .satisfies(t -> assertStatus(t, Status.Code.INVALID_ARGUMENT, "model_id"));
        FusionData wrong = new SyntheticTask(3, 5, 6, 3, 3f, 0.5f, 31).sample(10, 1);
        assertThatThrownBy(() -> blocking.evaluate(EvaluateRequest.newBuilder().setModelId(id)
                .setData(dataset(wrong, true)).build()))
                .satisfies(t -> assertStatus(t, Status.Code.INVALID_ARGUMENT, "data.features[0].cols"));
        assertThatThrownBy(() -> blocking.evaluate(EvaluateRequest.newBuilder().setModelId(id)
                .setData(dataset(TEST, false)).build()))
                .satisfies(t -> assertStatus(t, Status.Code.INVALID_ARGUMENT, "data.labels"));
        Dataset ragged = dataset(TEST, true).toBuilder()
                .setFeatures(1, dataset(TEST, true).getFeatures(1).toBuilder().setRows(299)).build();
        assertThatThrownBy(() -> blocking.evaluate(EvaluateRequest.newBuilder().setModelId(id).setData(ragged).build()))
                .satisfies(t -> assertStatus(t, Status.Code.INVALID_ARGUMENT, "data.features[1].values"));
        Dataset huge = Dataset.newBuilder().addFeatures(Matrix.newBuilder().setRows(3_000_000).setCols(1)).build();
        assertThatThrownBy(() -> blocking.evaluate(EvaluateRequest.newBuilder().setModelId(id).setData(huge).build()))
                .satisfies(t -> assertStatus(t, Status.Code.RESOURCE_EXHAUSTED, "data.features"));
    }

    @Test
    void predictGivesClassesAndProbabilities() throws Exception {
        String id = trainedModel();
        PredictResponse r = blocking.predict(PredictRequest.newBuilder().setModelId(id).setData(dataset(TEST, false))
                .setIncludeProbabilities(true).build());
        FusionModel local = FusionModel.load(modelDir.resolve(id + ".flfm"));
        int[] expected = local.predict(TEST);
        assertThat(r.getClassesList()).hasSize(300);
        for (int i = 0; i < expected.length; i++) {
            assertThat(r.getClasses(i)).isEqualTo(expected[i]);
        }
        assertThat(r.getProbabilities().getRows()).isEqualTo(300);
        assertThat(r.getProbabilities().getCols()).isEqualTo(6);
        double row0 = 0;
        for (int j = 0; j < 6; j++) {
            row0 += r.getProbabilities().getValues(j);
        }
        assertThat(row0).isCloseTo(1.0, offset(1e-5));
        assertThatThrownBy(() -> blocking.predict(PredictRequest.newBuilder().setModelId("f".repeat(64))
                .setData(dataset(TEST, false)).build()))
                .satisfies(t -> assertStatus(t, Status.Code.NOT_FOUND, "model_id"));
        Dataset nan = dataset(TEST, false).toBuilder()
                .setFeatures(0, dataset(TEST, false).getFeatures(0).toBuilder().setValues(3, Float.POSITIVE_INFINITY))
                .build();
        assertThatThrownBy(() -> blocking.predict(PredictRequest.newBuilder().setModelId(id).setData(nan).build()))
                .satisfies(t -> assertStatus(t, Status.Code.INVALID_ARGUMENT, "data.features[0]"));
    }

    @Test
    void getModelDescribesAndReturnsTheFile() throws Exception {
        String id = trainedModel();
        GetModelResponse r = blocking.getModel(GetModelRequest.newBuilder().setModelId(id).setIncludeFile(true).build());
        assertThat(r.getModel().getModelId()).isEqualTo(id);
        assertThat(r.getModel().getClasses()).isEqualTo(6);
        assertThat(r.getModel().getModelsList()).extracting(ModelShape::getOutputSize).containsExactly(8, 8, 8);
        assertThat(r.getModel().getModelsList()).extracting(ModelShape::getLabelCount).containsExactly(6, 6, 6);
        assertThat(r.getModel().getProvenance().getEngineVersion()).isEqualTo("0.1.0");
        assertThat(r.getModel().getProvenance().getSeed()).isEqualTo(3L);
        byte[] file = r.getFile().toByteArray();
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file))).isEqualTo(id);
        assertThat(FusionModel.fromBytes(file).sha256()).isEqualTo(id);
        assertThat(blocking.getModel(GetModelRequest.newBuilder().setModelId(id).build()).getFile().isEmpty()).isTrue();
        assertThatThrownBy(() -> blocking.getModel(GetModelRequest.newBuilder().setModelId("a".repeat(64)).build()))
                .satisfies(t -> assertStatus(t, Status.Code.NOT_FOUND, "model_id"));
        assertThatThrownBy(() -> blocking.getModel(GetModelRequest.newBuilder().setModelId("A".repeat(64)).build()))
                .satisfies(t -> assertStatus(t, Status.Code.INVALID_ARGUMENT, "model_id"));
    }

    @Test
    void anUnreadableStoredFileIsDataLoss() throws Exception {
        String id = "b".repeat(64);
        Files.write(modelDir.resolve(id + ".flfm"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> blocking.getModel(GetModelRequest.newBuilder().setModelId(id).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DATA_LOSS));
    }

    @Test
    void modelsSurviveAServerRestartInTheSameDirectory() throws Exception {
        String id = trainedModel();
        String name = InProcessServerBuilder.generateName();
        FusionServer second = new FusionServer(InProcessServerBuilder.forName(name), new ModelStore(modelDir),
                ServerLimits.defaults()).start();
        ManagedChannel ch = InProcessChannelBuilder.forName(name).build();
        try {
            GetModelResponse r = FusionServiceGrpc.newBlockingStub(ch)
                    .getModel(GetModelRequest.newBuilder().setModelId(id).build());
            assertThat(r.getModel().getSha256()).isEqualTo(id);
        } finally {
            ch.shutdownNow();
            second.shutdown(5, TimeUnit.SECONDS);
        }
    }

    // ---- ScoreContributions ------------------------------------------------------------------

    @Test
    void scoreContributionsReportsEveryMeasure() {
        ScoreContributionsRequest req = ScoreContributionsRequest.newBuilder().setConfig(CONFIG).setClasses(6)
                .setTrain(dataset(TRAIN, true)).setTest(dataset(TEST, true)).setShapleyPermutations(4)
                .setShapleySeed(9).build();
        ScoreContributionsResponse r = blocking.scoreContributions(req);
        assertThat(r.getPrefixAccuracyList()).hasSize(3);
        assertThat(r.getShapleyList()).hasSize(3);
        assertThat(r.getLeaveOneOutList()).hasSize(3);
        double sum = r.getMarginalList().stream().mapToDouble(Double::doubleValue).sum();
        assertThat(sum).isCloseTo(r.getFullAccuracy() - r.getEmptyAccuracy(), offset(1e-9));
        double shap = r.getShapleyList().stream().mapToDouble(Double::doubleValue).sum();
        assertThat(shap).isCloseTo(r.getFullAccuracy() - r.getEmptyAccuracy(), offset(1e-9));
        assertThat(r.getFullAccuracy()).isGreaterThan(0.9);
        assertThat(r.getFusionsTrained()).isBetween(3, 7);

        assertThatThrownBy(() -> blocking.scoreContributions(req.toBuilder().setShapleyPermutations(51).build()))
                .satisfies(t -> assertStatus(t, Status.Code.RESOURCE_EXHAUSTED, "shapley_permutations"));
        assertThatThrownBy(() -> blocking.scoreContributions(req.toBuilder().setClasses(1).build()))
                .satisfies(t -> assertStatus(t, Status.Code.INVALID_ARGUMENT, "classes"));
        assertThatThrownBy(() -> blocking.scoreContributions(req.toBuilder()
                .setConfig(CONFIG.toBuilder().setLearningRate(-1f)).build()))
                .satisfies(t -> assertStatus(t, Status.Code.INVALID_ARGUMENT, "config.learning_rate"));
        assertThatThrownBy(() -> blocking.scoreContributions(req.toBuilder().setTest(dataset(TEST, false)).build()))
                .satisfies(t -> assertStatus(t, Status.Code.INVALID_ARGUMENT, "test.labels"));
    }

    @Test
    void scoreContributionsAgainstNullsSkipsWhatIsNotAsked() {
        FusionData nullTrain = new SyntheticTask(3, 8, 6, 3, 0f, 1f, 77).sample(600, 1);
        FusionData nullTest = new SyntheticTask(3, 8, 6, 3, 0f, 1f, 77).sample(300, 2);
        ScoreContributionsRequest req = ScoreContributionsRequest.newBuilder().setConfig(CONFIG).setClasses(6)
                .setTrain(dataset(TRAIN, true)).setTest(dataset(TEST, true)).setSkipShapley(true)
                .setSkipLeaveOneOut(true).setNullTrain(dataset(nullTrain, false)).setNullTest(dataset(nullTest, false))
                .build();
        ScoreContributionsResponse r = blocking.scoreContributions(req);
        assertThat(r.getNullMarginalList()).hasSize(3);
        assertThat(r.getNullPrefixAccuracyList()).hasSize(3);
        assertThat(r.getShapleyList()).containsOnly(Double.NaN);
        assertThat(r.getLeaveOneOutList()).containsOnly(Double.NaN);
        for (int i = 0; i < 3; i++) {
            assertThat(r.getNullMarginal(i)).isCloseTo(r.getPrefixAccuracy(i) - r.getNullPrefixAccuracy(i), offset(0.0));
        }
        // the first model carries signal, its null (zero-signal scores) does not
        assertThat(r.getNullMarginal(0)).isGreaterThan(0.1);
        assertThat(r.getFusionsTrained()).isEqualTo(6);

        assertThatThrownBy(() -> blocking.scoreContributions(req.toBuilder().clearNullTest().build()))
                .satisfies(t -> assertStatus(t, Status.Code.INVALID_ARGUMENT, "null_test"));
        FusionData shortNulls = new SyntheticTask(3, 8, 6, 3, 0f, 1f, 77).sample(100, 3);
        assertThatThrownBy(() -> blocking.scoreContributions(req.toBuilder()
                .setNullTest(dataset(shortNulls, false)).build()))
                .satisfies(t -> assertStatus(t, Status.Code.INVALID_ARGUMENT, "null_test.features[0].rows"));
    }

    // ---- health and reflection ---------------------------------------------------------------

    @Test
    void healthIsServingAndReflectionListsTheService() throws Exception {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
        assertThat(health.check(HealthCheckRequest.newBuilder().build()).getStatus())
                .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        assertThat(health.check(HealthCheckRequest.newBuilder().setService(FusionServiceGrpc.SERVICE_NAME).build())
                .getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

        CompletableFuture<ServerReflectionResponse> got = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> req = ServerReflectionGrpc.newStub(channel)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse value) {
                        got.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        got.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        req.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        ServerReflectionResponse r = got.get(10, TimeUnit.SECONDS);
        req.onCompleted();
        assertThat(r.getListServicesResponse().getServiceList()).extracting(s -> s.getName())
                .contains("fusionledger.fusion.v1.FusionService", "grpc.health.v1.Health");
    }
}
