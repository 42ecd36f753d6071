package dev.fusionledger.demo.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Writes the partition manifest and prints each split's size, per-digit counts and SHA-256.
 * Usage: {@code PartitionTool <manifest.json> [seed=42] [fraction=1.0]} (fraction scales every
 * split, for reduced runs). Reads the MNIST cache ({@code demo/scripts/fetch-mnist.sh}).
 */
public final class PartitionTool {

    private PartitionTool() {}

    /** Entry point; see the class comment. Exit status 2 on bad arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: PartitionTool <manifest.json> [seed=42] [fraction=1.0]");
            System.exit(2);
        }
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 42;
        double fraction = args.length > 2 ? Double.parseDouble(args[2]) : 1.0;
        MnistDigits data = MnistDigits.loadDefault();
        Partition p = Partition.create(data, PartitionSpec.tableII().scaled(fraction), seed);
        p.writeManifest(data, Path.of(args[0]));
        for (Split s : p.splits()) {
            System.out.printf(Locale.ROOT, "%-26s %5d  %s  %s%n", s.name(), s.size(), s.sha256(data),
                    Arrays.toString(s.countsPerDigit(data)));
        }
        System.out.println("manifest: " + Path.of(args[0]).toAbsolutePath());
    }
}
