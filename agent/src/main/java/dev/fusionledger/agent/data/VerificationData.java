package dev.fusionledger.agent.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.fusionledger.agent.model.DjlRuntime;
import dev.fusionledger.client.store.Hashes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A verifier's data directory (docs/agents.md, "Verification data"):
 * <pre>
 * DIR/verification.npz      the task's verification data: its SHA-256 is the task's verificationDataHash
 * DIR/fusion-training.npz   the verifier's own labelled data, on which it trains the fusions
 * </pre>
 * Each file is a NumPy {@code .npz} archive (as {@code numpy.savez} writes it) of two arrays:
 * {@code x}, float32 [M, sample dims...] (the sample dims multiply to the task's input size), and
 * {@code y}, integer [M], each an index 0..L-1 into the task's labels.
 */
public final class VerificationData {
    /** The file with the task's verification data. */
    public static final String VERIFICATION = "verification.npz";
    /** The file with the verifier's fusion-training data. */
    public static final String FUSION_TRAINING = "fusion-training.npz";

    private final Path dir;

    /** @param dir the data directory */
    public VerificationData(Path dir) {
        this.dir = dir;
    }

    /** The directory. */
    public Path dir() {
        return dir;
    }

    /**
     * The SHA-256 (lower-case hex) of {@value #VERIFICATION}.
     *
     * @throws IOException if the file cannot be read
     */
    public String verificationHash() throws IOException {
        try (InputStream in = Files.newInputStream(dir.resolve(VERIFICATION))) {
            return Hashes.sha256Hex(in.readAllBytes());
        }
    }

    /**
     * Loads the verification data after checking its hash against the task's.
     *
     * @param expectedHash the task's verificationDataHash (64 hex digits)
     * @param labelCount L, the task's number of labels
     * @param inputSize the task's values per sample (product of its input shape)
     * @throws DataMismatchException if the hash differs (nothing is loaded)
     * @throws IllegalArgumentException if the file is not such an archive (message names the array)
     * @throws IOException if a file is missing or unreadable
     */
    public LabelledSamples verification(String expectedHash, int labelCount, int inputSize) throws IOException {
        String actual = verificationHash();
        if (!actual.equalsIgnoreCase(expectedHash)) {
            throw new DataMismatchException(dir.resolve(VERIFICATION) + ": SHA-256 " + actual
                    + " is not the task's verificationDataHash " + expectedHash);
        }
        return read(dir.resolve(VERIFICATION), labelCount, inputSize);
    }

    /**
     * Loads the fusion-training data.
     *
     * @throws IllegalArgumentException, IOException as {@link #verification}
     */
    public LabelledSamples fusionTraining(int labelCount, int inputSize) throws IOException {
        return read(dir.resolve(FUSION_TRAINING), labelCount, inputSize);
    }

    /** A hash that does not match: the verifier must not vote on these data. */
    public static final class DataMismatchException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        DataMismatchException(String message) {
            super(message);
        }
    }

    /**
     * Reads one {@code .npz} file.
     *
     * @throws IllegalArgumentException naming the array and what is wrong with it
     * @throws IOException if the file is missing or unreadable
     */
    public static LabelledSamples read(Path file, int labelCount, int inputSize) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "verification data file not found");
        }
        try (NDManager mgr = DjlRuntime.engine().newBaseManager(); InputStream in = Files.newInputStream(file)) {
            NDList list;
            try {
                list = NDList.decode(mgr, in);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + ": not a NumPy .npz archive (" + e.getMessage() + ")", e);
            }
            NDArray x = list.get("x");
            NDArray y = list.get("y");
            if (x == null || y == null) {
                throw new IllegalArgumentException(file + ": needs arrays x and y, has "
                        + list.stream().map(NDArray::getName).toList());
            }
            Shape xs = x.getShape();
            if (xs.dimension() < 2 || xs.size() / xs.get(0) != inputSize) {
                throw new IllegalArgumentException(file + ": x has shape " + xs + ", expected [M, ...] with "
                        + inputSize + " values per sample");
            }
            if (y.getShape().dimension() != 1 || y.getShape().get(0) != xs.get(0) || xs.get(0) < 1) {
                throw new IllegalArgumentException(file + ": y has shape " + y.getShape() + ", expected [" + xs.get(0) + "]");
            }
            if (!y.getDataType().isInteger()) {
                throw new IllegalArgumentException(file + ": y has type " + y.getDataType() + ", expected an integer type");
            }
            int[] labels = y.toType(DataType.INT32, false).toIntArray();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0 || labels[i] >= labelCount) {
                    throw new IllegalArgumentException(file + ": y[" + i + "] = " + labels[i] + ", must be in 0.."
                            + (labelCount - 1));
                }
            }
            List<Integer> shape = new ArrayList<>();
            for (int d = 1; d < xs.dimension(); d++) {
                shape.add((int) xs.get(d));
            }
            return new LabelledSamples(x.toType(DataType.FLOAT32, false).toFloatArray(), labels, shape);
        }
    }

    /**
     * Writes labelled samples as a {@code .npz} archive of x float32 [M, sampleShape...] and y int32
     * [M], atomically.
     *
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, LabelledSamples data) throws IOException {
        long[] dims = new long[data.sampleShape().size() + 1];
        dims[0] = data.rows();
        for (int i = 0; i < data.sampleShape().size(); i++) {
            dims[i + 1] = data.sampleShape().get(i);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".data", ".tmp");
        try (NDManager mgr = DjlRuntime.engine().newBaseManager(); OutputStream out = Files.newOutputStream(tmp)) {
            NDArray x = mgr.create(data.samples(), new Shape(dims));
            x.setName("x");
            NDArray y = mgr.create(data.labels());
            y.setName("y");
            new NDList(x, y).encode(out, NDList.Encoding.NPZ);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
