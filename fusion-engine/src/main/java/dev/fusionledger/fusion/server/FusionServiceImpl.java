package dev.fusionledger.fusion.server;

import com.google.protobuf.ByteString;
import dev.fusionledger.fusion.ContributionReport;
import dev.fusionledger.fusion.ContributionScorer;
import dev.fusionledger.fusion.Evaluation;
import dev.fusionledger.fusion.FusionConfig;
import dev.fusionledger.fusion.FusionData;
import dev.fusionledger.fusion.FusionModel;
import dev.fusionledger.fusion.FusionTrainer;
import dev.fusionledger.fusion.InvalidInputException;
import dev.fusionledger.fusion.Metrics;
import dev.fusionledger.proto.fusion.v1.EvaluateRequest;
import dev.fusionledger.proto.fusion.v1.EvaluateResponse;
import dev.fusionledger.proto.fusion.v1.FusionServiceGrpc;
import dev.fusionledger.proto.fusion.v1.GetModelRequest;
import dev.fusionledger.proto.fusion.v1.GetModelResponse;
import dev.fusionledger.proto.fusion.v1.LabelSubset;
import dev.fusionledger.proto.fusion.v1.Matrix;
import dev.fusionledger.proto.fusion.v1.PredictRequest;
import dev.fusionledger.proto.fusion.v1.PredictResponse;
import dev.fusionledger.proto.fusion.v1.ScoreContributionsRequest;
import dev.fusionledger.proto.fusion.v1.ScoreContributionsResponse;
import dev.fusionledger.proto.fusion.v1.TrainRequest;
import dev.fusionledger.proto.fusion.v1.TrainResponse;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The FusionService rpcs (see fusion.proto for the contract). Training runs on the given
 * executor; unary rpcs run on the gRPC call thread. Cancellation and deadlines are seen through
 * the call's {@link Context} and stop training at the next mini-batch.
 */
