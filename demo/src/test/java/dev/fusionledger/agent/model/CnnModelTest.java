package dev.fusionledger.agent.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionledger.demo.data.MnistDigits;
import dev.fusionledger.demo.data.Partition;
import dev.fusionledger.demo.data.PartitionSpec;
import dev.fusionledger.demo.model.Scenario;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CnnModelTest {

    static MnistDigits data;
    static float[] verX;
    static int[] verY;

    @BeforeAll
    static void setUp() throws IOException {
        data = MnistDigits.loadDefault();
        Partition p = Partition.create(data, PartitionSpec.tableII(), 42);
        verX = p.verification().images(data);
        verY = p.verification().labels(data);
    }

    @Test
    void runsOfflineFromTheClassPath() {
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        assertThat(DjlRuntime.engine().getEngineName()).isEqualTo("PyTorch");
        assertThat(DjlRuntime.nativeDirectory().resolve("0.36.0-" + System.mapLibraryName("djl_torch")))
                .isRegularFile();
    }

    @Test
    void everyArchitectureMapsABatchToTenProbabilities() {
        float[] three = CnnModel.slice(verX, 0, 3);
        for (CnnArchitecture a : CnnArchitecture.values()) {
            try (CnnModel m = CnnModel.untrained(a, 7)) {
                float[][] s = m.scores(three);
                assertThat(s).as(a.name()).hasNumberOfRows(3);
                for (float[] row : s) {
                    assertThat(row).hasSize(10);
                    double sum = 0;
                    for (float v : row) {
                        assertThat(v).isBetween(0f, 1f);
                        sum += v;
                    }
                    assertThat(sum).isCloseTo(1.0, Offset.offset(1e-4));
                }
                assertThat(m.scores(new float[0])).isEmpty();
            }
        }
    }

    @Test
    void everyArchitectureGivesFiveHundredFeaturesAndTheSameScoresInOnePass() {
        float[] five = CnnModel.slice(verX, 20, 5);
        for (CnnArchitecture a : CnnArchitecture.values()) {
            try (CnnModel m = CnnModel.untrained(a, 3)) {
                ModelOutputs o = m.outputs(five);
                assertThat(o.features()).as(a.name()).hasSize(5 * 500);
                assertThat(m.manifest().featureSize()).isEqualTo(500);
                assertThat(m.manifest().featureLayer()).isEqualTo("hidden-relu");
                for (float v : o.features()) {
                    assertThat(v).as("ReLU output").isGreaterThanOrEqualTo(0f);
                }
                assertThat(o.scores()).containsExactly(m.scoresFlat(five));
                assertThat(m.outputs(new float[0]).features()).isEmpty();
            }
        }
        try (CnnModel m = CnnModel.untrained(CnnArchitecture.C1, 3)) {
            assertThatThrownBy(() -> m.outputs(new float[783])).hasMessageContaining("not a multiple of 784");
        }
    }

    @Test
    void perturbedCopyKeepsThePredictionsButNotTheBytes() {
        try (CnnModel m = CnnModel.untrained(CnnArchitecture.C2, 4)) {
            byte[] original = m.toArtifact();
            int[] before = m.predict(verX);
            try (CnnModel copy = CnnModel.fromArtifact(original)) {
                copy.perturb(0.02f, 9);
                assertThat(copy.toArtifact()).isNotEqualTo(original);
                int[] after = copy.predict(verX);
                int same = 0;
                for (int i = 0; i < before.length; i++) {
                    same += before[i] == after[i] ? 1 : 0;
                }
                assertThat((double) same / before.length).isGreaterThan(0.9);
                assertThatThrownBy(() -> copy.perturb(-1f, 1)).hasMessageContaining("[0, 10]");
            }
        }
    }

    @Test
    void scoresFlatIsTheRowMajorMatrix() {
        float[] four = CnnModel.slice(verX, 10, 4);
        try (CnnModel m = CnnModel.untrained(CnnArchitecture.C2, 2)) {
            float[][] s = m.scores(four);
            float[] flat = m.scoresFlat(four);
            assertThat(flat).hasSize(40);
            for (int i = 0; i < 4; i++) {
                assertThat(java.util.Arrays.copyOfRange(flat, i * 10, i * 10 + 10)).containsExactly(s[i]);
            }
        }
    }

    @Test
    void scenariosPickTheArchitectures() {
        assertThat(Scenario.OWN_ARCHITECTURES.architectureFor("C4")).isEqualTo(CnnArchitecture.C4);
        assertThat(Scenario.ALL_C1.architectureFor("C4")).isEqualTo(CnnArchitecture.C1);
        assertThatThrownBy(() -> Scenario.OWN_ARCHITECTURES.architectureFor("C6"))
                .hasMessageContaining("C1..C5").hasMessageContaining("C6");
        assertThat(CnnArchitecture.C3.convs()).extracting(CnnArchitecture.Conv::kernel).containsExactly(5, 10, 4);
        assertThat(CnnArchitecture.C2).hasToString("C2 64@5, 32@5, 16@2");
    }

    @Test
    void untrainedModelIsNearChance() {
        for (CnnArchitecture a : List.of(CnnArchitecture.C1, CnnArchitecture.C5)) {
            try (CnnModel m = CnnModel.untrained(a, 3)) {
                assertThat(m.accuracy(verX, verY)).as(a.name()).isLessThan(0.3);
                assertThat(m.manifest().epochs()).isZero();
                assertThat(m.manifest().trainedDigits()).isEmpty();
            }
        }
    }

    @Test
    void sameSeedSameParametersOtherSeedOthers() {
        try (CnnModel a = CnnModel.untrained(CnnArchitecture.C4, 11);
                CnnModel b = CnnModel.untrained(CnnArchitecture.C4, 11);
                CnnModel c = CnnModel.untrained(CnnArchitecture.C4, 12)) {
            assertThat(a.toArtifact()).isEqualTo(b.toArtifact());
            assertThat(a.parameterBytes()).isNotEqualTo(c.parameterBytes());
        }
    }

    @Test
    void saveThenLoadGivesIdenticalOutputsAndBytes() {
        float[] batch = CnnModel.slice(verX, 100, 50);
        for (CnnArchitecture a : List.of(CnnArchitecture.C3, CnnArchitecture.C2)) {
            try (CnnModel m = CnnModel.untrained(a, 5)) {
                byte[] artifact = m.toArtifact();
                try (CnnModel back = CnnModel.fromArtifact(artifact)) {
                    assertThat(back.architecture()).isEqualTo(a);
                    assertThat(back.manifest()).isEqualTo(m.manifest());
                    float[][] want = m.scores(batch);
                    float[][] got = back.scores(batch);
                    for (int i = 0; i < want.length; i++) {
                        assertThat(got[i]).containsExactly(want[i]);
                    }
                    assertThat(back.toArtifact()).isEqualTo(artifact);
                }
            }
        }
    }

    @Test
    void badArtifactsAreRefusedNamingTheProblem() throws IOException {
        assertThatThrownBy(() -> CnnModel.fromArtifact("not a zip".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("manifest.json");
        byte[] good;
        try (CnnModel m = CnnModel.untrained(CnnArchitecture.C1, 1)) {
            good = m.toArtifact();
        }
        String manifest = "{\"format\":\"fusionledger-cnn/v1\",\"architecture\":\"C9\",\"engine\":\"PyTorch\","
                + "\"inputShape\":[1,28,28],\"outputSize\":10,\"labels\":[\"0\",\"1\",\"2\",\"3\",\"4\",\"5\",\"6\","
                + "\"7\",\"8\",\"9\"],\"outputs\":\"softmax\",\"trainedDigits\":[],\"seed\":1,\"epochs\":0,"
                + "\"featureLayer\":\"hidden-relu\",\"featureSize\":500}";
        assertThatThrownBy(() -> CnnModel.fromArtifact(zip(manifest, new byte[] {1, 2, 3})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("architecture is C9");
        String wrongShape = manifest.replace("C9", "C1").replace("[1,28,28]", "[3,32,32]");
        assertThatThrownBy(() -> CnnModel.fromArtifact(zip(wrongShape, new byte[] {1})))
                .hasMessageContaining("inputShape is [3, 32, 32]");
        assertThatThrownBy(() -> CnnModel.fromArtifact(zip(manifest.replace("C9", "C1").replace(":500", ":10"),
                new byte[] {1}))).hasMessageContaining("featureSize is 10, allowed: 500");
        assertThatThrownBy(() -> CnnModel.fromArtifact(zip(manifest.replace("C9", "C2"), new byte[] {1, 2, 3})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parameters.djl");
        assertThat(good).isNotEmpty();
    }

    @Test
    void accuracyOnALabelSubsetCountsOnlyThoseLabels() {
        try (CnnModel m = CnnModel.untrained(CnnArchitecture.C5, 9)) {
            int[] pred = m.predict(verX);
            int correct = 0;
            int total = 0;
            for (int i = 0; i < verY.length; i++) {
                if (verY[i] == 3 || verY[i] == 8) {
                    total++;
                    correct += pred[i] == verY[i] ? 1 : 0;
                }
            }
            assertThat(m.accuracy(verX, verY, List.of(3, 8))).isEqualTo((double) correct / total);
            assertThatThrownBy(() -> m.accuracy(verX, verY, List.of(12))).hasMessageContaining("digit 12");
            assertThatThrownBy(() -> m.accuracy(new float[783], new int[1])).hasMessageContaining("multiple of 784");
        }
    }

    private static byte[] zip(String manifest, byte[] params) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bos)) {
            z.putNextEntry(new ZipEntry(CnnModel.MANIFEST_ENTRY));
            z.write(manifest.getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry(CnnModel.PARAMETERS_ENTRY));
            z.write(params);
        }
        return bos.toByteArray();
    }
}
