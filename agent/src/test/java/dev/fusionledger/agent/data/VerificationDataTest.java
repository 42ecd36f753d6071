package dev.fusionledger.agent.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerificationDataTest {
    @TempDir
    Path dir;

    private static LabelledSamples small() {
        return new LabelledSamples(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f}, new int[] {2, 0, 1}, List.of(1, 2));
    }

    @Test
    void writtenDataReadBackWhenTheHashIsTheTasks() throws Exception {
        VerificationData.write(dir.resolve(VerificationData.VERIFICATION), small());
        VerificationData.write(dir.resolve(VerificationData.FUSION_TRAINING), small());
        VerificationData d = new VerificationData(dir);
        LabelledSamples back = d.verification(d.verificationHash(), 3, 2);
        assertThat(back.samples()).containsExactly(small().samples());
        assertThat(back.labels()).containsExactly(2, 0, 1);
        assertThat(back.sampleShape()).containsExactly(1, 2);
        assertThat(d.fusionTraining(3, 2).rows()).isEqualTo(3);
    }

    @Test
    void aWrongHashOrShapeOrLabelIsRefused() throws Exception {
        VerificationData.write(dir.resolve(VerificationData.VERIFICATION), small());
        VerificationData d = new VerificationData(dir);
        assertThatThrownBy(() -> d.verification("0".repeat(64), 3, 2))
                .isInstanceOf(VerificationData.DataMismatchException.class)
                .hasMessageContaining("is not the task's verificationDataHash");
        assertThatThrownBy(() -> d.verification(d.verificationHash(), 2, 2)).hasMessageContaining("y[0] = 2, must be in 0..1");
        assertThatThrownBy(() -> d.verification(d.verificationHash(), 3, 784)).hasMessageContaining("784 values per sample");
        assertThatThrownBy(() -> d.fusionTraining(3, 2)).isInstanceOf(NoSuchFileException.class);
        Files.writeString(dir.resolve(VerificationData.FUSION_TRAINING), "junk");
        assertThatThrownBy(() -> d.fusionTraining(3, 2)).hasMessageContaining("not a NumPy .npz archive");
        assertThatThrownBy(() -> new LabelledSamples(new float[5], new int[] {1, 2}, List.of(3)))
                .hasMessageStartingWith("samples:");
    }
}
