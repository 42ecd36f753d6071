package dev.fusionledger.demo.data;

import java.util.List;
import java.util.TreeSet;

/**
 * One contributor's row of the partition (demo/README.md, the paper's Table II): the digits it holds
 * and how many images of them it gets for training and for its own test (early-stopping) split.
 *
 * @param id contributor id, e.g. {@code "C1"}: letters, digits, '-' or '_', 1-32 characters
 * @param digits the digits it holds, each in [0, 9], no duplicates, at least one; kept sorted
 * @param training training images, &ge; 1
 * @param test test images, &ge; 1
 */
public record ContributorSpec(String id, List<Integer> digits, int training, int test) {

    /**
     * @throws IllegalArgumentException naming the field and the allowed range
     */
    public ContributorSpec {
        if (id == null || !id.matches("[A-Za-z0-9_-]{1,32}")) {
            throw new IllegalArgumentException("contributor id must be 1-32 of [A-Za-z0-9_-], got " + id);
        }
        if (digits == null || digits.isEmpty()) {
            throw new IllegalArgumentException("contributor " + id + ": digits must hold at least one digit in [0, 9]");
        }
        TreeSet<Integer> sorted = new TreeSet<>();
        for (Integer d : digits) {
            if (d == null || d < 0 || d > 9) {
                throw new IllegalArgumentException("contributor " + id + ": digit " + d + " is outside [0, 9]");
            }
            if (!sorted.add(d)) {
                throw new IllegalArgumentException("contributor " + id + ": digit " + d + " is listed twice");
            }
        }
        digits = List.copyOf(sorted);
        if (training < 1) {
            throw new IllegalArgumentException("contributor " + id + ": training must be >= 1, got " + training);
        }
        if (test < 1) {
            throw new IllegalArgumentException("contributor " + id + ": test must be >= 1, got " + test);
        }
    }
}
