package dev.fusionledger.client.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalModelStoreTest {
    // printf 'fusionledger model v1' | sha256sum
    static final String V1_ID = "89a9034c45ea0dfc86e9266d4e4eb3fbe37690465a8e081cbed6447fbaa442ce";
    static final byte[] V1 = "fusionledger model v1".getBytes(StandardCharsets.UTF_8);
    static final ModelManifest MNIST = new ModelManifest(ModelFormat.DJL, List.of(28, 28), 10,
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));

    @TempDir
    Path dir;

    @Test
    void putReturnsSha256OfBytesAndGetReturnsThemWithManifest() throws Exception {
        LocalModelStore store = new LocalModelStore(dir);
        String id = store.put(V1, MNIST);
        assertThat(id).isEqualTo(V1_ID);
        StoredModel got = store.get(id);
        assertThat(got.bytes()).isEqualTo(V1);
        assertThat(got.manifest()).isEqualTo(MNIST);
        assertThat(store.list()).containsExactly(V1_ID);
        assertThat(store.contains(V1_ID)).isTrue();
        store.verify(id);
        // no temporary files left behind
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void putIsIdempotent() throws Exception {
        LocalModelStore store = new LocalModelStore(dir);
        assertThat(store.put(V1, MNIST)).isEqualTo(store.put(V1.clone(), MNIST));
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void tamperedArtifactIsDetectedOnGetAndVerify() throws Exception {
        LocalModelStore store = new LocalModelStore(dir);
        String id = store.put(V1, MNIST);
        Path artifact = dir.resolve(id.substring(0, 2)).resolve(id + ".bin");
        byte[] tampered = V1.clone();
        tampered[0] ^= 1;
        Files.write(artifact, tampered);
        String tamperedHash = Hashes.sha256Hex(tampered);

        assertThatThrownBy(() -> store.get(id))
                .isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining(id)
                .hasMessageContaining(tamperedHash)
                .satisfies(e -> assertThat(((ModelIntegrityException) e).actualHash()).isEqualTo(tamperedHash));
        assertThatThrownBy(() -> store.verify(id)).isInstanceOf(ModelIntegrityException.class);
        // the tampered bytes are still there for forensics; re-putting the original repairs it
        assertThat(Files.readAllBytes(artifact)).isEqualTo(tampered);
        store.put(V1, MNIST);
        assertThat(store.get(id).bytes()).isEqualTo(V1);
    }

    @Test
    void unknownAndMalformedIds() throws Exception {
        LocalModelStore store = new LocalModelStore(dir);
        assertThatThrownBy(() -> store.get("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
                .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("not in the store");
        assertThatThrownBy(() -> store.get("ABC")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("id: must be 64 lowercase hex");
        assertThatThrownBy(() -> store.put(new byte[0], MNIST)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bytes:");
        assertThat(store.list()).isEmpty();
    }

    @Test
    void manifestValidation() {
        assertThatThrownBy(() -> new ModelManifest(ModelFormat.ONNX, List.of(28, 0), 10, List.of()))
                .hasMessageStartingWith("inputShape: every dimension must be in 1..");
        assertThatThrownBy(() -> new ModelManifest(ModelFormat.ONNX, List.of(28, 28), 0, List.of()))
                .hasMessageStartingWith("outputSize: must be in 1..");
        assertThatThrownBy(() -> new ModelManifest(ModelFormat.ONNX, List.of(28, 28), 10, List.of("a")))
                .hasMessageStartingWith("labels: must be empty or have outputSize=10 entries, got 1");
        assertThatThrownBy(() -> new ModelManifest(null, List.of(28, 28), 10, List.of()))
                .hasMessageStartingWith("format:");
    }
}
