package dev.fusionledger.demo.run;

import dev.fusionledger.proto.fusion.v1.Dataset;
import dev.fusionledger.proto.fusion.v1.EvaluateRequest;
import dev.fusionledger.proto.fusion.v1.EvaluateResponse;
import dev.fusionledger.proto.fusion.v1.FeatureBlock;
import dev.fusionledger.proto.fusion.v1.FusionServiceGrpc;
import dev.fusionledger.proto.fusion.v1.LabelBlock;
import dev.fusionledger.proto.fusion.v1.Matrix;
import dev.fusionledger.proto.fusion.v1.ModelShape;
import dev.fusionledger.proto.fusion.v1.ScoreContributionsRequest;
import dev.fusionledger.proto.fusion.v1.ScoreContributionsResponse;
import dev.fusionledger.proto.fusion.v1.Strategy;
import dev.fusionledger.proto.fusion.v1.TrainConfig;
import dev.fusionledger.proto.fusion.v1.TrainHeader;
import dev.fusionledger.proto.fusion.v1.TrainRequest;
import dev.fusionledger.proto.fusion.v1.TrainResponse;
import dev.fusionledger.proto.fusion.v1.TrainResult;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The verifiers' side of the fusion engine's gRPC API (proto/ fusion.proto): trains a fusion of the
 * contributed models' upper-layer features (Strategy I or II, Mendis et al. Section III-B),
 * evaluates it, and scores contributions. Model i's features are an [N x |f_i|] row-major float32
 * matrix: its 500 hidden units for the fusion, its 10 softmax scores for the contribution game
 * (docs/fusion.md).
 */
public final class FusionClient {
    /** Classes d of the MNIST task. */
    public static final int CLASSES = 10;
    private final ManagedChannel channel;
    private final long deadlineSeconds;

    /**
     * @param channel a channel to a running fusion engine
     * @param deadlineSeconds deadline of each call, seconds
     */
    public FusionClient(ManagedChannel channel, long deadlineSeconds) {
        this.channel = channel;
        this.deadlineSeconds = deadlineSeconds;
    }

    /** A trained and evaluated fusion. */
    public record Fused(String modelId, double trainingAccuracy, double accuracy, double seconds) {}

    /**
     * A fusion config: Adam at {@code learningRate}, batch 128; Strategy I {@code epochs} epochs,
     * Strategy II {@code epochs/2} + {@code epochs/2} epochs (stage 1, stage 2).
     */
    public static TrainConfig config(Strategy strategy, int epochs, float learningRate, long seed) {
        int half = Math.max(1, epochs / 2);
        return TrainConfig.newBuilder().setStrategy(strategy).setEpochs(epochs).setStage1Epochs(half)
                .setStage2Epochs(half).setHasStage2Epochs(true).setBatchSize(128).setLearningRate(learningRate)
                .setSeed(seed).build();
    }

