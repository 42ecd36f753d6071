package dev.fusionledger.agent.model;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An ONNX model run by DJL's ONNX Runtime engine, or a TorchScript model run by DJL's PyTorch
 * engine, with the outputs its {@link PortableManifest} names. Inference runs in batches of 256.
 */
public final class PortableModel implements ModelRunner {
    private static final int BATCH = 256;

    private final PortableManifest manifest;
    private final ZooModel<NDList, NDList> model;
    private final Predictor<NDList, NDList> predictor;
    private final int sampleSize;

    private PortableModel(PortableManifest manifest, ZooModel<NDList, NDList> model) {
        this.manifest = manifest;
        this.model = model;
        this.predictor = model.newPredictor();
        this.sampleSize = manifest.inputShape().stream().reduce(1, Math::multiplyExact);
    }

    /**
     * Loads the model file of a package.
     *
     * @param manifest the package's manifest
     * @param modelBytes the ONNX or TorchScript file
     * @throws IllegalArgumentException if the engine cannot load the bytes as that format (message says why)
     */
    static PortableModel load(PortableManifest manifest, byte[] modelBytes) {
        DjlRuntime.engine(); // offline; libtorch from the class path (ONNX Runtime's engine uses it for NDArray work)
        Path dir = null;
        try {
            dir = Files.createTempDirectory("fusionledger-model");
            Path file = dir.resolve(manifest.modelEntry());
            Files.write(file, modelBytes);
            Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
                    .optModelPath(file).optEngine(manifest.engine()).optTranslator(new NoopTranslator()).build();
            return new PortableModel(manifest, criteria.loadModel());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model to a temporary file", e);
        } catch (ModelNotFoundException | MalformedModelException | RuntimeException e) {
            throw new IllegalArgumentException(manifest.modelEntry() + " is not a model " + manifest.engine()
                    + " can load: " + e.getMessage(), e);
        } finally {
            deleteQuietly(dir);
        }
    }

    @Override
    public String format() {
        return manifest.format();
    }

    @Override
    public String description() {
        return manifest.producer() == null ? manifest.format() : manifest.producer();
    }

    @Override
    public List<Integer> inputShape() {
        return manifest.inputShape();
    }

    @Override
    public int featureSize() {
        return manifest.featureSize();
    }

    @Override
    public List<String> labels() {
        return manifest.labels();
    }

    @Override
    public List<String> trainedLabels() {
        return manifest.trainedLabels();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException also when the model's outputs are missing or not of the
     *     manifest's sizes, or inference fails (the message names the output)
     */
    @Override
    public ModelOutputs outputs(float[] samples) {
        if (samples.length % sampleSize != 0) {
            throw new IllegalArgumentException("samples: " + samples.length + " values are not a whole number of "
                    + manifest.inputShape() + " samples");
        }
        int n = samples.length / sampleSize;
        int labels = manifest.labels().size();
        float[] features = new float[n * manifest.featureSize()];
        float[] scores = new float[n * labels];
        long[] dims = new long[manifest.inputShape().size() + 1];
        for (int i = 0; i < manifest.inputShape().size(); i++) {
            dims[i + 1] = manifest.inputShape().get(i);
        }
        for (int start = 0; start < n; start += BATCH) {
            int b = Math.min(BATCH, n - start);
            dims[0] = b;
            try (NDManager mgr = model.getNDManager().newSubManager()) {
                float[] slice = new float[b * sampleSize];
                System.arraycopy(samples, start * sampleSize, slice, 0, slice.length);
                NDList out = predictor.predict(new NDList(mgr.create(slice, new Shape(dims))));
                copy(output(out, manifest.featureOutput(), "featureOutput"), b, manifest.featureSize(), features, start);
                copy(output(out, manifest.scoreOutput(), "scoreOutput"), b, labels, scores, start);
            } catch (TranslateException | ai.djl.engine.EngineException e) {
                throw new IllegalArgumentException("inference failed: " + e.getMessage(), e);
            }
        }
        if ("logits".equals(manifest.scoreKind())) {
            softmaxRows(scores, labels);
        }
        return new ModelOutputs(features, scores);
    }

    private NDArray output(NDList out, String which, String field) {
        NDArray a;
        if (PortableManifest.TORCHSCRIPT.equals(manifest.format())) {
            int i = Integer.parseInt(which);
            a = i < out.size() ? out.get(i) : null;
        } else {
            a = out.get(which);
        }
        if (a == null) {
            throw new IllegalArgumentException(field + ": the model has no output " + which + " (it gives "
                    + out.stream().map(x -> x.getName() + x.getShape()).toList() + ")");
        }
        return a;
    }

    private static void copy(NDArray a, int rows, int cols, float[] into, int startRow) {
        if (a.size() != (long) rows * cols) {
            throw new IllegalArgumentException("output " + a.getName() + " has shape " + a.getShape() + ", expected ["
                    + rows + " × " + cols + "]");
        }
        System.arraycopy(a.toFloatArray(), 0, into, startRow * cols, rows * cols);
    }

    /** Row-wise softmax in place: [rows × cols]. */
    static void softmaxRows(float[] x, int cols) {
        for (int r = 0; r < x.length; r += cols) {
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, x[r + c]);
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                x[r + c] = (float) Math.exp(x[r + c] - max);
                sum += x[r + c];
            }
            for (int c = 0; c < cols; c++) {
                x[r + c] /= (float) sum;
            }
        }
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
