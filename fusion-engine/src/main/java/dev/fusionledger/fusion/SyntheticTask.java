package dev.fusionledger.fusion;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A synthetic stand-in for n contributed classifiers, for tests and benchmarks. Sample r has a
 * class c uniform in 0..d-1. Model i "knows" {@code subsetSize} classes
 * {@code S_i = {(i * subsetSize + j) mod d}}; its class scores s_i are {@code signal + noise} at
 * c when c is in S_i, {@code noise} at its other known classes and 0 at classes it does not
 * know, noise ~ N(0, noise^2). Its output f_i is s_i itself when {@code |f_i| = d}, otherwise
 * s_i times a fixed random {@code [d x |f_i|]} projection (seeded). No single model can separate
 * the classes it does not know; together they cover every class.
 */
public final class SyntheticTask {
    private final int models;
    private final int featureSize;
    private final int classes;
    private final int subsetSize;
    private final float signal;
    private final float noise;
    private final long seed;
    private final float[][] projections;

    /**
     * @param models      n, 1..64
     * @param featureSize {@code |f_i|}, at least 1
     * @param classes     d, at least 2
     * @param subsetSize  classes each model knows, 1..d
     * @param signal      score added at the true class (units of the score)
     * @param noise       standard deviation of the score noise
     * @param seed        seeds the projections and (mixed with a draw seed) the samples
     * @throws InvalidInputException when a count is out of range
     */
    public SyntheticTask(int models, int featureSize, int classes, int subsetSize, float signal, float noise, long seed) {
        if (models < 1 || models > FusionData.MAX_MODELS) {
            throw new InvalidInputException("models", "must be in 1.." + FusionData.MAX_MODELS);
        }
        if (featureSize < 1) {
            throw new InvalidInputException("featureSize", "must be at least 1");
        }
        if (classes < 2) {
            throw new InvalidInputException("classes", "must be at least 2");
        }
        if (subsetSize < 1 || subsetSize > classes) {
            throw new InvalidInputException("subsetSize", "must be in 1.." + classes);
        }
        this.models = models;
        this.featureSize = featureSize;
        this.classes = classes;
        this.subsetSize = subsetSize;
        this.signal = signal;
        this.noise = noise;
        this.seed = seed;
        this.projections = new float[models][];
        if (featureSize != classes) {
            SplittableRandom rng = new SplittableRandom(seed);
            for (int i = 0; i < models; i++) {
                float[] p = new float[classes * featureSize];
                for (int k = 0; k < p.length; k++) {
                    p[k] = (float) (gaussian(rng) / Math.sqrt(classes));
                }
                projections[i] = p;
            }
        }
    }

    /**
     * @param model model index i
     * @return the classes S_i model i knows
     */
    public int[] subset(int model) {
        int[] s = new int[subsetSize];
        for (int j = 0; j < subsetSize; j++) {
            s[j] = (model * subsetSize + j) % classes;
        }
        return s;
    }

    /**
     * Draws N samples.
     *
     * @param rows     N, at least 1
     * @param drawSeed seeds this draw (different draws for training and test)
     * @return labelled data for the n models, {@code |l_i| = d}
     */
    public FusionData sample(int rows, long drawSeed) {
        SplittableRandom rng = new SplittableRandom(seed * 31 + drawSeed);
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = rng.nextInt(classes);
        }
        List<float[]> feats = new ArrayList<>();
        int[] sizes = new int[models];
        float[] s = new float[classes];
        for (int i = 0; i < models; i++) {
            int[] known = subset(i);
            float[] m = new float[rows * featureSize];
            for (int r = 0; r < rows; r++) {
                java.util.Arrays.fill(s, 0f);
                for (int c : known) {
                    s[c] = (float) (noise * gaussian(rng)) + (c == labels[r] ? signal : 0f);
                }
                if (projections[i] == null) {
                    System.arraycopy(s, 0, m, r * featureSize, classes);
                } else {
                    float[] p = projections[i];
                    for (int c : known) {
                        float sc = s[c];
                        for (int k = 0; k < featureSize; k++) {
                            m[r * featureSize + k] += sc * p[c * featureSize + k];
                        }
                    }
                }
            }
            feats.add(m);
            sizes[i] = featureSize;
        }
        return FusionData.of(feats, sizes, labels, classes);
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