final class FusionServiceImpl extends FusionServiceGrpc.FusionServiceImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(FusionServiceImpl.class);
    private final ModelStore store;
    private final ServerLimits limits;
    private final Supplier<FusionTrainer> trainers;
    private final ComputeDelegate delegate;
    private final TrainStream.Resources resources;

    FusionServiceImpl(ModelStore store, ServerLimits limits, ExecutorService trainingExecutor,
                      Supplier<FusionTrainer> trainers, ComputeDelegate delegate) {
        this.delegate = delegate;
        this.store = store;
        this.limits = limits;
        this.trainers = trainers;
        this.resources = new TrainStream.Resources(store, limits, trainingExecutor,
                new Semaphore(limits.maxConcurrentTrainings()), trainers, delegate);
    }

    private static <T> void unary(StreamObserver<T> out, Supplier<T> body) {
        try {
            out.onNext(body.get());
            out.onCompleted();
        } catch (StatusRuntimeException e) {
            out.onError(e);
        } catch (InvalidInputException e) {
            out.onError(Errors.invalid(e.field(), ProtoConvert.stripField(e)));
        } catch (CancellationException e) {
            out.onError(Status.CANCELLED.withDescription(e.getMessage()).asRuntimeException());
        } catch (RuntimeException e) {
            LOG.error("rpc failed", e);
            out.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
        }
    }

    private FusionModel model(String id) {
        if (!ModelStore.isValidId(id)) {
            throw Errors.invalid("model_id", "must be 64 lowercase hex characters (a SHA-256), got '" + id + "'");
        }
        try {
            return store.get(id).orElseThrow(() -> Errors.notFound(id));
        } catch (InvalidInputException | java.io.UncheckedIOException e) {
            LOG.error("stored model {} unreadable", id, e);
            throw Status.DATA_LOSS.withDescription("model_id: stored file of " + id + " is unreadable: "
                    + e.getMessage()).asRuntimeException();
        }
    }

    private static BooleanSupplier cancelled(Context ctx) {
        return ctx::isCancelled;
    }

    private static double[] own(FusionData data, List<LabelSubset> subsets, String field) {
        if (subsets.isEmpty()) {
            return null;
        }
        if (subsets.size() != data.models()) {
            throw Errors.invalid(field, "need one subset per model (" + data.models() + "), got " + subsets.size());
        }
        double[] own = new double[data.models()];
        for (int i = 0; i < own.length; i++) {
            List<Integer> cls = subsets.get(i).getClassesList();
            int[] s = cls.isEmpty() ? null : cls.stream().mapToInt(Integer::intValue).toArray();
            try {
                own[i] = Evaluation.ownAccuracy(data, i, s);
            } catch (InvalidInputException e) {
                own[i] = Double.NaN;
                if (e.field().startsWith("labelSubsets")) {
                    throw Errors.invalid(field + "[" + i + "]", ProtoConvert.stripField(e));
                }
            }
        }
        return own;
    }

    @Override
    public void evaluate(EvaluateRequest req, StreamObserver<EvaluateResponse> out) {
        unary(out, () -> {
            FusionModel m = model(req.getModelId());
            FusionData data = ProtoConvert.dataset(req.getData(), "data", m.classes(), true, null, limits);
            Metrics metrics = m.evaluate(dataChecked(m, data));
            return EvaluateResponse.newBuilder()
                    .setMetrics(ProtoConvert.metrics(metrics, own(data, req.getLabelSubsetsList(), "label_subsets")))
                    .build();
        });
    }

    private static FusionData dataChecked(FusionModel m, FusionData data) {
        int[] fs = m.featureSizes();
        int[] got = data.featureSizes();
        if (got.length != fs.length) {
            throw Errors.invalid("data.features", "model takes " + fs.length + " inputs, got " + got.length);
        }
        for (int i = 0; i < fs.length; i++) {
            if (fs[i] != got[i]) {
                throw Errors.invalid("data.features[" + i + "].cols", "model expects [N x " + fs[i] + "], got [N x "
                        + got[i] + "]");
            }
        }
        return data;
    }

    @Override
    public void predict(PredictRequest req, StreamObserver<PredictResponse> out) {
        unary(out, () -> {
            FusionModel m = model(req.getModelId());
            FusionData data = dataChecked(m, ProtoConvert.dataset(req.getData(), "data", m.classes(), false, null, limits));
            float[] p = m.probabilities(data);
            int d = m.classes();
            PredictResponse.Builder b = PredictResponse.newBuilder();
            for (int r = 0; r < data.rows(); r++) {
                int arg = 0;
                for (int j = 1; j < d; j++) {
                    if (p[r * d + j] > p[r * d + arg]) {
                        arg = j;
                    }
                }
                b.addClasses(arg);
            }
            if (req.getIncludeProbabilities()) {
                Matrix.Builder mb = Matrix.newBuilder().setRows(data.rows()).setCols(d);
                for (float v : p) {
                    mb.addValues(v);
                }
                b.setProbabilities(mb);
            }
            return b.build();
        });
    }

    @Override
    public void scoreContributions(ScoreContributionsRequest req, StreamObserver<ScoreContributionsResponse> out) {
        Context ctx = Context.current();
        unary(out, () -> {
            FusionConfig cfg = ProtoConvert.config(req.getConfig(), "");
            int d = req.getClasses();
            if (d < 2 || d > 65536) {
                throw Errors.invalid("classes", "d must be in 2..65536, got " + Integer.toUnsignedString(d));
            }
            int perms = req.getShapleyPermutations() == 0 ? 20 : req.getShapleyPermutations();
            if (perms < 0 || perms > limits.maxPermutations()) {
                throw Errors.exhausted("shapley_permutations", Integer.toUnsignedString(perms) + " permutations, server limit "
                        + limits.maxPermutations());
            }
            int[] lc = req.getLabelCountsCount() == 0 ? null
                    : req.getLabelCountsList().stream().mapToInt(Integer::intValue).toArray();
            if (lc != null && lc.length != req.getTrain().getFeaturesCount()) {
                throw Errors.invalid("label_counts", "need one |l_i| per model (" + req.getTrain().getFeaturesCount()
                        + "), got " + lc.length);
            }
            FusionData train = ProtoConvert.dataset(req.getTrain(), "train", d, true, lc, limits);
            FusionData test = ProtoConvert.dataset(req.getTest(), "test", d, true, lc, limits);
            if (!java.util.Arrays.equals(train.featureSizes(), test.featureSizes())) {
                throw Errors.invalid("test.features", "shapes " + java.util.Arrays.toString(test.featureSizes())
                        + " differ from train " + java.util.Arrays.toString(train.featureSizes()));
            }
            FusionData nullTrain = null;
            FusionData nullTest = null;
            if (req.hasNullTrain() || req.hasNullTest()) {
                if (!req.hasNullTrain() || !req.hasNullTest()) {
                    throw Errors.invalid(req.hasNullTrain() ? "null_test" : "null_train",
                            "null features are needed for both the train and the test rows");
                }
                nullTrain = ProtoConvert.dataset(withLabels(req.getNullTrain(), req.getTrain(), "null_train"),
                        "null_train", d, true, lc, limits);
                nullTest = ProtoConvert.dataset(withLabels(req.getNullTest(), req.getTest(), "null_test"), "null_test",
                        d, true, lc, limits);
            }
            ContributionScorer.Measures measures = new ContributionScorer.Measures(req.getSkipShapley() ? 0 : perms,
                    req.getShapleySeed(), !req.getSkipLeaveOneOut(), nullTrain, nullTest);
            try {
                ContributionScorer scorer = new ContributionScorer(trainers.get());
                long values = (long) train.rows() * train.totalFeatures();
                ContributionReport rep = delegate != null && delegate.accepts(values)
                        ? scorer.score(train, test, cfg, measures, cancelled(ctx), delegate.coalitions())
                        : scorer.score(train, test, cfg, measures, cancelled(ctx));
                ScoreContributionsResponse.Builder b = ScoreContributionsResponse.newBuilder()
                        .setFullAccuracy(rep.fullAccuracy()).setEmptyAccuracy(rep.emptyAccuracy())
                        .setFusionsTrained(rep.fusionsTrained());
                for (int i = 0; i < train.models(); i++) {
                    b.addPrefixAccuracy(rep.prefixAccuracy()[i]).addMarginal(rep.marginal()[i])
                            .addLeaveOneOut(rep.leaveOneOut()[i]).addShapley(rep.shapley()[i]);
                    if (nullTrain != null) {
                        b.addNullPrefixAccuracy(rep.nullPrefixAccuracy()[i]).addNullMarginal(rep.nullMarginal()[i]);
                    }
                }
                double[] own = own(test, req.getLabelSubsetsList(), "label_subsets");
                if (own != null) {
                    for (double o : own) {
                        b.addOwnAccuracy(o);
                    }
                }
                return b.build();
            } catch (InvalidInputException e) {
                throw Errors.invalid(ProtoConvert.protoField("", e.field()), ProtoConvert.stripField(e));
            }
        });
    }

    /**
     * The null features are of the same rows as {@code rows}: each matrix must have its row count,
     * and the labels are taken from it.
     */
    private static dev.fusionledger.proto.fusion.v1.Dataset withLabels(dev.fusionledger.proto.fusion.v1.Dataset nulls,
            dev.fusionledger.proto.fusion.v1.Dataset rows, String field) {
        for (int i = 0; i < nulls.getFeaturesCount(); i++) {
            if (nulls.getFeatures(i).getRows() != rows.getLabelsCount()) {
                throw Errors.invalid(field + ".features[" + i + "].rows", "must equal the " + rows.getLabelsCount()
                        + " rows it stands for, got " + Integer.toUnsignedString(nulls.getFeatures(i).getRows()));
            }
        }
        return nulls.toBuilder().clearLabels().addAllLabels(rows.getLabelsList()).build();
    }

    @Override
    public void getModel(GetModelRequest req, StreamObserver<GetModelResponse> out) {
        unary(out, () -> {
            FusionModel m = model(req.getModelId());
            GetModelResponse.Builder b = GetModelResponse.newBuilder().setModel(ProtoConvert.info(req.getModelId(), m));
            if (req.getIncludeFile()) {
                b.setFile(ByteString.copyFrom(m.toBytes()));
            }
            return b.build();
        });
    }

    @Override
    public StreamObserver<TrainRequest> train(StreamObserver<TrainResponse> responses) {
        ServerCallStreamObserver<TrainResponse> out = (ServerCallStreamObserver<TrainResponse>) responses;
        Context ctx = Context.current();
        AtomicBoolean stop = new AtomicBoolean();
        out.setOnCancelHandler(() -> {
            stop.set(true);
            LOG.info("Train call cancelled by the client or its deadline");
        });
        return new TrainStream(resources, out, ctx, stop);
    }

}
