package dev.fusionledger.fusion;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Arrays;
import java.util.List;

/**
 * The outputs of n models on the same N samples, with optional labels: model i contributes a
 * row-major float32 matrix {@code [N x |f_i|]}; labels are {@code [N]} in {@code 0..d-1}. Also
 * carries {@code |l_i|}, the hidden units given to model i (default d). Immutable: the arrays are
 * copied on the way in and out.
 */
public final class FusionData {
    /** Maximum number of models. */
    public static final int MAX_MODELS = 64;

    private final float[][] features;
    private final int[] featureSizes;
    private final int[] labelCounts;
    private final int[] labels;
    private final int rows;
    private final int classes;

    private FusionData(float[][] features, int[] featureSizes, int[] labelCounts, int[] labels, int rows,
                       int classes) {
        this.features = features;
        this.featureSizes = featureSizes;
        this.labelCounts = labelCounts;
        this.labels = labels;
        this.rows = rows;
        this.classes = classes;
    }

    /**
     * Builds and checks a data set.
     *
     * @param features     per model i a row-major {@code [N x |f_i|]} matrix (n = features.size(), 1..64)
     * @param featureSizes {@code |f_i|} per model, each at least 1
     * @param labels       {@code [N]} in {@code 0..classes-1}, or null for unlabelled data (predict)
     * @param classes      d, at least 2
     * @param labelCounts  {@code |l_i|} per model, each at least 1, or null for all d
     * @return the data set
     * @throws InvalidInputException naming the model index and shapes when: n is outside 1..64,
     *                               a size is below 1, the matrices imply different N, N is 0, a
     *                               value is NaN or infinite, or a label is outside 0..d-1
     */
    public static FusionData of(List<float[]> features, int[] featureSizes, int[] labels, int classes,
                                int[] labelCounts) {
        int n = features.size();
        if (n < 1 || n > MAX_MODELS) {
            throw new InvalidInputException("features", "number of models must be in 1.." + MAX_MODELS + ", got " + n);
        }
        if (featureSizes == null || featureSizes.length != n) {
            throw new InvalidInputException("featureSizes", "need one |f_i| per model (" + n + ")");
        }
        if (classes < 2) {
            throw new InvalidInputException("classes", "d must be at least 2, got " + classes);
        }
        int rows = -1;
        float[][] copy = new float[n][];
        for (int i = 0; i < n; i++) {
            float[] m = features.get(i);
            int f = featureSizes[i];
            if (f < 1) {
                throw new InvalidInputException("featureSizes[" + i + "]", "|f_" + i + "| must be at least 1, got " + f);
            }
            if (m == null || m.length % f != 0) {
                throw new InvalidInputException("features[" + i + "]", "length " + (m == null ? 0 : m.length)
                        + " is not a multiple of |f_" + i + "| = " + f);
            }
            int r = m.length / f;
            if (rows < 0) {
                rows = r;
            } else if (r != rows) {
                throw new InvalidInputException("features[" + i + "]", "has shape [" + r + " x " + f
                        + "] but model 0 has " + rows + " rows; all models need the same N");
            }
            for (int k = 0; k < m.length; k++) {
                if (!Float.isFinite(m[k])) {
                    throw new InvalidInputException("features[" + i + "]", "value at row " + (k / f) + ", column "
                            + (k % f) + " is " + m[k] + "; must be finite");
                }
            }
            copy[i] = m.clone();
        }
        if (rows < 1) {
            throw new InvalidInputException("features", "N must be at least 1 row");
        }
        if (labelCounts != null && labelCounts.length != n) {
            throw new InvalidInputException("labelCounts", "need one |l_i| per model (" + n + "), got "
                    + labelCounts.length);
        }
        int[] lc = new int[n];
        for (int i = 0; i < n; i++) {
            lc[i] = labelCounts == null ? classes : labelCounts[i];
            if (lc[i] < 1 || lc[i] > 65536) {
                throw new InvalidInputException("labelCounts[" + i + "]", "|l_" + i + "| must be in 1..65536, got " + lc[i]);
            }
        }
        int[] lab = null;
        if (labels != null) {
            if (labels.length != rows) {
                throw new InvalidInputException("labels", "has " + labels.length + " entries, features have N = " + rows);
            }
            for (int r = 0; r < rows; r++) {
                if (labels[r] < 0 || labels[r] >= classes) {
                    throw new InvalidInputException("labels", "label at row " + r + " is " + labels[r]
                            + "; must be in 0.." + (classes - 1));
                }
            }
            lab = labels.clone();
        }
        return new FusionData(copy, featureSizes.clone(), lc, lab, rows, classes);
    }

    /**
     * @param features     per model {@code [N x |f_i|]}
     * @param featureSizes {@code |f_i|}
     * @param labels       {@code [N]} or null
     * @param classes      d
     * @return the data set with {@code |l_i| = d}
     * @throws InvalidInputException as {@link #of(List, int[], int[], int, int[])}
     */
    public static FusionData of(List<float[]> features, int[] featureSizes, int[] labels, int classes) {
        return of(features, featureSizes, labels, classes, null);
    }

    /** @return n, the number of models */
    public int models() {
        return features.length;
    }

    /** @return N */
    public int rows() {
        return rows;
    }

    /** @return d */
    public int classes() {
        return classes;
    }

