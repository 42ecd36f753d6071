package dev.fusionledger.demo.run;

import dev.fusionledger.proto.fusion.v1.Dataset;
import dev.fusionledger.proto.fusion.v1.EvaluateRequest;
import dev.fusionledger.proto.fusion.v1.EvaluateResponse;
import dev.fusionledger.proto.fusion.v1.FeatureBlock;
import dev.fusionledger.proto.fusion.v1.FusionServiceGrpc;
import dev.fusionledger.proto.fusion.v1.LabelBlock;
import dev.fusionledger.proto.fusion.v1.LabelSubset;
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
 * contributed models' outputs (Strategy I or II, Mendis et al. Section III-B), evaluates it, and
 * scores contributions. Each model's features are its 10 softmax scores per image, [N x 10]
 * row-major float32.
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
     * The fusion hyper-parameters the demo uses: Adam, learning rate 0.01, batch 128; Strategy I
     * {@code epochs} epochs, Strategy II {@code epochs/2} + {@code epochs/2} epochs (stage 1, stage 2).
     */
    public static TrainConfig config(Strategy strategy, int epochs, long seed) {
        int half = Math.max(1, epochs / 2);
        return TrainConfig.newBuilder().setStrategy(strategy).setEpochs(epochs).setStage1Epochs(half)
                .setStage2Epochs(half).setHasStage2Epochs(true).setBatchSize(128).setLearningRate(0.01f)
                .setSeed(seed).build();
    }

    /**
     * Trains a fusion on {@code train} through the streaming {@code Train} rpc and evaluates the
     * stored model on {@code test} with {@code Evaluate}.
     *
     * @param train features [N x 10] per model and labels [N]
     * @param test features [M x 10] per model and labels [M]
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
            h.addModels(ModelShape.newBuilder().setOutputSize(CLASSES).setLabelCount(CLASSES));
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
     * Scores contributions ({@code ScoreContributions}): fusions of subsets trained on {@code train},
     * accuracies measured on {@code test}; prefix accuracies (Fig. 7/9), marginal, leave-one-out,
     * Monte-Carlo Shapley, and each model's own accuracy on {@code subsets} (Fig. 6/8).
     *
     * @param subsets per model the digits it was trained on
     */
    public ScoreContributionsResponse score(TrainConfig config, Data train, Data test, List<List<Integer>> subsets,
            int shapleyPermutations, long seed) {
        ScoreContributionsRequest.Builder r = ScoreContributionsRequest.newBuilder().setConfig(config)
                .setClasses(CLASSES).setTrain(train.toProto()).setTest(test.toProto())
                .setShapleyPermutations(shapleyPermutations).setShapleySeed(seed);
        for (List<Integer> s : subsets) {
            LabelSubset.Builder ls = LabelSubset.newBuilder();
            s.forEach(ls::addClasses);
            r.addLabelSubsets(ls);
        }
        return FusionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS)
                .scoreContributions(r.build());
    }

    /**
     * A labelled data set for n models.
     *
     * @param features per model [rows x 10] row-major scores
     * @param labels [rows] digits 0..9
     */
    public record Data(List<float[]> features, int[] labels) {
        /** @throws IllegalArgumentException if a feature matrix is not [labels.length x 10] */
        public Data {
            for (int i = 0; i < features.size(); i++) {
                if (features.get(i).length != labels.length * CLASSES) {
                    throw new IllegalArgumentException("features[" + i + "]: must be [" + labels.length + " x 10], got "
                            + features.get(i).length + " values");
                }
            }
        }

        int rows() {
            return labels.length;
        }

        Dataset toProto() {
            Dataset.Builder d = Dataset.newBuilder();
            for (float[] f : features) {
                Matrix.Builder m = Matrix.newBuilder().setRows(labels.length).setCols(CLASSES);
                for (float v : f) {
                    m.addValues(v);
                }
                d.addFeatures(m);
            }
            for (int l : labels) {
                d.addLabels(l);
            }
            return d.build();
        }
    }
}
