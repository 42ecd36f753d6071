package dev.fusionledger.fusion.server;

import dev.fusionledger.fusion.FusionConfig;
import dev.fusionledger.fusion.FusionData;
import dev.fusionledger.fusion.FusionModel;
import dev.fusionledger.fusion.InvalidInputException;
import dev.fusionledger.fusion.Metrics;
import dev.fusionledger.fusion.Strategy;
import dev.fusionledger.proto.fusion.v1.Dataset;
import dev.fusionledger.proto.fusion.v1.Matrix;
import dev.fusionledger.proto.fusion.v1.ModelInfo;
import dev.fusionledger.proto.fusion.v1.ModelShape;
import dev.fusionledger.proto.fusion.v1.Provenance;
import dev.fusionledger.proto.fusion.v1.TrainConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Conversions between the proto messages and the library, with checks naming proto fields. */
final class ProtoConvert {
    private static final Map<String, String> CONFIG_FIELDS = Map.ofEntries(
            Map.entry("config.strategy", "config.strategy"),
            Map.entry("config.epochs", "config.epochs"),
            Map.entry("config.stage1Epochs", "config.stage1_epochs"),
            Map.entry("config.stage2Epochs", "config.stage2_epochs"),
            Map.entry("config.batchSize", "config.batch_size"),
            Map.entry("config.learningRate", "config.learning_rate"),
            Map.entry("config.beta1", "config.adam_beta1"),
            Map.entry("config.beta2", "config.adam_beta2"),
            Map.entry("config.epsilon", "config.adam_epsilon"),
            Map.entry("config.l2", "config.l2"),
            Map.entry("config.earlyStoppingPatience", "config.early_stopping_patience"),
            Map.entry("labelCounts", "label_counts"),
            Map.entry("shapleyPermutations", "shapley_permutations"));

    private ProtoConvert() {
    }

    /**
     * Library field name to proto field name, under a prefix.
     *
     * @param prefix e.g. "data." or "header."
     * @param field  library field
     * @return proto field
     */
    static String protoField(String prefix, String field) {
        String f = CONFIG_FIELDS.getOrDefault(field, field);
        if (f.startsWith("labelCounts[")) {
            f = "models[" + f.substring("labelCounts[".length(), f.indexOf(']')) + "].label_count";
        } else if (f.startsWith("featureSizes[")) {
            f = "models[" + f.substring("featureSizes[".length(), f.indexOf(']')) + "].output_size";
        }
        return prefix + f;
    }

    static FusionConfig config(TrainConfig c, String prefix) {
        FusionConfig.Builder b = FusionConfig.builder();
        switch (c.getStrategy()) {
            case STRATEGY_I -> b.strategy(Strategy.I);
            case STRATEGY_II -> b.strategy(Strategy.II);
            default -> throw Errors.invalid(prefix + "config.strategy", "must be STRATEGY_I or STRATEGY_II, got "
                    + c.getStrategy());
        }
        if (c.getEpochs() != 0) {
            b.epochs(c.getEpochs());
        }
        if (c.getStage1Epochs() != 0) {
            b.stage1Epochs(c.getStage1Epochs());
        }
        if (c.getStage2Epochs() != 0 || c.getHasStage2Epochs()) {
            b.stage2Epochs(c.getStage2Epochs());
        }
        if (c.getBatchSize() != 0) {
            b.batchSize(c.getBatchSize());
        }
        if (c.getLearningRate() != 0f) {
            b.learningRate(c.getLearningRate());
        }
        if (c.getAdamBeta1() != 0f) {
            b.beta1(c.getAdamBeta1());
        }
        if (c.getAdamBeta2() != 0f) {
            b.beta2(c.getAdamBeta2());
        }
        if (c.getAdamEpsilon() != 0f) {
            b.epsilon(c.getAdamEpsilon());
        }
        b.l2(c.getL2()).seed(c.getSeed()).earlyStoppingPatience(c.getEarlyStoppingPatience());
        try {
            return b.build();
        } catch (InvalidInputException e) {
            throw Errors.invalid(protoField(prefix, e.field()), stripField(e));
        }
    }

    static String stripField(InvalidInputException e) {
        String m = e.getMessage();
        String p = e.field() + ": ";
        return m.startsWith(p) ? m.substring(p.length()) : m;
    }

    static TrainConfig toProto(FusionConfig c) {
        return TrainConfig.newBuilder()
                .setStrategy(c.strategy() == Strategy.I ? dev.fusionledger.proto.fusion.v1.Strategy.STRATEGY_I
                        : dev.fusionledger.proto.fusion.v1.Strategy.STRATEGY_II)
                .setEpochs(c.epochs()).setStage1Epochs(c.stage1Epochs()).setStage2Epochs(c.stage2Epochs())
                .setHasStage2Epochs(true).setBatchSize(c.batchSize()).setLearningRate(c.learningRate())
                .setAdamBeta1(c.beta1()).setAdamBeta2(c.beta2()).setAdamEpsilon(c.epsilon()).setL2(c.l2())
                .setSeed(c.seed()).setEarlyStoppingPatience(c.earlyStoppingPatience()).build();
    }

