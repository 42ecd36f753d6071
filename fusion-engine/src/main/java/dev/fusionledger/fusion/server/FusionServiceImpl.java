package dev.fusionledger.fusion.server;

import com.google.protobuf.ByteString;
import dev.fusionledger.fusion.ContributionReport;
import dev.fusionledger.fusion.ContributionScorer;
import dev.fusionledger.fusion.Evaluation;
import dev.fusionledger.fusion.FusionConfig;
import dev.fusionledger.fusion.FusionData;
import dev.fusionledger.fusion.FusionModel;
import dev.fusionledger.fusion.FusionTrainer;
import dev.fusionledger.fusion.backend.BackendUnavailableException;
import dev.fusionledger.fusion.backend.ComputeBackend;
import dev.fusionledger.fusion.backend.ComputeBackends;
import dev.fusionledger.fusion.InvalidInputException;
import dev.fusionledger.fusion.Metrics;
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
import dev.fusionledger.proto.fusion.v1.Progress;
import dev.fusionledger.proto.fusion.v1.ScoreContributionsRequest;
import dev.fusionledger.proto.fusion.v1.ScoreContributionsResponse;
import dev.fusionledger.proto.fusion.v1.Stage;
import dev.fusionledger.proto.fusion.v1.TrainHeader;
import dev.fusionledger.proto.fusion.v1.TrainRequest;
import dev.fusionledger.proto.fusion.v1.TrainResponse;
import dev.fusionledger.proto.fusion.v1.TrainResult;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.BitSet;
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
    private final ExecutorService trainingExecutor;
    private final Semaphore trainingSlots;
    private final Supplier<FusionTrainer> trainers;
    private final ComputeDelegate delegate;

    FusionServiceImpl(ModelStore store, ServerLimits limits, ExecutorService trainingExecutor,
                      Supplier<FusionTrainer> trainers, ComputeDelegate delegate) {
        this.delegate = delegate;
        this.store = store;
        this.limits = limits;
        this.trainingExecutor = trainingExecutor;
        this.trainingSlots = new Semaphore(limits.maxConcurrentTrainings());
        this.trainers = trainers;
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
        return new TrainStream(out, ctx, stop);
    }

    /** State of one Train call: the header, the rows received so far, then the training. */
    private final class TrainStream implements StreamObserver<TrainRequest> {
        private final ServerCallStreamObserver<TrainResponse> out;
        private final Context ctx;
        private final AtomicBoolean stop;
        private boolean failed;
        private TrainHeader header;
        private FusionConfig config;
        private ComputeBackend backend;
        private int total;
        private int[] sizes;
        private float[][] features;
        private BitSet[] featureRows;
        private int[] labels;
        private BitSet labelRows;

        TrainStream(ServerCallStreamObserver<TrainResponse> out, Context ctx, AtomicBoolean stop) {
            this.out = out;
            this.ctx = ctx;
            this.stop = stop;
        }

        private void fail(StatusRuntimeException e) {
            if (!failed) {
                failed = true;
                header = null;
                features = null;
                labels = null;
                out.onError(e);
            }
        }

        @Override
        public void onNext(TrainRequest req) {
            if (failed) {
                return;
            }
            try {
                switch (req.getPayloadCase()) {
                    case HEADER -> onHeader(req.getHeader());
                    case FEATURES -> onFeatures(req.getFeatures());
                    case LABELS -> onLabels(req.getLabels());
                    default -> throw Errors.invalid("payload", "each TrainRequest needs a header, features or labels");
                }
            } catch (StatusRuntimeException e) {
                fail(e);
            }
        }

        private void onHeader(TrainHeader h) {
            if (header != null) {
                throw Errors.invalid("header", "sent twice; exactly one header, first");
            }
            FusionConfig cfg = ProtoConvert.config(h.getConfig(), "header.");
            ComputeBackend requested = requestedBackend(h.getConfig().getBackend());
            int d = h.getClasses();
            if (d < 2 || d > 65536) {
                throw Errors.invalid("header.classes", "d must be in 2..65536, got " + Integer.toUnsignedString(d));
            }
            int n = h.getModelsCount();
            if (n < 1) {
                throw Errors.invalid("header.models", "need at least one model shape");
            }
            if (n > limits.maxModels()) {
                throw Errors.exhausted("header.models", n + " models, server limit " + limits.maxModels());
            }
            long rows = Integer.toUnsignedLong(h.getRows());
            long val = Integer.toUnsignedLong(h.getValidationRows());
            if (rows < 1) {
                throw Errors.invalid("header.rows", "N must be at least 1");
            }
            if (cfg.earlyStoppingPatience() > 0 && val == 0) {
                throw Errors.invalid("header.validation_rows", "early stopping needs validation rows (> 0)");
            }
            long width = 0;
            int[] fs = new int[n];
            for (int i = 0; i < n; i++) {
                ModelShape s = h.getModels(i);
                if (s.getOutputSize() < 1 || s.getOutputSize() > 65536) {
                    throw Errors.invalid("header.models[" + i + "].output_size", "|f_" + i + "| must be in 1..65536, got "
                            + Integer.toUnsignedString(s.getOutputSize()));
                }
                int lc = s.getLabelCount() == 0 ? d : s.getLabelCount();
                if (lc < 1 || lc > 65536) {
                    throw Errors.invalid("header.models[" + i + "].label_count", "|l_" + i + "| must be in 1..65536, got "
                            + Integer.toUnsignedString(s.getLabelCount()));
                }
                if (cfg.strategy() == dev.fusionledger.fusion.Strategy.II && lc != d) {
                    throw Errors.invalid("header.models[" + i + "].label_count", "Strategy II needs |l_" + i
                            + "| = d = " + d + ", got " + lc);
                }
                fs[i] = s.getOutputSize();
                width += fs[i];
            }
            long values = (rows + val) * width;
            if (rows + val > Integer.MAX_VALUE || values > limits.maxValues()) {
                throw Errors.exhausted("header.rows", (rows + val) + " rows x " + width + " values, server limit "
                        + limits.maxValues() + " values");
            }
            total = (int) (rows + val);
            sizes = fs;
            features = new float[n][];
            featureRows = new BitSet[n];
            for (int i = 0; i < n; i++) {
                features[i] = new float[total * fs[i]];
                featureRows[i] = new BitSet(total);
            }
            labels = new int[total];
            labelRows = new BitSet(total);
            config = cfg;
            backend = requested;
            header = h;
        }

        /** @return the backend the request names, null for the server's */
        private ComputeBackend requestedBackend(String name) {
            if (name.isEmpty()) {
                return null;
            }
            try {
                return ComputeBackends.create(name);
            } catch (IllegalArgumentException e) {
                throw Errors.invalid("header.config.backend", "one of " + ComputeBackends.NAMES
                        + ", or empty for the server's; got '" + name + "'");
            } catch (BackendUnavailableException e) {
                throw Errors.unavailable("header.config.backend", e.getMessage());
            }
        }

        private void onFeatures(FeatureBlock b) {
            if (header == null) {
                throw Errors.invalid("header", "the first TrainRequest must be the header");
            }
            int i = b.getModelIndex();
            if (i < 0 || i >= sizes.length) {
                throw Errors.invalid("features.model_index", "must be in 0.." + (sizes.length - 1) + ", got "
                        + Integer.toUnsignedString(i));
            }
            long off = Integer.toUnsignedLong(b.getRowOffset());
            long rows = Integer.toUnsignedLong(b.getRows());
            if (rows < 1 || off + rows > total) {
                throw Errors.invalid("features.row_offset", "rows " + off + ".." + (off + rows - 1)
                        + " outside 0.." + (total - 1) + " (model " + i + ")");
            }
            long expected = rows * sizes[i];
            if (b.getValuesCount() != expected) {
                throw Errors.invalid("features.values", "block of " + rows + " rows x |f_" + i + "| = " + sizes[i]
                        + " needs " + expected + " values, got " + b.getValuesCount());
            }
            float[] dst = features[i];
            int base = (int) off * sizes[i];
            for (int k = 0; k < expected; k++) {
                dst[base + k] = b.getValues(k);
            }
            featureRows[i].set((int) off, (int) (off + rows));
        }

        private void onLabels(LabelBlock b) {
            if (header == null) {
                throw Errors.invalid("header", "the first TrainRequest must be the header");
            }
            long off = Integer.toUnsignedLong(b.getRowOffset());
            int count = b.getLabelsCount();
            if (count < 1 || off + count > total) {
                throw Errors.invalid("labels.row_offset", "rows " + off + ".." + (off + count - 1) + " outside 0.."
                        + (total - 1));
            }
            int d = header.getClasses();
            for (int k = 0; k < count; k++) {
                int y = b.getLabels(k);
                if (y < 0 || y >= d) {
                    throw Errors.invalid("labels.labels", "label for row " + (off + k) + " is "
                            + Integer.toUnsignedString(y) + "; must be in 0.." + (d - 1));
                }
                labels[(int) off + k] = y;
            }
            labelRows.set((int) off, (int) off + count);
        }

        @Override
        public void onError(Throwable t) {
            stop.set(true);
            failed = true;
            features = null;
        }

        @Override
        public void onCompleted() {
            if (failed) {
                return;
            }
            try {
                if (header == null) {
                    throw Errors.invalid("header", "stream ended without a header");
                }
                for (int i = 0; i < sizes.length; i++) {
                    int missing = featureRows[i].nextClearBit(0);
                    if (missing < total) {
                        throw Errors.invalid("features", "model " + i + " row " + missing + " (of " + total
                                + ") was not sent");
                    }
                }
                int missing = labelRows.nextClearBit(0);
                if (missing < total) {
                    throw Errors.invalid("labels", "label of row " + missing + " (of " + total + ") was not sent");
                }
                FusionData train = build(0, header.getRows());
                FusionData validation = header.getValidationRows() == 0 ? null : build(header.getRows(), total);
                if (!trainingSlots.tryAcquire()) {
                    throw Errors.exhausted("train", limits.maxConcurrentTrainings()
                            + " trainings already running, server limit");
                }
                features = null;
                try {
                    trainingExecutor.execute(ctx.wrap(() -> run(train, validation)));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    trainingSlots.release();
                    throw Status.UNAVAILABLE.withDescription("server is shutting down").asRuntimeException();
                }
            } catch (StatusRuntimeException e) {
                fail(e);
            }
        }

        private FusionData build(int from, int to) {
            List<float[]> f = new ArrayList<>();
            for (int i = 0; i < sizes.length; i++) {
                f.add(java.util.Arrays.copyOfRange(features[i], from * sizes[i], to * sizes[i]));
            }
            int[] lc = new int[sizes.length];
            for (int i = 0; i < lc.length; i++) {
                int l = header.getModels(i).getLabelCount();
                lc[i] = l == 0 ? header.getClasses() : l;
            }
            try {
                return FusionData.of(f, sizes, java.util.Arrays.copyOfRange(labels, from, to), header.getClasses(), lc);
            } catch (InvalidInputException e) {
                throw Errors.invalid(ProtoConvert.protoField("header.", e.field()).replace("header.features", "features"),
                        ProtoConvert.stripField(e));
            }
        }

        private void run(FusionData train, FusionData validation) {
            long t0 = System.nanoTime();
            try {
                LOG.info("training {} models, N = {}, d = {}, strategy {}", train.models(), train.rows(),
                        train.classes(), config.strategy());
                FusionTrainer trainer = backend != null ? new FusionTrainer(backend) : trainers.get();
                java.util.function.Consumer<dev.fusionledger.fusion.Progress> progress = p -> {
                    synchronized (out) {
                        if (!stop.get()) {
                            out.onNext(TrainResponse.newBuilder().setProgress(Progress.newBuilder()
                                    .setStage(stage(p.stage())).setEpoch(p.epoch()).setLoss(p.loss())
                                    .setAccuracy(p.accuracy()).setValidationLoss(p.validationLoss())
                                    .setSamplesSeen(p.samplesSeen())).build());
                        }
                    }
                };
                BooleanSupplier stopped = () -> stop.get() || ctx.isCancelled();
                long values = (long) train.rows() * train.totalFeatures();
                FusionModel model;
                if (delegate != null && validation == null && delegate.accepts(values)) {
                    LOG.info("delegating the training ({} values) to {}", values, delegate.name());
                    model = delegate.train(train, config, progress, stopped);
                } else {
                    model = trainer.train(train, validation, config, progress, stopped);
                }
                String id = store.put(model);
                Metrics m = model.evaluate(train, trainer.backend());
                double secs = (System.nanoTime() - t0) / 1e9;
                LOG.info("trained model {} in {} s, training accuracy {}", id, String.format("%.3f", secs),
                        m.accuracy());
                synchronized (out) {
                    out.onNext(TrainResponse.newBuilder().setResult(TrainResult.newBuilder()
                            .setModel(ProtoConvert.info(id, model)).setTrainingMetrics(ProtoConvert.metrics(m, null))
                            .setSeconds(secs)).build());
                    out.onCompleted();
                }
            } catch (CancellationException e) {
                LOG.info("training stopped: {}", e.getMessage());
                synchronized (out) {
                    if (!out.isCancelled()) {
                        out.onError(Status.CANCELLED.withDescription("training stopped").asRuntimeException());
                    }
                }
            } catch (InvalidInputException e) {
                synchronized (out) {
                    out.onError(Errors.invalid(ProtoConvert.protoField("header.", e.field()), ProtoConvert.stripField(e)));
                }
            } catch (RuntimeException e) {
                LOG.error("training failed", e);
                synchronized (out) {
                    out.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
                }
            } finally {
                trainingSlots.release();
            }
        }
    }

    private static Stage stage(dev.fusionledger.fusion.Stage s) {
        return switch (s) {
            case STRATEGY_I -> Stage.STAGE_STRATEGY_I;
            case II_BLOCKS -> Stage.STAGE_II_BLOCKS;
            case II_FULL -> Stage.STAGE_II_FULL;
        };
    }
}
