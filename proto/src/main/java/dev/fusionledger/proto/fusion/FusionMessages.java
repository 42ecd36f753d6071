package dev.fusionledger.proto.fusion;

import dev.fusionledger.proto.fusion.v1.Dataset;
import dev.fusionledger.proto.fusion.v1.FeatureBlock;
import dev.fusionledger.proto.fusion.v1.LabelBlock;
import dev.fusionledger.proto.fusion.v1.Matrix;
import dev.fusionledger.proto.fusion.v1.ModelShape;
import dev.fusionledger.proto.fusion.v1.TrainConfig;
import dev.fusionledger.proto.fusion.v1.TrainHeader;
import dev.fusionledger.proto.fusion.v1.TrainRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * Builders for FusionService messages from plain arrays, so that callers (verifiers, the demo)
 * do not hand-roll the blocking of a Train stream. Matrices are row-major float32.
 */
public final class FusionMessages {
    private FusionMessages() {
    }

    /**
     * @param rows   R
     * @param cols   C
     * @param values R*C values, row-major
     * @return the matrix message
     * @throws IllegalArgumentException when values.length != rows * cols
     */
    public static Matrix matrix(int rows, int cols, float[] values) {
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException("matrix [" + rows + " x " + cols + "] needs " + (long) rows * cols
                    + " values, got " + values.length);
        }
        Matrix.Builder b = Matrix.newBuilder().setRows(rows).setCols(cols);
        for (float v : values) {
            b.addValues(v);
        }
        return b.build();
    }

    /**
     * @param features per model i its outputs {@code [N x sizes[i]]}
     * @param sizes    {@code |f_i|}
     * @param labels   {@code [N]} in 0..d-1, or null
     * @return the dataset message
     * @throws IllegalArgumentException when a matrix length is not N * |f_i|
     */
    public static Dataset dataset(List<float[]> features, int[] sizes, int[] labels) {
        Dataset.Builder b = Dataset.newBuilder();
        for (int i = 0; i < features.size(); i++) {
            b.addFeatures(matrix(features.get(i).length / Math.max(1, sizes[i]), sizes[i], features.get(i)));
        }
        if (labels != null) {
            for (int y : labels) {
                b.addLabels(y);
            }
        }
        return b.build();
    }

    /**
     * The client side of a Train call: a header, then each model's rows in blocks of at most
     * {@code maxValuesPerBlock} float values (at least one row), then the labels in blocks of at
     * most {@code maxValuesPerBlock}. Rows {@code 0..N-V-1} train, the last {@code validationRows}
     * only validate (early stopping).
     *
     * @param config            training config
     * @param classes           d
     * @param features          per model {@code [N x sizes[i]]}
     * @param sizes             {@code |f_i|}
     * @param labelCounts       {@code |l_i|} per model, or null for d
     * @param labels            {@code [N]}
     * @param validationRows    V, 0..N-1
     * @param maxValuesPerBlock floats per block, e.g. 1 000 000 (4 MB) to stay under message limits
     * @return the requests in order
     * @throws IllegalArgumentException when shapes disagree
     */
    public static List<TrainRequest> trainRequests(TrainConfig config, int classes, List<float[]> features, int[] sizes,
                                                   int[] labelCounts, int[] labels, int validationRows,
                                                   int maxValuesPerBlock) {
        int n = features.size();
        if (sizes.length != n || (labelCounts != null && labelCounts.length != n)) {
            throw new IllegalArgumentException("need one size (and label count) per model (" + n + ")");
        }
        int rows = labels.length;
        if (validationRows < 0 || validationRows >= rows) {
            throw new IllegalArgumentException("validationRows must be in 0.." + (rows - 1));
        }
        TrainHeader.Builder h = TrainHeader.newBuilder().setConfig(config).setClasses(classes)
                .setRows(rows - validationRows).setValidationRows(validationRows);
        for (int i = 0; i < n; i++) {
            if (features.get(i).length != (long) rows * sizes[i]) {
                throw new IllegalArgumentException("features[" + i + "] must be [" + rows + " x " + sizes[i] + "]");
            }
            h.addModels(ModelShape.newBuilder().setOutputSize(sizes[i])
                    .setLabelCount(labelCounts == null ? 0 : labelCounts[i]));
        }
        List<TrainRequest> out = new ArrayList<>();
        out.add(TrainRequest.newBuilder().setHeader(h).build());
        for (int i = 0; i < n; i++) {
            float[] x = features.get(i);
            int per = Math.max(1, maxValuesPerBlock / sizes[i]);
            for (int r0 = 0; r0 < rows; r0 += per) {
                int r = Math.min(per, rows - r0);
                FeatureBlock.Builder fb = FeatureBlock.newBuilder().setModelIndex(i).setRowOffset(r0).setRows(r);
                for (int k = r0 * sizes[i]; k < (r0 + r) * sizes[i]; k++) {
                    fb.addValues(x[k]);
                }
                out.add(TrainRequest.newBuilder().setFeatures(fb).build());
            }
        }
        int per = Math.max(1, maxValuesPerBlock);
        for (int r0 = 0; r0 < rows; r0 += per) {
            LabelBlock.Builder lb = LabelBlock.newBuilder().setRowOffset(r0);
            for (int r = r0; r < Math.min(rows, r0 + per); r++) {
                lb.addLabels(labels[r]);
            }
            out.add(TrainRequest.newBuilder().setLabels(lb).build());
        }
        return out;
    }
}