    /**
     * Trains a fusion on {@code train} through the streaming {@code Train} rpc and evaluates the
     * stored model on {@code test} with {@code Evaluate}.
     *
     * @param train features [N x |f_i|] per model and labels [N]
     * @param test features [M x |f_i|] per model and labels [M]
     * @throws IllegalStateException on an rpc error (status and description in the message)
     */
    public Fused trainAndEvaluate(TrainConfig config, Data train, Data test) throws InterruptedException {
        CompletableFuture<TrainResult> result = new CompletableFuture<>();
        StreamObserver<TrainRequest> requests = FusionServiceGrpc.newStub(channel)
                .withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS)
                .train(new StreamObserver<>() {
                    private TrainResult last;

                    @Override
                    public void onNext(TrainResponse r) {
                        if (r.hasResult()) {
                            last = r.getResult();
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        result.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        if (last == null) {
                            result.completeExceptionally(new IllegalStateException("Train: stream ended without a result"));
                        } else {
                            result.complete(last);
                        }
                    }
                });
        TrainHeader.Builder h = TrainHeader.newBuilder().setConfig(config).setClasses(CLASSES).setRows(train.rows());
        for (int i = 0; i < train.features().size(); i++) {
            h.addModels(ModelShape.newBuilder().setOutputSize(train.featureSize(i)).setLabelCount(CLASSES));
        }
        requests.onNext(TrainRequest.newBuilder().setHeader(h).build());
        for (int i = 0; i < train.features().size(); i++) {
            FeatureBlock.Builder b = FeatureBlock.newBuilder().setModelIndex(i).setRowOffset(0).setRows(train.rows());
            for (float v : train.features().get(i)) {
                b.addValues(v);
            }
            requests.onNext(TrainRequest.newBuilder().setFeatures(b).build());
        }
        LabelBlock.Builder lb = LabelBlock.newBuilder().setRowOffset(0);
        for (int l : train.labels()) {
            lb.addLabels(l);
        }
        requests.onNext(TrainRequest.newBuilder().setLabels(lb).build());
        requests.onCompleted();
        TrainResult tr;
        try {
            tr = result.get(deadlineSeconds + 5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("fusion Train failed: " + (e.getCause() == null ? e : e.getCause()), e);
        }
        EvaluateResponse ev = FusionServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS)
                .evaluate(EvaluateRequest.newBuilder().setModelId(tr.getModel().getModelId()).setData(test.toProto())
                        .build());
        return new Fused(tr.getModel().getModelId(), tr.getTrainingMetrics().getAccuracy(),
                ev.getMetrics().getAccuracy(), tr.getSeconds());
    }

    /**
     * Scores contributions ({@code ScoreContributions}) without Shapley or leave-one-out: fusions of
     * the prefixes of {@code train}'s models (submission order) trained on {@code train}, accuracies
     * measured on {@code test} (Fig. 7/9), and, when {@code nulls} is given, each prefix again with
     * its last model replaced by its null: the null-relative marginal contribution (docs/fusion.md).
     *
     * @param nulls one null per model, same shapes, for the train and the test rows (its labels are
     *     not sent); null = no null-relative measure
     * @throws io.grpc.StatusRuntimeException on an rpc error
     */
    public ScoreContributionsResponse prefixes(TrainConfig config, Data train, Data test, Nulls nulls) {
        ScoreContributionsRequest.Builder r = ScoreContributionsRequest.newBuilder().setConfig(config)
                .setClasses(CLASSES).setTrain(train.toProto(true)).setTest(test.toProto(true)).setSkipShapley(true)
                .setSkipLeaveOneOut(true);
        if (nulls != null) {
            r.setNullTrain(nulls.train().toProto(false)).setNullTest(nulls.test().toProto(false));
        }
        return FusionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS)
                .scoreContributions(r.build());
    }

    /** Null features (one null per model) of the training and the test rows. */
    public record Nulls(Data train, Data test) {}

    /**
     * A labelled data set for n models.
     *
     * @param features per model i a row-major [rows x |f_i|] matrix
     * @param labels [rows] digits 0..9
     */
    public record Data(List<float[]> features, int[] labels) {
        /** @throws IllegalArgumentException if a feature matrix is empty or not a whole number of rows */
        public Data {
            for (int i = 0; i < features.size(); i++) {
                if (labels.length == 0 || features.get(i).length == 0 || features.get(i).length % labels.length != 0) {
                    throw new IllegalArgumentException("features[" + i + "]: must be [" + labels.length
                            + " x |f_i|] with |f_i| >= 1, got " + features.get(i).length + " values");
                }
            }
        }

        int rows() {
            return labels.length;
        }

        /** |f_i| of model i. */
        int featureSize(int i) {
            return features.get(i).length / labels.length;
        }

        Dataset toProto() {
            return toProto(true);
        }

        Dataset toProto(boolean withLabels) {
            Dataset.Builder d = Dataset.newBuilder();
            for (int i = 0; i < features.size(); i++) {
                Matrix.Builder m = Matrix.newBuilder().setRows(labels.length).setCols(featureSize(i));
                for (float v : features.get(i)) {
                    m.addValues(v);
                }
                d.addFeatures(m);
            }
            if (withLabels) {
                for (int l : labels) {
                    d.addLabels(l);
                }
            }
            return d.build();
        }
    }
}
