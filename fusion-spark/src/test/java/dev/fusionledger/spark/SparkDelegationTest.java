package dev.fusionledger.spark;

import dev.fusionledger.fusion.FusionData;
import dev.fusionledger.fusion.FusionModel;
import dev.fusionledger.fusion.SyntheticTask;
import dev.fusionledger.fusion.server.FusionServer;
import dev.fusionledger.fusion.server.ModelStore;
import dev.fusionledger.fusion.server.ServerLimits;
import dev.fusionledger.proto.fusion.FusionMessages;
import dev.fusionledger.proto.fusion.v1.FusionServiceGrpc;
import dev.fusionledger.proto.fusion.v1.ScoreContributionsRequest;
import dev.fusionledger.proto.fusion.v1.ScoreContributionsResponse;
import dev.fusionledger.proto.fusion.v1.Strategy;
import dev.fusionledger.proto.fusion.v1.TrainConfig;
import dev.fusionledger.proto.fusion.v1.TrainRequest;
import dev.fusionledger.proto.fusion.v1.TrainResponse;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The gRPC service with a Spark delegate: same API, large requests run on Spark. */
class SparkDelegationTest {
    private static final SyntheticTask TASK = new SyntheticTask(3, 6, 6, 3, 3f, 0.8f, 13);
    private static final FusionData TRAIN = TASK.sample(900, 1);
    private static final FusionData TEST = TASK.sample(400, 2);

    private static List<float[]> features(FusionData d) {
        List<float[]> f = new ArrayList<>();
        for (int i = 0; i < d.models(); i++) {
            f.add(d.features(i));
        }
        return f;
    }

    private static ScoreContributionsResponse score(FusionServiceGrpc.FusionServiceBlockingStub stub) {
        return stub.scoreContributions(ScoreContributionsRequest.newBuilder()
                .setConfig(TrainConfig.newBuilder().setStrategy(Strategy.STRATEGY_II).setStage1Epochs(3)
                        .setStage2Epochs(2).setHasStage2Epochs(true).setBatchSize(64).setSeed(4))
                .setClasses(6).setTrain(FusionMessages.dataset(features(TRAIN), TRAIN.featureSizes(), TRAIN.labels()))
                .setTest(FusionMessages.dataset(features(TEST), TEST.featureSizes(), TEST.labels()))
                .setShapleyPermutations(4).setShapleySeed(9).build());
    }

    @Test
    void largeRequestsRunOnSparkWithTheSameAnswers(@TempDir Path dir) throws Exception {
        LocalSpark.get();
        SparkComputeDelegate delegate = new SparkComputeDelegate("local[2]", 1000);
        String name = InProcessServerBuilder.generateName();
        String plainName = InProcessServerBuilder.generateName();
        FusionServer server = new FusionServer(InProcessServerBuilder.forName(name), new ModelStore(dir.resolve("s")),
                ServerLimits.defaults(), dev.fusionledger.fusion.FusionTrainer::new, delegate).start();
        FusionServer plain = new FusionServer(InProcessServerBuilder.forName(plainName),
                new ModelStore(dir.resolve("p")), ServerLimits.defaults()).start();
        ManagedChannel ch = InProcessChannelBuilder.forName(name).build();
        ManagedChannel plainCh = InProcessChannelBuilder.forName(plainName).build();
        try {
            // scoring: the coalitions ran as Spark tasks, the answer is the plain server's
            ScoreContributionsResponse viaSpark = score(FusionServiceGrpc.newBlockingStub(ch));
            ScoreContributionsResponse local = score(FusionServiceGrpc.newBlockingStub(plainCh));
            assertThat(delegate.scorings()).isEqualTo(1);
            assertThat(viaSpark).isEqualTo(local);

            // training: fitted by FusionClassifier, stored and named like any other model
            TrainConfig cfg = TrainConfig.newBuilder().setStrategy(Strategy.STRATEGY_II).setStage1Epochs(4)
                    .setStage2Epochs(2).setHasStage2Epochs(true).setBatchSize(300).setLearningRate(0.03f).build();
            List<TrainRequest> reqs = FusionMessages.trainRequests(cfg, 6, features(TRAIN), TRAIN.featureSizes(), null,
                    TRAIN.labels(), 0, 100_000);
            CompletableFuture<TrainResponse> result = new CompletableFuture<>();
            List<TrainResponse> progress = new ArrayList<>();
            StreamObserver<TrainRequest> up = FusionServiceGrpc.newStub(ch).train(new StreamObserver<>() {
                @Override
                public void onNext(TrainResponse r) {
                    if (r.hasResult()) {
                        result.complete(r);
                    } else {
                        progress.add(r);
                    }
                }

                @Override
                public void onError(Throwable t) {
                    result.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                }
            });
            reqs.forEach(up::onNext);
            up.onCompleted();
            TrainResponse r = result.get(3, TimeUnit.MINUTES);
            assertThat(delegate.trainings()).isEqualTo(1);
            assertThat(progress).hasSize(6);
            String id = r.getResult().getModel().getModelId();
            FusionModel stored = FusionModel.load(dir.resolve("s").resolve(id + ".flfm"));
            assertThat(stored.sha256()).isEqualTo(id);
            assertThat(stored.provenance().trainingSha256()).isEqualTo(TRAIN.sha256());
            assertThat(stored.evaluate(TEST).accuracy()).isGreaterThan(0.9);
        } finally {
            ch.shutdownNow();
            plainCh.shutdownNow();
            server.shutdown(5, TimeUnit.SECONDS);
            plain.shutdown(5, TimeUnit.SECONDS);
        }
    }
}
