package dev.fusionledger.demo.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One split of the partition: a named, sorted set of image indices into {@link MnistDigits}.
 *
 * <p>Its <em>bytes</em> (what {@link #sha256} hashes and {@link #writeTo} writes, format
 * {@value #BYTES_FORMAT}): for each image in index order, its label as one unsigned byte followed by
 * its 784 grey levels as IEEE-754 float32, big-endian; {@code size * 3137} bytes in all. The SHA-256
 * of the verification split's bytes is the verification-data hash that goes into the task spec.
 * Immutable.
 */
public final class Split {

    /** Name of the byte format hashed by {@link #sha256}. */
    public static final String BYTES_FORMAT = "label-u8+784xf32be/v1";
    /** Bytes per image in that format. */
    public static final int BYTES_PER_IMAGE = 1 + 4 * MnistDigits.PIXELS;

    private final String name;
    private final String owner;
    private final String role;
    private final List<Integer> digits;
    private final int[] indices;

    /**
     * @param owner {@code "verifiers"} or a contributor id
     * @param role {@code fusion-training}, {@code test}, {@code verification} or {@code training}
     * @param digits the digits the split draws from, sorted
     * @param indices image indices, sorted ascending, no duplicates
     */
    Split(String owner, String role, List<Integer> digits, int[] indices) {
        this.owner = owner;
        this.role = role;
        this.name = owner + "/" + role;
        this.digits = List.copyOf(digits);
        this.indices = indices.clone();
        for (int i = 1; i < indices.length; i++) {
            if (indices[i] <= indices[i - 1]) {
                throw new IllegalArgumentException("split " + name + ": indices must be strictly ascending");
            }
        }
    }

    /** {@code owner + "/" + role}, e.g. {@code verifiers/verification}, {@code C3/training}. */
    public String name() {
        return name;
    }

    /** {@code "verifiers"} or the contributor id. */
    public String owner() {
        return owner;
    }

    /** {@code fusion-training}, {@code test}, {@code verification} or {@code training}. */
    public String role() {
        return role;
    }

    /** The digits this split draws from, sorted ascending. */
    public List<Integer> digits() {
        return digits;
    }

    /** Number of images. */
    public int size() {
        return indices.length;
    }

    /** The image indices, sorted ascending: [size]. */
    public int[] indices() {
        return indices.clone();
    }

    /** Images of each digit in this split: [10]. */
    public int[] countsPerDigit(MnistDigits data) {
        int[] c = new int[MnistDigits.CLASSES];
        for (int i : indices) {
            c[data.label(i)]++;
        }
        return c;
    }

    /** The images: [size x 784] row-major grey levels in [0, 1]. */
    public float[] images(MnistDigits data) {
        return data.images(indices);
    }

    /** The labels (0-9): [size]. */
    public int[] labels(MnistDigits data) {
        return data.labels(indices);
    }

    /**
     * Writes the split's bytes (format {@value #BYTES_FORMAT}) to {@code out}.
     *
     * @throws IOException from {@code out}
     */
    public void writeTo(MnistDigits data, OutputStream out) throws IOException {
        DataOutputStream dos = new DataOutputStream(out);
        float[] img = new float[MnistDigits.PIXELS];
        for (int i : indices) {
            dos.writeByte(data.label(i));
            data.copyImage(i, img, 0);
            for (float v : img) {
                dos.writeFloat(v);
            }
        }
        dos.flush();
    }

    /** The split's bytes (format {@value #BYTES_FORMAT}): [size * 3137]. */
    public byte[] toBytes(MnistDigits data) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(indices.length * BYTES_PER_IMAGE);
        try {
            writeTo(data, bos);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    /** SHA-256 of the split's bytes, lower-case hex (64 characters). */
    public String sha256(MnistDigits data) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (DigestOutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), md)) {
                writeTo(data, out);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Split s && name.equals(s.name) && digits.equals(s.digits)
                && Arrays.equals(indices, s.indices);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(indices);
    }

    @Override
    public String toString() {
        return "Split[" + name + ", " + indices.length + " images of digits " + digits + "]";
    }
}
