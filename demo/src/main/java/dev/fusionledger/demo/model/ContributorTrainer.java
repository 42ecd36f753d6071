package dev.fusionledger.demo.model;

import dev.fusionledger.agent.model.CnnArchitecture;
import dev.fusionledger.agent.model.CnnModel;
import dev.fusionledger.agent.model.ModelManifest;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.fusionledger.demo.data.MnistDigits;
import dev.fusionledger.demo.data.Partition;
import dev.fusionledger.demo.data.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Trains a contributor's CNN on its private training split with Adam (softmax cross-entropy) and
 * early stopping on its own test split (demo/README.md): after each epoch the test accuracy is
 * measured; training stops after {@code patience} epochs without improvement or at
 * {@code maxEpochs}, and the parameters of the best epoch are kept.
 *
 * <p>Seeded: the initial parameters come from {@link CnnModel#untrained(CnnArchitecture, long)}
 * with the config's seed and each epoch's order from {@code java.util.Random(seed)}; on the same
 * machine and thread settings the same inputs give the same model (checked by a test; Scenario I
 * and II give byte-identical C1 models for C1). The seed goes into the engine's global RNG, so for
 * reproducible results create and train models from one thread at a time in a JVM; train several
 * contributors in parallel in separate processes.
 */
public final class ContributorTrainer {

    private ContributorTrainer() {}

    /**
     * Trains contributor {@code contributorId} of {@code partition}: its {@code <id>/training} split,
     * early stopping on {@code <id>/test}; the model's manifest records the split's digits.
     *
     * @throws IllegalArgumentException if the partition has no such contributor
     */
    public static TrainingResult train(CnnArchitecture architecture, MnistDigits data, Partition partition,
            String contributorId, TrainingConfig config, Consumer<TrainingResult.EpochStats> progress) {
        Split train = partition.training(contributorId);
        Split test = partition.test(contributorId);
        return train(architecture, train.images(data), train.labels(data), test.images(data), test.labels(data),
                config, progress);
    }

    /**
     * Trains a fresh {@code architecture} model.
     *
     * @param trainImages [N x 784] grey levels in [0, 1], N &ge; 1
     * @param trainLabels [N] digits 0-9
     * @param testImages [M x 784] grey levels in [0, 1], M &ge; 1 (early stopping)
     * @param testLabels [M] digits 0-9
     * @param progress called after each epoch (may be null)
     * @throws IllegalArgumentException if a shape disagrees, a split is empty or a label is outside [0, 9]
     */
    public static TrainingResult train(CnnArchitecture architecture, float[] trainImages, int[] trainLabels,
            float[] testImages, int[] testLabels, TrainingConfig config,
            Consumer<TrainingResult.EpochStats> progress) {
        return train(architecture, trainImages, trainLabels, testImages, testLabels, config, progress, Set.of());
    }

    /**
     * As {@link #train(CnnArchitecture, float[], int[], float[], int[], TrainingConfig, Consumer)},
     * also keeping the artifact of the best model so far after each epoch in {@code snapshotEpochs}
     * (what a contributor checkpoints per ledger epoch).
     *
     * @param snapshotEpochs local epochs, each in [1, maxEpochs]
     * @throws IllegalArgumentException as the other overload, or for a snapshot epoch out of range
     */
    public static TrainingResult train(CnnArchitecture architecture, float[] trainImages, int[] trainLabels,
            float[] testImages, int[] testLabels, TrainingConfig config,
            Consumer<TrainingResult.EpochStats> progress, Set<Integer> snapshotEpochs) {
        for (int e : snapshotEpochs) {
            if (e < 1 || e > config.maxEpochs()) {
                throw new IllegalArgumentException("snapshot epoch " + e + " is outside [1, " + config.maxEpochs() + "]");
            }
        }
        java.util.SortedMap<Integer, byte[]> snapshots = new java.util.TreeMap<>();
        int n = checkSplit("training", trainImages, trainLabels);
        checkSplit("test", testImages, testLabels);
        TreeSet<Integer> digits = new TreeSet<>();
        for (int l : trainLabels) {
            digits.add(l);
        }
        long t0 = System.nanoTime();
        CnnModel model = CnnModel.untrained(architecture, config.seed());
        boolean ok = false;
        try {
            List<TrainingResult.EpochStats> epochs = new ArrayList<>();
            Random order = new Random(config.seed());
            int[] perm = new int[n];
            for (int i = 0; i < n; i++) {
                perm[i] = i;
            }
            byte[] bestParams = model.parameterBytes();
            double bestAcc = -1;
            int bestEpoch = 0;
            DefaultTrainingConfig djl = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) config.learningRate()))
                            .build())
                    .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.djlModel().newTrainer(djl)) {
                trainer.initialize(CnnModel.inputShape(config.batchSize()));
                for (int epoch = 1; epoch <= config.maxEpochs(); epoch++) {
                    long e0 = System.nanoTime();
                    shuffle(perm, order);
                    double lossSum = 0;
                    int correct = 0;
                    for (int start = 0; start < n; start += config.batchSize()) {
                        int b = Math.min(config.batchSize(), n - start);
                        float[] x = new float[b * MnistDigits.PIXELS];
                        float[] y = new float[b];
                        for (int i = 0; i < b; i++) {
                            int src = perm[start + i];
                            if (config.shiftPixels() == 0) {
                                System.arraycopy(trainImages, src * MnistDigits.PIXELS, x, i * MnistDigits.PIXELS,
                                        MnistDigits.PIXELS);
                            } else {
                                int s = config.shiftPixels();
                                shift(trainImages, src, x, i, order.nextInt(2 * s + 1) - s, order.nextInt(2 * s + 1) - s);
                            }
                            y[i] = trainLabels[src];
                        }
                        try (NDManager mgr = trainer.getManager().newSubManager();
                                GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray xs = mgr.create(x, CnnModel.inputShape(b));
                            NDArray ys = mgr.create(y);
                            NDArray logits = trainer.forward(new NDList(xs)).singletonOrThrow();
                            NDArray loss = trainer.getLoss().evaluate(new NDList(ys), new NDList(logits));
                            gc.backward(loss);
                            lossSum += loss.getFloat() * b;
                            float[] pred = logits.argMax(1).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                                    .toFloatArray();
                            for (int i = 0; i < b; i++) {
                                if (pred[i] == y[i]) {
                                    correct++;
                                }
                            }
                        }
                        trainer.step();
                    }
                    double testAcc = model.accuracy(testImages, testLabels);
                    TrainingResult.EpochStats s = new TrainingResult.EpochStats(epoch, lossSum / n,
                            (double) correct / n, testAcc, (System.nanoTime() - e0) / 1e9);
                    epochs.add(s);
                    if (progress != null) {
                        progress.accept(s);
                    }
                    if (testAcc > bestAcc) {
                        bestAcc = testAcc;
                        bestEpoch = epoch;
                        bestParams = model.parameterBytes();
                    }
                    if (snapshotEpochs.contains(epoch)) {
                        snapshots.put(epoch, CnnModel.artifact(
                                ModelManifest.of(architecture, List.copyOf(digits), config.seed(), bestEpoch), bestParams));
                    }
                    if (bestEpoch != epoch && epoch - bestEpoch >= config.patience()) {
                        break;
                    }
                }
            }
            if (bestEpoch != epochs.size()) {
                model.loadParameterBytes(bestParams);
            }
            model.setManifest(ModelManifest.of(architecture, List.copyOf(digits), config.seed(), bestEpoch));
            for (int e : snapshotEpochs) {
                snapshots.putIfAbsent(e, model.toArtifact()); // stopped early before e: the final model
            }
            ok = true;
            return new TrainingResult(model, List.copyOf(epochs), bestEpoch, bestAcc, (System.nanoTime() - t0) / 1e9,
                    java.util.Collections.unmodifiableSortedMap(snapshots));
        } catch (java.io.IOException | ai.djl.MalformedModelException e) {
            throw new IllegalStateException("cannot restore the best epoch's parameters", e);
        } finally {
            if (!ok) {
                model.close();
            }
        }
    }

    /**
     * Copies image {@code src} of {@code images} into slot {@code dst} of {@code out}, shifted by
     * {@code dx} columns right and {@code dy} rows down (28 x 28 grey levels; vacated pixels 0).
     *
     * @param images [N x 784] grey levels
     * @param src image index in {@code images}, in [0, N)
     * @param out [M x 784], written at slot {@code dst} only
     * @param dst slot index in {@code out}, in [0, M)
     * @param dx columns right (negative: left), pixels, in (-28, 28)
     * @param dy rows down (negative: up), pixels, in (-28, 28)
     * @throws IllegalArgumentException if {@code dx} or {@code dy} is outside (-28, 28)
     * @throws ArrayIndexOutOfBoundsException if {@code src} or {@code dst} is outside its array
     */
    public static void shift(float[] images, int src, float[] out, int dst, int dx, int dy) {
        int side = MnistDigits.SIDE;
        if (Math.abs(dx) >= side || Math.abs(dy) >= side) {
            throw new IllegalArgumentException("shift (" + dx + ", " + dy + ") must be in (-28, 28) pixels each way");
        }
        int from = src * MnistDigits.PIXELS;
        int to = dst * MnistDigits.PIXELS;
        java.util.Arrays.fill(out, to, to + MnistDigits.PIXELS, 0f);
        int c0 = Math.max(0, dx);
        int c1 = Math.min(side, side + dx);
        for (int r = Math.max(0, dy); r < Math.min(side, side + dy); r++) {
            System.arraycopy(images, from + (r - dy) * side + (c0 - dx), out, to + r * side + c0, c1 - c0);
        }
    }

    private static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static int checkSplit(String name, float[] images, int[] labels) {
        if (images.length % MnistDigits.PIXELS != 0) {
            throw new IllegalArgumentException(name + " images has " + images.length
                    + " values, not a multiple of 784 (28 x 28 per image)");
        }
        int n = images.length / MnistDigits.PIXELS;
        if (n == 0) {
            throw new IllegalArgumentException(name + " split is empty; it needs at least 1 image");
        }
        if (labels.length != n) {
            throw new IllegalArgumentException(name + " labels has " + labels.length + " entries for " + n + " images");
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] > 9) {
                throw new IllegalArgumentException(name + " labels[" + i + "] = " + labels[i] + " is outside [0, 9]");
            }
        }
        return n;
    }
}
