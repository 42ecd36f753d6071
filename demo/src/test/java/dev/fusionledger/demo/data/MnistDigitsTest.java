package dev.fusionledger.demo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistDigitsTest {

    static MnistDigits data;

    @BeforeAll
    static void load() throws IOException {
        data = MnistDigits.loadDefault();
    }

    @Test
    void loadsTheTenThousandDigitsOfMnist110WithTheirCounts() {
        assertThat(data.size()).isEqualTo(10_000);
        assertThat(data.counts()).containsExactly(1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978);
        int[] seen = new int[10];
        for (int i = 0; i < data.size(); i++) {
            seen[data.label(i)]++;
        }
        assertThat(seen).containsExactly(data.counts());
        for (int d = 0; d < 10; d++) {
            assertThat(data.label(data.offset(d))).isEqualTo(d);
        }
    }

    @Test
    void imagesAreGreyLevelsInUnitRangeAndNotBlank() {
        float[] img = new float[MnistDigits.PIXELS];
        double totalInk = 0;
        for (int i = 0; i < data.size(); i++) {
            data.copyImage(i, img, 0);
            double ink = 0;
            for (float v : img) {
                assertThat(v).isBetween(0f, 1f);
                ink += v;
            }
            assertThat(ink).as("ink of image %d", i).isGreaterThan(5);
            totalInk += ink;
        }
        // a real digit covers roughly a fifth of the 28 x 28 pixels at mid grey
        assertThat(totalInk / data.size() / MnistDigits.PIXELS).isBetween(0.05, 0.3);
    }

    @Test
    void imagesStacksRowMajor() {
        int[] idx = {3, 4000, 9999};
        float[] stacked = data.images(idx);
        assertThat(stacked).hasSize(3 * 784);
        float[] one = new float[784];
        data.copyImage(4000, one, 0);
        assertThat(Arrays.copyOfRange(stacked, 784, 2 * 784)).containsExactly(one);
        assertThat(data.labels(idx)).containsExactly(0, data.label(4000), 9);
        assertThatThrownBy(() -> data.copyImage(10_000, one, 0)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("[0, 10000)");
    }

    @Test
    void missingFileSaysHowToFetch(@TempDir Path dir) {
        assertThatThrownBy(() -> MnistDigits.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("0.json").hasMessageContaining("fetch-mnist.sh");
    }

    @Test
    void wrongCountIsNamed(@TempDir Path dir) throws IOException {
        writeDigits(dir, 2, "0.5");
        int[] expected = new int[10];
        Arrays.fill(expected, 2);
        assertThat(MnistDigits.load(dir, expected).size()).isEqualTo(20);
        expected[4] = 3;
        assertThatThrownBy(() -> MnistDigits.load(dir, expected)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("4.json").hasMessageContaining("expected 3 images of digit 4, found 2");
    }

    @Test
    void valueOutsideUnitRangeIsNamed(@TempDir Path dir) throws IOException {
        writeDigits(dir, 1, "0.5");
        String bad = "{\"data\": [" + String.join(",", Collections.nCopies(783, "0")) + ",1.5]}";
        Files.writeString(dir.resolve("digits/7.json"), bad);
        int[] ones = new int[10];
        Arrays.fill(ones, 1);
        assertThatThrownBy(() -> MnistDigits.load(dir, ones)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("7.json").hasMessageContaining("data[783] = 1.5")
                .hasMessageContaining("[0, 1]");
    }

    @Test
    void lengthNotMultipleOf784IsNamed(@TempDir Path dir) throws IOException {
        writeDigits(dir, 1, "0.5");
        Files.writeString(dir.resolve("digits/2.json"), "{\"data\": [0, 0, 0]}");
        int[] ones = new int[10];
        Arrays.fill(ones, 1);
        assertThatThrownBy(() -> MnistDigits.load(dir, ones)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2.json").hasMessageContaining("not a multiple of 784");
        Files.writeString(dir.resolve("digits/2.json"), "{\"pixels\": []}");
        assertThatThrownBy(() -> MnistDigits.load(dir, ones)).hasMessageContaining("field data is missing");
    }

    private static void writeDigits(Path dir, int perDigit, String value) throws IOException {
        Files.createDirectories(dir.resolve("digits"));
        String arr = String.join(",", Collections.nCopies(perDigit * 784, value));
        for (int d = 0; d < 10; d++) {
            Files.writeString(dir.resolve("digits/" + d + ".json"), "{\"data\": [" + arr + "]}");
        }
    }
}
