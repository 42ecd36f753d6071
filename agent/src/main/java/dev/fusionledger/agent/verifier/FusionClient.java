package dev.fusionledger.agent.verifier;

import dev.fusionledger.proto.fusion.v1.Dataset;
import dev.fusionledger.proto.fusion.v1.FusionServiceGrpc;
import dev.fusionledger.proto.fusion.v1.Matrix;
import dev.fusionledger.proto.fusion.v1.ScoreContributionsRequest;
import dev.fusionledger.proto.fusion.v1.ScoreContributionsResponse;
import dev.fusionledger.proto.fusion.v1.Strategy;
import dev.fusionledger.proto.fusion.v1.TrainConfig;
import io.grpc.ManagedChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The verifiers' side of the fusion engine's gRPC API (proto/ fusion.proto): fusions of the
 * contributed models' upper-layer features (Strategy I or II, Mendis et al. Section III-B) after
 * models 1..k, and Shapley values of the models, both through {@code ScoreContributions}. Model
 * i's features are an [N × |f_i|] row-major float32 matrix: its upper-layer features for the
 * fusion, its L class scores for the contribution game (docs/fusion.md).
 */
public final class FusionClient {
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
     * The fused accuracy after models 1..k in submission order (Fig. 7/9): {@code ScoreContributions}
     * without Shapley or leave-one-out; fusions trained on {@code train}, measured on {@code test}.
     *
     * @throws io.grpc.StatusRuntimeException on an rpc error
     */
    public ScoreContributionsResponse prefixes(TrainConfig config, int classes, Data train, Data test) {
        return call(request(config, classes, train, test).setSkipShapley(true).setSkipLeaveOneOut(true));
    }

    /**
     * Monte-Carlo Shapley values of the models ({@code ScoreContributions} without leave-one-out):
     * v(S) is the accuracy on {@code test} of a fusion of S trained on {@code train}.
     *
     * @param permutations Monte-Carlo permutations, 1..the server's limit
     * @throws io.grpc.StatusRuntimeException on an rpc error
     */
    public ScoreContributionsResponse shapley(TrainConfig config, int classes, Data train, Data test,
            int permutations, long seed) {
        return call(request(config, classes, train, test).setSkipLeaveOneOut(true).setShapleyPermutations(permutations)
                .setShapleySeed(seed));
    }

    private static ScoreContributionsRequest.Builder request(TrainConfig config, int classes, Data train, Data test) {
        return ScoreContributionsRequest.newBuilder().setConfig(config).setClasses(classes).setTrain(train.toProto())
                .setTest(test.toProto());
    }

    private ScoreContributionsResponse call(ScoreContributionsRequest.Builder r) {
        return FusionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS)
                .scoreContributions(r.build());
    }

    /**
     * A labelled data set for n models.
     *
     * @param features per model i a row-major [rows x |f_i|] matrix
     * @param labels [rows] class indices 0..L-1
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
            Dataset.Builder d = Dataset.newBuilder();
            for (int i = 0; i < features.size(); i++) {
                Matrix.Builder m = Matrix.newBuilder().setRows(labels.length).setCols(featureSize(i));
                for (float v : features.get(i)) {
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
