package dev.fusionledger.agent.model;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.XavierInitializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A contributor's CNN (one of the Table I architectures) on DJL's PyTorch engine: computes the 10
 * softmax scores per image that the fusion engine fuses (the f_i vectors of Mendis et al.), measures
 * its own accuracy, and saves to / loads from a model artifact.
 *
 * <p>Artifact (format {@value #FORMAT}): a zip with two entries, {@value #MANIFEST_ENTRY} (a
 * {@link ModelManifest} as JSON) and {@value #PARAMETERS_ENTRY} (DJL's
 * {@code Block.saveParameters} stream). Entries carry a fixed timestamp, so the same parameters
 * always give the same bytes: the artifact's SHA-256 is a stable content address.
 *
 * <p>Holds native memory: close it. Not thread-safe.
 */
public final class CnnModel implements ModelRunner {

    /** Artifact format name. */
    public static final String FORMAT = "fusionledger-cnn/v1";
    /** Zip entry of the manifest. */
    public static final String MANIFEST_ENTRY = "manifest.json";
    /** Zip entry of the parameters. */
    public static final String PARAMETERS_ENTRY = "parameters.djl";
    /** Images per forward pass in {@link #scores}. */
    private static final int INFERENCE_BATCH = 500;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_ARTIFACT_BYTES = 512L << 20;
    /** Held while the engine's global RNG is seeded and drawn from (initialisation). */
    private static final Object ENGINE_RNG = new Object();

    private final CnnArchitecture architecture;
    private final Model model;
    private ModelManifest manifest;

    private CnnModel(CnnArchitecture architecture, Model model, ModelManifest manifest) {
        this.architecture = architecture;
        this.model = model;
        this.manifest = manifest;
    }

    /**
     * A randomly initialised model (Xavier-uniform weights, zero biases) drawn from the engine's RNG
     * seeded with {@code seed}: the same seed gives the same parameters. Used for the free rider's
     * "untrained" network, the verifiers' null networks and as the starting point of training.
     * The seed goes into the engine's global RNG: every initialisation holds one lock, so models
     * built in other threads at the same time cannot shift the draws.
     */
    public static CnnModel untrained(CnnArchitecture architecture, long seed) {
        synchronized (ENGINE_RNG) {
            DjlRuntime.engine().setRandomSeed(engineSeed(seed));
            CnnModel m = newModel(architecture, ModelManifest.of(architecture, List.of(), seed, 0));
            m.model.getBlock().initialize(m.model.getNDManager(), DataType.FLOAT32, inputShape(1));
            return m;
        }
    }

    private static CnnModel newModel(CnnArchitecture architecture, ModelManifest manifest) {
        Model model = Model.newInstance(architecture.name(), DjlRuntime.engine().getEngineName());
        Block block = architecture.newBlock();
        block.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        block.setInitializer(new ConstantInitializer(0f), Parameter.Type.BIAS);
        model.setBlock(block);
        return new CnnModel(architecture, model, manifest);
    }

    static int engineSeed(long seed) {
        return Long.hashCode(seed);
    }

    /** The input shape of a batch of {@code n} images: [n × 1 × 28 × 28]. */
    public static Shape inputShape(int n) {
        return new Shape(n, 1, CnnArchitecture.SIDE, CnnArchitecture.SIDE);
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public String description() {
        return architecture.name();
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
        return manifest.trainedDigits().stream().map(String::valueOf).toList();
    }

    /** The architecture. */
    public CnnArchitecture architecture() {
        return architecture;
    }

    /** The manifest that {@link #toArtifact()} writes. */
    public ModelManifest manifest() {
        return manifest;
    }

    /** Replaces the manifest (a trainer records the digits and epochs the parameters come from). */
    public void setManifest(ModelManifest manifest) {
        this.manifest = manifest;
    }

    /** The DJL model, for a trainer. */
    public Model djlModel() {
        return model;
    }

    /**
     * The 10 softmax scores of each image (the f_i output vector of this model, Mendis et al.).
     *
     * @param images [N x 784] row-major grey levels in [0, 1] (28 x 28 per image), N &ge; 0
     * @return [N x 10] float32, row i the probabilities of digits 0..9 for image i (each row sums to 1)
     * @throws IllegalArgumentException if images.length is not a multiple of 784
     */
    public float[][] scores(float[] images) {
        int n = imageCount(images);
        float[][] out = new float[n][];
        try (NDManager mgr = model.getNDManager().newSubManager()) {
            ParameterStore ps = new ParameterStore(mgr, false);
            for (int start = 0; start < n; start += INFERENCE_BATCH) {
                int b = Math.min(INFERENCE_BATCH, n - start);
                try (NDManager batch = mgr.newSubManager()) {
                    NDArray x = batch.create(slice(images, start, b), inputShape(b));
                    NDArray logits = model.getBlock().forward(ps, new NDList(x), false).singletonOrThrow();
                    float[] p = logits.softmax(1).toFloatArray();
                    for (int i = 0; i < b; i++) {
                        float[] row = new float[CnnArchitecture.OUTPUTS];
                        System.arraycopy(p, i * CnnArchitecture.OUTPUTS, row, 0, CnnArchitecture.OUTPUTS);
                        out[start + i] = row;
                    }
                }
            }
        }
        return out;
    }


    /**
     * Features and scores of every image in one forward pass; see {@link ModelOutputs}: the 500 hidden units after their ReLU and the 10 softmax scores.
     *
     * @param images [N x 784] row-major grey levels in [0, 1] (28 x 28 per image), N &ge; 0
     * @throws IllegalArgumentException if images.length is not a multiple of 784
     */
    @Override
    public ModelOutputs outputs(float[] images) {
        int n = imageCount(images);
        float[] features = new float[n * CnnArchitecture.HIDDEN];
        float[] scores = new float[n * CnnArchitecture.OUTPUTS];
        ai.djl.nn.SequentialBlock net = (ai.djl.nn.SequentialBlock) model.getBlock();
        List<Block> layers = net.getChildren().values();
        try (NDManager mgr = model.getNDManager().newSubManager()) {
            ParameterStore ps = new ParameterStore(mgr, false);
            for (int start = 0; start < n; start += INFERENCE_BATCH) {
                int b = Math.min(INFERENCE_BATCH, n - start);
                try (NDManager batch = mgr.newSubManager()) {
                    NDList x = new NDList(batch.create(slice(images, start, b), inputShape(b)));
                    for (int l = 0; l < layers.size() - 1; l++) {
                        x = layers.get(l).forward(ps, x, false);
                    }
                    float[] f = x.singletonOrThrow().toFloatArray();
                    System.arraycopy(f, 0, features, start * CnnArchitecture.HIDDEN, f.length);
                    NDArray logits = layers.get(layers.size() - 1).forward(ps, x, false).singletonOrThrow();
                    float[] p = logits.softmax(1).toFloatArray();
                    System.arraycopy(p, 0, scores, start * CnnArchitecture.OUTPUTS, p.length);
                }
            }
        }
        return new ModelOutputs(features, scores);
    }

    /**
     * {@link #scores} flattened row-major: [N x 10] as one float32 array of N * 10 values (the
     * layout of a packed matrix on the wire).
     *
     * @param images [N x 784] grey levels in [0, 1]
     * @throws IllegalArgumentException if images.length is not a multiple of 784
     */
    public float[] scoresFlat(float[] images) {
        float[][] s = scores(images);
        float[] out = new float[s.length * CnnArchitecture.OUTPUTS];
        for (int i = 0; i < s.length; i++) {
            System.arraycopy(s[i], 0, out, i * CnnArchitecture.OUTPUTS, CnnArchitecture.OUTPUTS);
        }
        return out;
    }

    /**
     * The predicted digit (arg-max of the 10 scores, ties to the smaller digit) of each image.
     *
     * @param images [N x 784] grey levels in [0, 1]
     * @return [N] digits 0-9
     * @throws IllegalArgumentException if images.length is not a multiple of 784
     */
    public int[] predict(float[] images) {
        return predictions(scoresFlat(images));
    }

    /**
     * The predicted digit per row of row-major scores (arg-max, ties to the smaller digit).
     *
     * @param scores [N x 10] scores, e.g. {@link ModelOutputs#scores}
     * @return [N] digits 0-9
     * @throws IllegalArgumentException if scores.length is not a multiple of 10
     */
    public static int[] predictions(float[] scores) {
        return ModelOutputs.predictions(scores, CnnArchitecture.OUTPUTS);
    }

    /**
     * Accuracy on the images whose label is in {@code digits}: the fraction of them whose predicted
     * digit (arg-max over all 10 outputs) equals the label. With {@code digits} = the contributor's
     * own digits and the verification split, this is its "local verification accuracy" (Fig. 6/8).
     *
     * @param images [N x 784] grey levels in [0, 1]
     * @param labels [N] digits 0-9
     * @param digits the label subset to count, each in [0, 9]; all ten for plain accuracy
     * @return accuracy in [0, 1]
     * @throws IllegalArgumentException if the shapes disagree, a digit is outside [0, 9], or no
     *     image has a label in {@code digits}
     */
    public double accuracy(float[] images, int[] labels, Collection<Integer> digits) {
        int n = imageCount(images);
        if (labels.length != n) {
            throw new IllegalArgumentException("labels has " + labels.length + " entries, images has " + n + " images");
        }
        boolean[] keep = new boolean[CnnArchitecture.OUTPUTS];
        for (int d : digits) {
            if (d < 0 || d > 9) {
                throw new IllegalArgumentException("digit " + d + " is outside [0, 9]");
            }
            keep[d] = true;
        }
        int count = 0;
        for (int l : labels) {
            if (l >= 0 && l <= 9 && keep[l]) {
                count++;
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("no image has a label in " + digits);
        }
        float[] subset = new float[count * CnnArchitecture.PIXELS];
        int[] subLabels = new int[count];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] >= 0 && labels[i] <= 9 && keep[labels[i]]) {
                System.arraycopy(images, i * CnnArchitecture.PIXELS, subset, k * CnnArchitecture.PIXELS, CnnArchitecture.PIXELS);
                subLabels[k++] = labels[i];
            }
        }
        int[] pred = predict(subset);
        int correct = 0;
        for (int i = 0; i < count; i++) {
            if (pred[i] == subLabels[i]) {
                correct++;
            }
        }
        return (double) correct / count;
    }

    /** Accuracy over all ten digits; see {@link #accuracy(float[], int[], Collection)}. */
    public double accuracy(float[] images, int[] labels) {
        return accuracy(images, labels, List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
    }

    /**
     * Adds Gaussian noise to every parameter: w += N(0, (relative * rms(w))^2), per parameter
     * tensor, seeded. What a free rider does to disguise a copied model (docs/fusion.md).
     *
     * @param relative noise scale relative to each tensor's root mean square, in [0, 10]
     * @param seed seeds the noise
     * @throws IllegalArgumentException if relative is outside [0, 10]
     */
    public void perturb(float relative, long seed) {
        if (!(relative >= 0 && relative <= 10)) {
            throw new IllegalArgumentException("relative noise must be in [0, 10], got " + relative);
        }
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        for (ai.djl.util.Pair<String, Parameter> p : model.getBlock().getParameters()) {
            NDArray w = p.getValue().getArray();
            float[] v = w.toFloatArray();
            double ss = 0;
            for (float x : v) {
                ss += (double) x * x;
            }
            double sigma = relative * Math.sqrt(ss / Math.max(1, v.length));
            for (int i = 0; i < v.length; i++) {
                v[i] += (float) (sigma * rnd.nextGaussian());
            }
            w.set(v);
        }
    }

    /** The parameters in DJL's {@code saveParameters} format. */
    public byte[] parameterBytes() {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DataOutputStream dos = new DataOutputStream(bos)) {
            model.getBlock().saveParameters(dos);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    /** Replaces the parameters with ones from {@link #parameterBytes()}. */
    public void loadParameterBytes(byte[] params) throws IOException, MalformedModelException {
        try (DataInputStream dis = new DataInputStream(new ByteArrayInputStream(params))) {
            model.getBlock().loadParameters(model.getNDManager(), dis);
        }
    }

    /**
     * The model artifact (format {@value #FORMAT}): deterministic bytes for the content-addressed
     * model store.
     */
    public byte[] toArtifact() {
        return artifact(manifest, parameterBytes());
    }

    /** The artifact of {@code manifest} and parameters {@code params} (DJL's {@code saveParameters} bytes). */
    public static byte[] artifact(ModelManifest manifest, byte[] params) {
        try {
            return ModelPackages.zip(JSON.writeValueAsBytes(manifest), PARAMETERS_ENTRY, params);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Loads a model from an artifact written by {@link #toArtifact()}.
     *
     * @throws IllegalArgumentException if the bytes are not such an artifact: not a zip, an entry
     *     missing, or a manifest field outside what this build supports (format {@value #FORMAT},
     *     architecture C1-C5, engine PyTorch, inputShape [1, 28, 28], outputSize 10, labels "0".."9",
     *     outputs softmax, featureLayer hidden-relu, featureSize 500); the message names the field
     */
    public static CnnModel fromArtifact(byte[] artifact) {
        byte[] manifestBytes = null;
        byte[] params = null;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(artifact))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                byte[] data = zip.readNBytes((int) Math.min(MAX_ARTIFACT_BYTES, Integer.MAX_VALUE - 8));
                if (MANIFEST_ENTRY.equals(e.getName())) {
                    manifestBytes = data;
                } else if (PARAMETERS_ENTRY.equals(e.getName())) {
                    params = data;
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("model artifact is not a readable zip: " + e.getMessage(), e);
        }
        if (manifestBytes == null || params == null) {
            throw new IllegalArgumentException("model artifact must contain " + MANIFEST_ENTRY + " and "
                    + PARAMETERS_ENTRY + (manifestBytes == null ? "; " + MANIFEST_ENTRY : "; " + PARAMETERS_ENTRY)
                    + " is missing");
        }
        ModelManifest m;
        try {
            m = JSON.readValue(manifestBytes, ModelManifest.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(MANIFEST_ENTRY + " is not a valid manifest: " + e.getMessage(), e);
        }
        CnnArchitecture arch = checkManifest(m);
        CnnModel model = newModel(arch, m);
        try {
            synchronized (ENGINE_RNG) {
                model.model.getBlock().initialize(model.model.getNDManager(), DataType.FLOAT32, inputShape(1));
            }
            model.loadParameterBytes(params);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new IllegalArgumentException(PARAMETERS_ENTRY + " does not hold " + arch
                    + " parameters: " + e.getMessage(), e);
        }
        return model;
    }

    private static CnnArchitecture checkManifest(ModelManifest m) {
        ModelManifest want = ModelManifest.of(CnnArchitecture.C1, List.of(), 0, 0);
        require(FORMAT.equals(m.format()), "format", m.format(), FORMAT);
        CnnArchitecture arch;
        try {
            arch = CnnArchitecture.valueOf(String.valueOf(m.architecture()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("manifest field architecture is " + m.architecture()
                    + ", allowed: C1, C2, C3, C4, C5", e);
        }
        require(want.engine().equals(m.engine()), "engine", m.engine(), want.engine());
        require(want.inputShape().equals(m.inputShape()), "inputShape", m.inputShape(), want.inputShape());
        require(m.outputSize() == CnnArchitecture.OUTPUTS, "outputSize", m.outputSize(), CnnArchitecture.OUTPUTS);
        require(want.labels().equals(m.labels()), "labels", m.labels(), want.labels());
        require(want.outputs().equals(m.outputs()), "outputs", m.outputs(), want.outputs());
        require(want.featureLayer().equals(m.featureLayer()), "featureLayer", m.featureLayer(), want.featureLayer());
        require(m.featureSize() == CnnArchitecture.HIDDEN, "featureSize", m.featureSize(), CnnArchitecture.HIDDEN);
        Set<Integer> digits = new TreeSet<>();
        for (Integer d : m.trainedDigits() == null ? List.<Integer>of() : m.trainedDigits()) {
            if (d == null || d < 0 || d > 9 || !digits.add(d)) {
                throw new IllegalArgumentException("manifest field trainedDigits " + m.trainedDigits()
                        + " must hold distinct digits in [0, 9]");
            }
        }
        if (m.epochs() < 0) {
            throw new IllegalArgumentException("manifest field epochs is " + m.epochs() + ", must be >= 0");
        }
        return arch;
    }

    private static void require(boolean ok, String field, Object got, Object allowed) {
        if (!ok) {
            throw new IllegalArgumentException("manifest field " + field + " is " + got + ", allowed: " + allowed);
        }
    }

    static int imageCount(float[] images) {
        if (images.length % CnnArchitecture.PIXELS != 0) {
            throw new IllegalArgumentException("images has " + images.length
                    + " values, not a multiple of 784 (28 x 28 grey levels per image)");
        }
        return images.length / CnnArchitecture.PIXELS;
    }

    static float[] slice(float[] images, int start, int count) {
        float[] out = new float[count * CnnArchitecture.PIXELS];
        System.arraycopy(images, start * CnnArchitecture.PIXELS, out, 0, out.length);
        return out;
    }

    /** Frees the native memory. */
    @Override
    public void close() {
        model.close();
    }
}