    /** @return {@code |f_i|} per model (copy) */
    public int[] featureSizes() {
        return featureSizes.clone();
    }

    /** @return {@code |l_i|} per model (copy) */
    public int[] labelCounts() {
        return labelCounts.clone();
    }

    /** @return {@code |fc| = sum |f_i|} */
    public int totalFeatures() {
        int s = 0;
        for (int f : featureSizes) {
            s += f;
        }
        return s;
    }

    /** @return {@code |h| = sum |l_i|} */
    public int totalHidden() {
        int s = 0;
        for (int l : labelCounts) {
            s += l;
        }
        return s;
    }

    /** @return true when labels are present */
    public boolean hasLabels() {
        return labels != null;
    }

    /**
     * @return labels {@code [N]} (copy)
     * @throws IllegalStateException when the data set is unlabelled
     */
    public int[] labels() {
        if (labels == null) {
            throw new IllegalStateException("data set has no labels");
        }
        return labels.clone();
    }

    int[] labelsView() {
        return labels;
    }

    float[] featuresView(int i) {
        return features[i];
    }

    /**
     * @param i model index
     * @return model i's features {@code [N x |f_i|]} (copy)
     */
    public float[] features(int i) {
        return features[i].clone();
    }

    /**
     * Concatenates the models' features row by row: {@code FC [N x |fc|]}, row r = concat(f_1(r) .. f_n(r)).
     *
     * @return a new row-major array of N * |fc| floats
     */
    public float[] concatenated() {
        int total = totalFeatures();
        float[] fc = new float[rows * total];
        int col = 0;
        for (int i = 0; i < features.length; i++) {
            int f = featureSizes[i];
            float[] m = features[i];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(m, r * f, fc, r * total + col, f);
            }
            col += f;
        }
        return fc;
    }

    /**
     * The same rows restricted to some models, in the order given.
     *
     * @param models model indices, each in 0..n-1, at least one
     * @return the subset (sharing no arrays with this)
     * @throws InvalidInputException when an index is out of range
     */
    public FusionData selectModels(int[] models) {
        if (models.length < 1) {
            throw new InvalidInputException("models", "select at least one model");
        }
        float[][] f = new float[models.length][];
        int[] fs = new int[models.length];
        int[] lc = new int[models.length];
        for (int k = 0; k < models.length; k++) {
            int i = models[k];
            if (i < 0 || i >= features.length) {
                throw new InvalidInputException("models[" + k + "]", "must be in 0.." + (features.length - 1) + ", got " + i);
            }
            f[k] = features[i].clone();
            fs[k] = featureSizes[i];
            lc[k] = labelCounts[i];
        }
        return new FusionData(f, fs, lc, labels == null ? null : labels.clone(), rows, classes);
    }

    /**
     * This data set's models followed by {@code other}'s, on the same rows, with this set's labels.
     *
     * @param other further models' features, {@code other.rows() == rows()}, same d
     * @return a new data set of {@code models() + other.models()} models
     * @throws InvalidInputException when the rows or d differ, or there would be more than
     *                               {@value #MAX_MODELS} models
     */
    public FusionData concat(FusionData other) {
        if (other.rows != rows || other.classes != classes) {
            throw new InvalidInputException("features", "cannot join " + other.rows + " rows of d = " + other.classes
                    + " to " + rows + " rows of d = " + classes);
        }
        List<float[]> f = new java.util.ArrayList<>(List.of(features));
        f.addAll(List.of(other.features));
        int[] fs = java.util.stream.IntStream.concat(Arrays.stream(featureSizes), Arrays.stream(other.featureSizes))
                .toArray();
        int[] lc = java.util.stream.IntStream.concat(Arrays.stream(labelCounts), Arrays.stream(other.labelCounts))
                .toArray();
        return of(f, fs, labels, classes, lc);
    }

    /**
     * The same models with other {@code |l_i|}.
     *
     * @param counts {@code |l_i|} per model, each in 1..65536
     * @return a new data set
     * @throws InvalidInputException when the length or a value is out of range
     */
    public FusionData withLabelCounts(int[] counts) {
        return of(List.of(features), featureSizes, labels, classes, counts);
    }

    /**
     * SHA-256 over d, n, every {@code |f_i|}, {@code |l_i|}, N, the features (float32 bits, little
     * endian, model by model) and the labels (int32 little endian). Recorded in model provenance.
     *
     * @return lowercase hex SHA-256
     */
    public String sha256() {
        MessageDigest md = sha256Digest();
        ByteBuffer head = ByteBuffer.allocate(4 * (3 + 2 * features.length)).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(classes).putInt(features.length).putInt(rows);
        for (int i = 0; i < features.length; i++) {
            head.putInt(featureSizes[i]).putInt(labelCounts[i]);
        }
        md.update(head.array());
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        int per = buf.capacity() / 4;
        for (float[] m : features) {
            for (int off = 0; off < m.length; off += per) {
                int len = Math.min(per, m.length - off);
                buf.clear();
                buf.asFloatBuffer().put(m, off, len);
                md.update(buf.array(), 0, len * 4);
            }
        }
        if (labels != null) {
            for (int off = 0; off < labels.length; off += per) {
                int len = Math.min(per, labels.length - off);
                buf.clear();
                buf.asIntBuffer().put(labels, off, len);
                md.update(buf.array(), 0, len * 4);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
