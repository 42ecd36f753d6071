package dev.fusionledger.fusion.server;

import dev.fusionledger.fusion.FusionConfig;
import dev.fusionledger.fusion.FusionData;
import dev.fusionledger.fusion.FusionModel;
import dev.fusionledger.fusion.FusionTrainer;
import dev.fusionledger.fusion.backend.BackendUnavailableException;
import dev.fusionledger.fusion.backend.ComputeBackend;
import dev.fusionledger.fusion.backend.ComputeBackends;
import dev.fusionledger.fusion.InvalidInputException;
import dev.fusionledger.fusion.Metrics;
import dev.fusionledger.proto.fusion.v1.FeatureBlock;
import dev.fusionledger.proto.fusion.v1.LabelBlock;
import dev.fusionledger.proto.fusion.v1.ModelShape;
import dev.fusionledger.proto.fusion.v1.Progress;
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

/** State of one Train call: the header, the rows received so far, then the training. */
final class TrainStream implements StreamObserver<TrainRequest> {
    /**
     * What every Train call shares: the model store, the limits, the executor and slots of
     * concurrent trainings, the trainer factory and the optional compute delegate (null: none).
     */
    record Resources(ModelStore store, ServerLimits limits, ExecutorService executor, Semaphore slots,
                     Supplier<FusionTrainer> trainers, ComputeDelegate delegate) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(FusionServiceImpl.class);
    private final Resources res;
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

    TrainStream(Resources res, ServerCallStreamObserver<TrainResponse> out, Context ctx, AtomicBoolean stop) {
        this.res = res;
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
        if (n > res.limits().maxModels()) {
            throw Errors.exhausted("header.models", n + " models, server limit " + res.limits().maxModels());
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
        if (rows + val > Integer.MAX_VALUE || values > res.limits().maxValues()) {
            throw Errors.exhausted("header.rows", (rows + val) + " rows x " + width + " values, server limit "
                    + res.limits().maxValues() + " values");
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
            if (!res.slots().tryAcquire()) {
                throw Errors.exhausted("train", res.limits().maxConcurrentTrainings()
                        + " trainings already running, server limit");
            }
            features = null;
            try {
                res.executor().execute(ctx.wrap(() -> run(train, validation)));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                res.slots().release();
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
            FusionTrainer trainer = backend != null ? new FusionTrainer(backend) : res.trainers().get();
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
            if (res.delegate() != null && validation == null && res.delegate().accepts(values)) {
                LOG.info("delegating the training ({} values) to {}", values, res.delegate().name());
                model = res.delegate().train(train, config, progress, stopped);
            } else {
                model = trainer.train(train, validation, config, progress, stopped);
            }
            String id = res.store().put(model);
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
            res.slots().release();
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
