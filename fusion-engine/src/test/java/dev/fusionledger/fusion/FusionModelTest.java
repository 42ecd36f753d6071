package dev.fusionledger.fusion;

import dev.fusionledger.fusion.backend.JavaReferenceBackend;
import dev.fusionledger.fusion.backend.ReferenceKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Model file format "FLFM" v1. The checked-in golden file {@code golden/fusion-model-v1.flfm} was
 * written by the engine from {@code new SyntheticTask(2, 3, 3, 2, 2f, 0.5f, 99).sample(30, 1)},
 * Strategy II, stage1Epochs 4, stage2Epochs 2, batchSize 8, learningRate 0.1, seed 4, on the Java reference backend.
 */
class FusionModelTest {
    private static byte[] golden() throws IOException {
        try (InputStream in = FusionModelTest.class.getResourceAsStream("/golden/fusion-model-v1.flfm")) {
            assertThat(in).as("golden file on the test classpath").isNotNull();
            return in.readAllBytes();
        }
    }

    private static FusionData goldenData() {
        return new SyntheticTask(2, 3, 3, 2, 2f, 0.5f, 99).sample(30, 1);
    }

    @Test
    void goldenFileLoadsWithItsShapesAndProvenance() throws Exception {
        byte[] bytes = golden();
        FusionModel m = FusionModel.fromBytes(bytes);
        assertThat(m.classes()).isEqualTo(3);
        assertThat(m.featureSizes()).containsExactly(3, 3);
        assertThat(m.labelCounts()).containsExactly(3, 3);
        assertThat(m.a()).hasSize(6 * 6);
        assertThat(m.b()).hasSize(6 * 3);
        Provenance p = m.provenance();
        assertThat(p.config().strategy()).isEqualTo(Strategy.II);
        assertThat(p.config().stage1Epochs()).isEqualTo(4);
        assertThat(p.config().stage2Epochs()).isEqualTo(2);
        assertThat(p.config().batchSize()).isEqualTo(8);
        assertThat(p.seed()).isEqualTo(4L);
        assertThat(p.engineVersion()).isEqualTo("0.1.0");
        assertThat(p.trainingSha256()).isEqualTo(goldenData().sha256());
        // re-saving gives the same bytes, and the id is the file's SHA-256
        assertThat(m.toBytes()).isEqualTo(bytes);
        assertThat(m.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    }

    @Test
    void goldenModelPredictsAsItsWeightsSay() throws Exception {
        FusionModel m = FusionModel.fromBytes(golden());
        FusionData data = goldenData();
        int n = data.rows();
        float[] h = new float[n * 6];
        float[] z = new float[n * 3];
        ReferenceKernels.gemm(false, false, n, 6, 6, 1f, data.concatenated(), 6, m.a(), 6, 0f, h, 6);
        ReferenceKernels.gemm(false, false, n, 3, 6, 1f, h, 6, m.b(), 3, 0f, z, 3);
        assertThat(m.predict(data)).containsExactly(FusionModel.argmax(z, n, 3));
        float[] p = m.probabilities(data);
        for (int r = 0; r < n; r++) {
            assertThat((double) (p[r * 3] + p[r * 3 + 1] + p[r * 3 + 2])).isCloseTo(1.0,
                    org.assertj.core.data.Offset.offset(1e-6));
        }
        assertThat(m.evaluate(data).accuracy()).isGreaterThan(0.9);
    }

    @Test
    void retrainingTheGoldenTaskOnTheReferenceBackendReproducesTheFileByteForByte() throws Exception {
        FusionConfig cfg = FusionConfig.builder().strategy(Strategy.II).stage1Epochs(4).stage2Epochs(2).batchSize(8)
                .learningRate(0.1f).seed(4).build();
        FusionModel m = new FusionTrainer(new JavaReferenceBackend()).train(goldenData(), cfg);
        assertThat(m.toBytes()).isEqualTo(golden());
    }

    @Test
    void saveAndLoadRoundTrip(@TempDir Path dir) {
        FusionData data = new SyntheticTask(3, 5, 4, 2, 2f, 0.5f, 3).sample(50, 1);
        FusionModel m = new FusionTrainer().train(data, FusionConfig.builder().strategy(Strategy.I).epochs(2).build());
        Path file = dir.resolve("m.flfm");
        m.save(file);
        FusionModel back = FusionModel.load(file);
        assertThat(back.a()).containsExactly(m.a());
        assertThat(back.b()).containsExactly(m.b());
        assertThat(back.provenance()).isEqualTo(m.provenance());
        assertThat(back.sha256()).isEqualTo(m.sha256());
    }

    @Test
    void corruptFilesAreRefused() throws Exception {
        byte[] g = golden();
        byte[] badMagic = g.clone();
        badMagic[0] = 'X';
        assertThatThrownBy(() -> FusionModel.fromBytes(badMagic)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("magic");
        byte[] badVersion = g.clone();
        badVersion[7] = 2;
        assertThatThrownBy(() -> FusionModel.fromBytes(badVersion)).hasMessageContaining("version 2");
        assertThatThrownBy(() -> FusionModel.fromBytes(Arrays.copyOf(g, g.length - 4)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("bytes");
        assertThatThrownBy(() -> FusionModel.fromBytes(Arrays.copyOf(g, 20)))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void evaluatingWithOtherShapesNamesTheModel() throws Exception {
        FusionModel m = FusionModel.fromBytes(golden());
        FusionData other = new SyntheticTask(2, 4, 3, 2, 2f, 0.5f, 99).sample(5, 1);
        assertThatThrownBy(() -> m.evaluate(other)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("features[0]").hasMessageContaining("[N x 3]");
    }
}
