package dev.fusionledger.fusion;

import dev.fusionledger.fusion.backend.ComputeBackend;
import dev.fusionledger.fusion.backend.CpuBlasBackend;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A trained early-fusion model (Mendis et al., Section III-B): {@code y = softmax(B^T A^T fc)}.
 * Holds the effective weights A {@code [|fc| x |h|]} and B {@code [|h| x d]} (masks already
 * applied), the shapes {@code |f_i|}, {@code |l_i|}, d, and its {@link Provenance}. Immutable.
 *
 * <p>File format "FLFM" version 1, big-endian: magic {@code FLFM}, int version, UTF engine version,
 * UTF strategy, ints epochs, stage1Epochs, stage2Epochs, batchSize, floats learningRate, beta1,
 * beta2, epsilon, l2, long seed, int earlyStoppingPatience, UTF training SHA-256, int d, int n,
 * n pairs (int |f_i|, int |l_i|), then A's |fc|*|h| floats and B's |h|*d floats, row-major. The
 * bytes are a function of the model alone, so {@link #sha256()} names the model.
 */
public final class FusionModel {
    /** Magic bytes of the file format. */
    public static final String MAGIC = "FLFM";
    /** Current file format version. */
    public static final int FORMAT_VERSION = 1;
    private static final int CHUNK = 4096;

    private final float[] a;
    private final float[] b;
    private final int[] featureSizes;
    private final int[] labelCounts;
    private final int classes;
    private final Provenance provenance;
    private final int totalFeatures;
    private final int totalHidden;

    /**
     * @param a            A {@code [sum |f_i| x sum |l_i|]}, row-major
     * @param b            B {@code [sum |l_i| x d]}, row-major
     * @param featureSizes {@code |f_i|}
     * @param labelCounts  {@code |l_i|}
     * @param classes      d
     * @param provenance   provenance
     * @throws InvalidInputException when the array lengths do not match the shapes
     */
    public FusionModel(float[] a, float[] b, int[] featureSizes, int[] labelCounts, int classes,
                       Provenance provenance) {
        if (featureSizes.length != labelCounts.length || featureSizes.length == 0) {
            throw new InvalidInputException("featureSizes", "need the same number (>= 1) of |f_i| and |l_i|");
        }
        int f = Arrays.stream(featureSizes).sum();
        int l = Arrays.stream(labelCounts).sum();
        if (a.length != f * l) {
            throw new InvalidInputException("a", "A must be [" + f + " x " + l + "], got " + a.length + " values");
        }
        if (b.length != l * classes) {
            throw new InvalidInputException("b", "B must be [" + l + " x " + classes + "], got " + b.length + " values");
        }
        this.a = a.clone();
        this.b = b.clone();
        this.featureSizes = featureSizes.clone();
        this.labelCounts = labelCounts.clone();
        this.classes = classes;
        this.provenance = provenance;
        this.totalFeatures = f;
        this.totalHidden = l;
    }

    /** @return A {@code [|fc| x |h|]} (copy) */
    public float[] a() {
        return a.clone();
    }

    /** @return B {@code [|h| x d]} (copy) */
    public float[] b() {
        return b.clone();
    }

    /** @return n */
    public int models() {
        return featureSizes.length;
    }

    /** @return d */
    public int classes() {
        return classes;
    }

    /** @return {@code |f_i|} (copy) */
    public int[] featureSizes() {
        return featureSizes.clone();
    }

    /** @return {@code |l_i|} (copy) */
    public int[] labelCounts() {
        return labelCounts.clone();
    }

    /** @return provenance */
    public Provenance provenance() {
        return provenance;
    }

    private void checkShapes(FusionData data) {
        if (data.models() != models()) {
            throw new InvalidInputException("features", "model has " + models() + " inputs, data has " + data.models());
        }
        if (data.classes() != classes) {
            throw new InvalidInputException("classes", "model has d = " + classes + ", data has " + data.classes());
        }
        int[] fs = data.featureSizes();
        for (int i = 0; i < fs.length; i++) {
            if (fs[i] != featureSizes[i]) {
                throw new InvalidInputException("features[" + i + "]", "model expects [N x " + featureSizes[i]
                        + "], got [N x " + fs[i] + "]");
            }
        }
    }

    /**
     * Logits {@code Z = FC A B} {@code [N x d]}.
     *
     * @param data    features per model, shapes as the model's
     * @param backend compute backend
     * @return logits, row-major
     * @throws InvalidInputException when the shapes differ from the model's
     */
    public float[] logits(FusionData data, ComputeBackend backend) {
        checkShapes(data);
        int n = data.rows();
        float[] fc = data.concatenated();
        float[] z = new float[n * classes];
        float[] h = new float[Math.min(CHUNK, n) * totalHidden];
        float[] zc = new float[Math.min(CHUNK, n) * classes];
        float[] xc = new float[Math.min(CHUNK, n) * totalFeatures];
        for (int r0 = 0; r0 < n; r0 += CHUNK) {
            int rows = Math.min(CHUNK, n - r0);
            System.arraycopy(fc, r0 * totalFeatures, xc, 0, rows * totalFeatures);
            backend.gemm(false, false, rows, totalHidden, totalFeatures, 1f, xc, totalFeatures, a, totalHidden,
                    0f, h, totalHidden);
            backend.gemm(false, false, rows, classes, totalHidden, 1f, h, totalHidden, b, classes, 0f, zc, classes);
            System.arraycopy(zc, 0, z, r0 * classes, rows * classes);
        }
        return z;
    }

    /**
     * Class probabilities {@code Y = softmax(Z)} {@code [N x d]} on the CPU backend.
     *
     * @param data features per model
     * @return probabilities, row-major
     * @throws InvalidInputException when the shapes differ from the model's
     */
    public float[] probabilities(FusionData data) {
        float[] z = logits(data, new CpuBlasBackend());
        int n = data.rows();
        for (int r = 0; r < n; r++) {
            int base = r * classes;
            float max = z[base];
            for (int j = 1; j < classes; j++) {
                max = Math.max(max, z[base + j]);
            }
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += Math.exp(z[base + j] - max);
            }
            for (int j = 0; j < classes; j++) {
                z[base + j] = (float) (Math.exp(z[base + j] - max) / sum);
            }
        }
        return z;
    }

    /**
     * @param data features per model
     * @return argmax class per row {@code [N]}
     * @throws InvalidInputException when the shapes differ from the model's
     */
    public int[] predict(FusionData data) {
        return argmax(logits(data, new CpuBlasBackend()), data.rows(), classes);
    }

    static int[] argmax(float[] z, int rows, int d) {
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            int arg = 0;
            for (int j = 1; j < d; j++) {
                if (z[r * d + j] > z[r * d + arg]) {
                    arg = j;
                }
            }
            out[r] = arg;
        }
        return out;
    }

    /**
     * Accuracy, mean cross-entropy and confusion matrix.
     *
     * @param data labelled data, shapes as the model's
     * @return metrics
     * @throws InvalidInputException when the shapes differ or labels are missing
     */
    public Metrics evaluate(FusionData data) {
        return evaluate(data, new CpuBlasBackend());
    }

    /**
     * As {@link #evaluate(FusionData)} on a given backend.
     *
     * @param data    labelled data
     * @param backend backend
     * @return metrics
     */
    public Metrics evaluate(FusionData data, ComputeBackend backend) {
        if (!data.hasLabels()) {
            throw new InvalidInputException("labels", "evaluation needs labels [N]");
        }
        float[] z = logits(data, backend);
        int n = data.rows();
        int[] y = data.labelsView();
        double loss = backend.softmaxCrossEntropy(z, y, 0, n, classes, 0f, null, null);
        int[] pred = argmax(z, n, classes);
        long[] conf = new long[classes * classes];
        long correct = 0;
        for (int r = 0; r < n; r++) {
            conf[y[r] * classes + pred[r]]++;
            if (pred[r] == y[r]) {
                correct++;
            }
        }
        return new Metrics((double) correct / n, loss / n, n, classes, conf);
    }

    /** @return the model file bytes, format "FLFM" version 1 */
    public byte[] toBytes() {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(16 + 4 * (a.length + b.length) + 256);
        try (DataOutputStream out = new DataOutputStream(bos)) {
            out.writeBytes(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeUTF(provenance.engineVersion());
            FusionConfig c = provenance.config();
            out.writeUTF(c.strategy().name());
            out.writeInt(c.epochs());
            out.writeInt(c.stage1Epochs());
            out.writeInt(c.stage2Epochs());
            out.writeInt(c.batchSize());
            out.writeFloat(c.learningRate());
            out.writeFloat(c.beta1());
            out.writeFloat(c.beta2());
            out.writeFloat(c.epsilon());
            out.writeFloat(c.l2());
            out.writeLong(c.seed());
            out.writeInt(c.earlyStoppingPatience());
            out.writeUTF(provenance.trainingSha256());
            out.writeInt(classes);
            out.writeInt(featureSizes.length);
            for (int i = 0; i < featureSizes.length; i++) {
                out.writeInt(featureSizes[i]);
                out.writeInt(labelCounts[i]);
            }
            for (float v : a) {
                out.writeFloat(v);
            }
            for (float v : b) {
                out.writeFloat(v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    /**
     * Reads a model file.
     *
     * @param bytes file bytes
     * @return the model
     * @throws InvalidInputException when the bytes are not an "FLFM" file of a supported version
     *                               or are truncated or inconsistent
     */
    public static FusionModel fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte[] magic = new byte[4];
            in.readFully(magic);
            if (!MAGIC.equals(new String(magic, java.nio.charset.StandardCharsets.US_ASCII))) {
                throw new InvalidInputException("file", "not a fusion model file (magic " + MAGIC + " missing)");
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new InvalidInputException("file", "format version " + version + " unsupported; this engine reads "
                        + FORMAT_VERSION);
            }
            String engine = in.readUTF();
            FusionConfig config = FusionConfig.builder().strategy(Strategy.valueOf(in.readUTF()))
                    .epochs(in.readInt()).stage1Epochs(in.readInt()).stage2Epochs(in.readInt())
                    .batchSize(in.readInt()).learningRate(in.readFloat()).beta1(in.readFloat())
                    .beta2(in.readFloat()).epsilon(in.readFloat()).l2(in.readFloat()).seed(in.readLong())
                    .earlyStoppingPatience(in.readInt()).build();
            String sha = in.readUTF();
            int d = in.readInt();
            int n = in.readInt();
            if (d < 2 || n < 1 || n > FusionData.MAX_MODELS) {
                throw new InvalidInputException("file", "bad shapes d = " + d + ", n = " + n);
            }
            int[] fs = new int[n];
            int[] lc = new int[n];
            long f = 0;
            long l = 0;
            for (int i = 0; i < n; i++) {
                fs[i] = in.readInt();
                lc[i] = in.readInt();
                if (fs[i] < 1 || lc[i] < 1) {
                    throw new InvalidInputException("file", "bad shape of model " + i);
                }
                f += fs[i];
                l += lc[i];
            }
            long expected = 4 * (f * l + l * d);
            if (expected != in.available()) {
                throw new InvalidInputException("file", "weights need " + expected + " bytes, file has " + in.available());
            }
            float[] a = new float[(int) (f * l)];
            for (int i = 0; i < a.length; i++) {
                a[i] = in.readFloat();
            }
            float[] b = new float[(int) (l * d)];
            for (int i = 0; i < b.length; i++) {
                b[i] = in.readFloat();
            }
            return new FusionModel(a, b, fs, lc, d, new Provenance(config, sha, engine));
        } catch (IOException e) {
            throw new InvalidInputException("file", "truncated model file: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            if (e instanceof InvalidInputException iie) {
                throw iie;
            }
            throw new InvalidInputException("file", "corrupt model file: " + e.getMessage());
        }
    }

    /**
     * Writes the model file.
     *
     * @param path destination
     * @throws UncheckedIOException when it cannot be written
     */
    public void save(Path path) {
        try {
            Files.write(path, toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param path a model file
     * @return the model
     * @throws UncheckedIOException  when it cannot be read
     * @throws InvalidInputException when it is not a valid model file
     */
    public static FusionModel load(Path path) {
        try {
            return fromBytes(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return lowercase hex SHA-256 of {@link #toBytes()}: the model id */
    public String sha256() {
        return HexFormat.of().formatHex(FusionData.sha256Digest().digest(toBytes()));
    }
}