    /**
     * Checks and converts a Dataset.
     *
     * @param d           the message
     * @param prefix      field prefix, e.g. "data"
     * @param classes     d
     * @param needLabels  labels required
     * @param labelCounts |l_i| or null
     * @param limits      server limits
     */
    static FusionData dataset(Dataset d, String prefix, int classes, boolean needLabels, int[] labelCounts,
                              ServerLimits limits) {
        int n = d.getFeaturesCount();
        if (n < 1) {
            throw Errors.invalid(prefix + ".features", "need one matrix per model, got none");
        }
        if (n > limits.maxModels()) {
            throw Errors.exhausted(prefix + ".features", n + " models, server limit " + limits.maxModels());
        }
        long total = 0;
        List<float[]> feats = new ArrayList<>(n);
        int[] sizes = new int[n];
        for (int i = 0; i < n; i++) {
            Matrix m = d.getFeatures(i);
            String f = prefix + ".features[" + i + "]";
            if (m.getCols() < 1) {
                throw Errors.invalid(f + ".cols", "|f_" + i + "| must be at least 1, got " + Integer.toUnsignedString(m.getCols()));
            }
            if (m.getRows() < 1) {
                throw Errors.invalid(f + ".rows", "N must be at least 1, got " + Integer.toUnsignedString(m.getRows()));
            }
            long expected = Integer.toUnsignedLong(m.getRows()) * Integer.toUnsignedLong(m.getCols());
            total += expected;
            if (total > limits.maxValues()) {
                throw Errors.exhausted(prefix + ".features", "more than " + limits.maxValues() + " values");
            }
            if (m.getValuesCount() != expected) {
                throw Errors.invalid(f + ".values", "shape [" + Integer.toUnsignedString(m.getRows()) + " x "
                        + Integer.toUnsignedString(m.getCols()) + "] needs " + expected + " values, got "
                        + m.getValuesCount());
            }
            if (i > 0 && m.getRows() != d.getFeatures(0).getRows()) {
                throw Errors.invalid(f + ".rows", "has " + m.getRows() + " rows, features[0] has "
                        + d.getFeatures(0).getRows() + "; all models need the same N");
            }
            float[] v = new float[(int) expected];
            for (int k = 0; k < v.length; k++) {
                v[k] = m.getValues(k);
            }
            feats.add(v);
            sizes[i] = m.getCols();
        }
        int[] labels = null;
        if (needLabels) {
            int rows = d.getFeatures(0).getRows();
            if (d.getLabelsCount() != rows) {
                throw Errors.invalid(prefix + ".labels", "need N = " + rows + " labels, got " + d.getLabelsCount());
            }
            labels = new int[rows];
            for (int r = 0; r < rows; r++) {
                int y = d.getLabels(r);
                if (y < 0 || y >= classes) {
                    throw Errors.invalid(prefix + ".labels", "label at row " + r + " is " + Integer.toUnsignedString(y)
                            + "; must be in 0.." + (classes - 1));
                }
                labels[r] = y;
            }
        }
        try {
            return FusionData.of(feats, sizes, labels, classes, labelCounts);
        } catch (InvalidInputException e) {
            throw Errors.invalid(protoField(prefix + ".", e.field()), stripField(e));
        }
    }

    static ModelInfo info(String id, FusionModel m) {
        ModelInfo.Builder b = ModelInfo.newBuilder().setModelId(id).setSha256(id).setClasses(m.classes());
        int[] fs = m.featureSizes();
        int[] lc = m.labelCounts();
        for (int i = 0; i < fs.length; i++) {
            b.addModels(ModelShape.newBuilder().setOutputSize(fs[i]).setLabelCount(lc[i]));
        }
        b.setProvenance(Provenance.newBuilder().setConfig(toProto(m.provenance().config()))
                .setSeed(m.provenance().seed()).setTrainingSha256(m.provenance().trainingSha256())
                .setEngineVersion(m.provenance().engineVersion()).setFormatVersion(FusionModel.FORMAT_VERSION));
        return b.build();
    }

    static dev.fusionledger.proto.fusion.v1.Metrics metrics(Metrics m, double[] own) {
        var b = dev.fusionledger.proto.fusion.v1.Metrics.newBuilder().setAccuracy(m.accuracy()).setLoss(m.loss())
                .setSamples(m.samples()).setClasses(m.classes());
        for (long c : m.confusion()) {
            b.addConfusion(c);
        }
        if (own != null) {
            for (double o : own) {
                b.addOwnAccuracy(o);
            }
        }
        return b.build();
    }
}
