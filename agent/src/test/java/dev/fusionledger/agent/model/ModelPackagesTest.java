package dev.fusionledger.agent.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.fusionledger.agent.data.LabelledSamples;
import dev.fusionledger.agent.data.VerificationData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Model packages of the three formats, on the fixtures of scripts/make-fixtures.sh: a perceptron
 * trained with NumPy and exported with the onnx package, and its untrained twin.
 */
class ModelPackagesTest {
    static final Path FIXTURES = Path.of(System.getProperty("fusionledger.fixtures", "target/fixtures"));
    static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    static PortableManifest onnxManifest(List<String> trained) {
        return new PortableManifest(PortableManifest.ONNX, List.of(1, 28, 28), "input", "features", 500, "scores",
                "softmax", DIGITS, trained, "numpy + onnx (agent/scripts/onnx_fixture.py)");
    }

    static byte[] onnxPackage(String file) throws Exception {
        return ModelPackages.pack(onnxManifest(List.of()), Files.readAllBytes(FIXTURES.resolve(file)));
    }

    @Test
    void anOnnxExportGivesItsFeaturesAndScoresAndItsAccuracy() throws Exception {
        LabelledSamples v = VerificationData.read(FIXTURES.resolve(VerificationData.VERIFICATION), 10, 784);
        assertThat(v.rows()).isEqualTo(1000);
        assertThat(v.sampleShape()).containsExactly(1, 28, 28);
        try (ModelRunner m = ModelPackages.load(onnxPackage("mlp-trained.onnx"))) {
            assertThat(m.format()).isEqualTo(PortableManifest.ONNX);
            ModelOutputs o = m.outputs(v.samples());
            assertThat(o.features()).hasSize(1000 * 500);
            assertThat(o.scores()).hasSize(1000 * 10);
            float sum = 0;
            for (int c = 0; c < 10; c++) {
                sum += o.scores()[c];
            }
            assertThat(sum).isCloseTo(1f, offset(1e-4f));
            int correct = 0;
            for (int r = 0; r < 1000; r++) {
                int best = 0;
                for (int c = 1; c < 10; c++) {
                    best = o.scores()[r * 10 + c] > o.scores()[r * 10 + best] ? c : best;
                }
                correct += best == v.labels()[r] ? 1 : 0;
            }
            String info = Files.readString(FIXTURES.resolve("fixtures.json"));
            double numpyAccuracy = Double.parseDouble(info.replaceAll("(?s).*\"trainedAccuracy\": ([0-9.]+).*", "$1"));
            // ONNX Runtime computes what NumPy computed when the fixture was made
            assertThat(correct / 1000.0).isCloseTo(numpyAccuracy, offset(0.002));
            for (float f : o.features()) {
                assertThat(f).isGreaterThanOrEqualTo(0f); // after the ReLU
            }
        }
    }

    @Test
    void packingIsDeterministicAndCoversTheManifest() throws Exception {
        byte[] a = onnxPackage("mlp-trained.onnx");
        assertThat(onnxPackage("mlp-trained.onnx")).isEqualTo(a);
        byte[] other = ModelPackages.pack(onnxManifest(List.of("3")), Files.readAllBytes(FIXTURES.resolve("mlp-trained.onnx")));
        assertThat(other).isNotEqualTo(a);
        assertThat(ModelPackages.portableManifest(other).trainedLabels()).containsExactly("3");
    }

    @Test
    void badPackagesAreRefusedNamingTheProblem() throws Exception {
        assertThatThrownBy(() -> ModelPackages.load("not a zip".getBytes())).hasMessageContaining("not a zip");
        byte[] onnx = Files.readAllBytes(FIXTURES.resolve("mlp-trained.onnx"));
        PortableManifest wrongOutput = new PortableManifest(PortableManifest.ONNX, List.of(1, 28, 28), null, "hidden",
                500, "scores", "softmax", DIGITS, List.of(), null);
        try (ModelRunner m = ModelPackages.load(ModelPackages.pack(wrongOutput, onnx))) {
            assertThatThrownBy(() -> m.outputs(new float[784])).hasMessageContaining("featureOutput")
                    .hasMessageContaining("hidden");
        }
        assertThatThrownBy(() -> ModelPackages.load(ModelPackages.pack(onnxManifest(List.of()), "garbage".getBytes())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model.onnx");
        assertThatThrownBy(() -> new PortableManifest("onnx", List.of(1), null, "f", 1, "s", "softmax", DIGITS, null, null))
                .hasMessageStartingWith("format:");
        assertThatThrownBy(() -> new PortableManifest(PortableManifest.ONNX, List.of(0), null, "f", 1, "s", "softmax",
                DIGITS, null, null)).hasMessageStartingWith("inputShape:");
        assertThatThrownBy(() -> new PortableManifest(PortableManifest.ONNX, List.of(1), null, "f", 1, "s", "probs",
                DIGITS, null, null)).hasMessageStartingWith("scoreKind:");
        assertThatThrownBy(() -> new PortableManifest(PortableManifest.ONNX, List.of(1), null, "f", 1, "s", "softmax",
                DIGITS, List.of("x"), null)).hasMessageStartingWith("trainedLabels:");
        assertThatThrownBy(() -> new PortableManifest(PortableManifest.TORCHSCRIPT, List.of(1), null, "features", 1,
                "1", "softmax", DIGITS, null, null)).hasMessageStartingWith("featureOutput:");
    }

    /**
     * A TorchScript package. No TorchScript file can be made from this machine's registries without
     * PyTorch itself (its wheels on PyPI are gigabytes with CUDA), so the test runs on a file given
     * in {@code FUSIONLEDGER_TORCHSCRIPT_FIXTURE}: a traced module taking [N, 1, 28, 28] and returning
     * (features [N × 500], scores [N × 10]), e.g. from {@code torch.jit.save(torch.jit.trace(m, x), path)}.
     */
    @Test
    void aTorchScriptExportGivesItsOutputs() throws Exception {
        String file = System.getenv("FUSIONLEDGER_TORCHSCRIPT_FIXTURE");
        if (file == null || !Files.isRegularFile(Path.of(file))) {
            System.out.println("SKIPPED aTorchScriptExportGivesItsOutputs: no TorchScript fixture (set "
                    + "FUSIONLEDGER_TORCHSCRIPT_FIXTURE to a torch.jit.save file; PyTorch is not installable here)");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(file != null && Files.isRegularFile(Path.of(file)),
                "FUSIONLEDGER_TORCHSCRIPT_FIXTURE names no file");
        PortableManifest m = new PortableManifest(PortableManifest.TORCHSCRIPT, List.of(1, 28, 28), null, "0", 500,
                "1", "logits", DIGITS, List.of(), "torch.jit");
        try (ModelRunner r = ModelPackages.load(ModelPackages.pack(m, Files.readAllBytes(Path.of(file))))) {
            ModelOutputs o = r.outputs(new float[3 * 784]);
            assertThat(o.features()).hasSize(3 * 500);
            assertThat(o.scores()).hasSize(3 * 10);
        }
    }

    @Test
    void logitsBecomeProbabilities() {
        float[] x = {0, 0, 1000, 1000, 2, 0};
        PortableModel.softmaxRows(x, 3);
        assertThat(x[0] + x[1] + x[2]).isCloseTo(1f, offset(1e-6f));
        assertThat(x[2]).isCloseTo(1f, offset(1e-6f));
        assertThat(x[3]).isCloseTo(1f, offset(1e-6f));
        assertThat(x[5]).isCloseTo(0f, offset(1e-6f));
    }
}
