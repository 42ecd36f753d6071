package dev.fusionledger.fusion;

/** Evaluation figures that need no fusion model: each contributed model's own accuracy. */
public final class Evaluation {
    private Evaluation() {
    }

    /**
     * Model i's own accuracy on its label subset (paper Fig. 6/8): over the rows whose label is in
     * {@code subset}, the fraction where the model's own top-layer output, restricted to
     * {@code subset}, is largest at the label. Column meaning: when {@code |f_i| = d} column c
     * scores class c; when {@code |f_i| = subset.length} column j scores class {@code subset[j]}.
     *
     * @param data   labelled data
     * @param model  model index i in 0..n-1
     * @param subset the classes model i was trained on, distinct, each in 0..d-1, or null for all d
     * @return the accuracy in [0, 1], or NaN when no row has a label in the subset
     * @throws InvalidInputException when the data are unlabelled, i is out of range, a class is out
     *                               of range or repeated, or {@code |f_i|} is neither d nor the
     *                               subset size
     */
    public static double ownAccuracy(FusionData data, int model, int[] subset) {
        if (!data.hasLabels()) {
            throw new InvalidInputException("labels", "own accuracy needs labels [N]");
        }
        if (model < 0 || model >= data.models()) {
            throw new InvalidInputException("model", "must be in 0.." + (data.models() - 1) + ", got " + model);
        }
        int d = data.classes();
        int[] cls = subset;
        if (cls == null) {
            cls = new int[d];
            for (int c = 0; c < d; c++) {
                cls[c] = c;
            }
        }
        boolean[] in = new boolean[d];
        for (int c : cls) {
            if (c < 0 || c >= d || in[c]) {
                throw new InvalidInputException("labelSubsets[" + model + "]", "classes must be distinct and in 0.."
                        + (d - 1) + ", got " + c);
            }
            in[c] = true;
        }
        int f = data.featureSizes()[model];
        boolean direct = f == d;
        if (!direct && f != cls.length) {
            throw new InvalidInputException("features[" + model + "]", "own accuracy needs |f_" + model + "| = d ("
                    + d + ") or the subset size (" + cls.length + "), got " + f);
        }
        float[] x = data.featuresView(model);
        int[] y = data.labelsView();
        long total = 0;
        long correct = 0;
        for (int r = 0; r < data.rows(); r++) {
            if (!in[y[r]]) {
                continue;
            }
            total++;
            int best = -1;
            float bestScore = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cls.length; j++) {
                float s = direct ? x[r * f + cls[j]] : x[r * f + j];
                if (best < 0 || s > bestScore) {
                    best = cls[j];
                    bestScore = s;
                }
            }
            if (best == y[r]) {
                correct++;
            }
        }
        return total == 0 ? Double.NaN : (double) correct / total;
    }
}
