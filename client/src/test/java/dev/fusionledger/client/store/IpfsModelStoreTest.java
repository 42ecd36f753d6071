package dev.fusionledger.client.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link IpfsModelStore} against a fake Kubo RPC API (the JDK's HttpServer): the requests it sends,
 * and that bytes the node returns are hash-checked on every read. The real node: SealedIpfsIT.
 */
class IpfsModelStoreTest {
    static final String DIR_CID = "bafybeidrsoma5eaoe2katfnfkyundbbbltwevbac6c5nf3umj5zzdz5gue";
    static final ModelManifest MANIFEST = new ModelManifest(ModelFormat.ONNX, List.of(28, 28, 1), 2, List.of("0", "1"));

    HttpServer server;
    final List<String> requests = new CopyOnWriteArrayList<>();
    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    volatile byte[] lastBody = new byte[0];
    /** Whether pin/add succeeds (else it times out). */
    volatile boolean pinOk;
    /** When set, files/cp maps this artifact as a concurrent caller would, then refuses the copy. */
    volatile byte[] cpRaceBytes;
    IpfsModelStore store;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v0/", ex -> {
            String cmd = ex.getRequestURI().getPath().substring("/api/v0/".length());
            String query = ex.getRequestURI().getRawQuery() == null ? "" : java.net.URLDecoder.decode(ex.getRequestURI().getRawQuery(),
                    StandardCharsets.UTF_8);
            requests.add(ex.getRequestMethod() + " " + cmd + " " + query);
            lastBody = ex.getRequestBody().readAllBytes();
            byte[] out;
            int status = 200;
            String arg = query.replaceAll(".*arg=([^&]*).*", "$1");
            switch (cmd) {
                case "add" -> out = ("{\"Name\":\"model/artifact.bin\",\"Hash\":\"bafkreib\"}\n"
                        + "{\"Name\":\"model\",\"Hash\":\"" + DIR_CID + "\",\"Size\":\"9\"}\n").getBytes(StandardCharsets.UTF_8);
                case "files/read", "files/stat" -> {
                    byte[] f = files.get(arg);
                    if (f == null && cmd.equals("files/stat") && files.keySet().stream().anyMatch(k -> k.startsWith(arg + "/"))) {
                        f = ("{\"Hash\":\"" + DIR_CID + "\"}").getBytes(StandardCharsets.UTF_8);
                    }
                    if (f == null) {
                        status = 500;
                        out = "{\"Message\":\"file does not exist\",\"Code\":0,\"Type\":\"error\"}".getBytes(StandardCharsets.UTF_8);
                    } else {
                        out = cmd.equals("files/read") ? f : ("{\"Hash\":\"" + DIR_CID + "\"}").getBytes(StandardCharsets.UTF_8);
                    }
                }
                case "pin/add" -> {
                    status = pinOk ? 200 : 500;
                    out = "{\"Message\":\"context deadline exceeded\",\"Code\":0,\"Type\":\"error\"}".getBytes(StandardCharsets.UTF_8);
                }
                case "files/cp" -> {
                    if (cpRaceBytes != null) {
                        String dest = query.replaceAll(".*arg=(/fusionledger/models/[0-9a-f]{64}).*", "$1");
                        serve(dest.substring(dest.lastIndexOf('/') + 1), cpRaceBytes);
                        status = 500;
                        out = "{\"Message\":\"cp: cannot put node in path: directory already has entry by that name\",\"Type\":\"error\"}"
                                .getBytes(StandardCharsets.UTF_8);
                    } else {
                        out = "{}".getBytes(StandardCharsets.UTF_8);
                    }
                }
                default -> out = "{}".getBytes(StandardCharsets.UTF_8);
            }
            ex.sendResponseHeaders(status, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
        store = new IpfsModelStore(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    void serve(String id, byte[] bytes) throws IOException {
        files.put(IpfsModelStore.ROOT + "/" + id + "/artifact.bin", bytes);
        files.put(IpfsModelStore.ROOT + "/" + id + "/manifest.json", new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsBytes(new LocalModelStore.ManifestFile(id, MANIFEST, LocalModelStore.manifestHash(id, MANIFEST))));
    }

    @Test
    void putAddsAPinnedDirectoryAndMapsTheIdToItsCid() throws IOException {
        byte[] bytes = "model bytes".getBytes(StandardCharsets.UTF_8);
        String id = store.put(bytes, MANIFEST);
        assertThat(id).isEqualTo(Hashes.sha256Hex(bytes));
        assertThat(requests.get(0)).startsWith("POST add ").contains("pin=true").contains("cid-version=1").contains("raw-leaves=true");
        assertThat(requests).anyMatch(r -> r.startsWith("POST files/cp ") && r.contains("/ipfs/" + DIR_CID)
                && r.contains(IpfsModelStore.ROOT + "/" + id));
        serve(id, bytes);
        assertThat(store.cid(id)).isEqualTo(DIR_CID);
        assertThat(store.get(id).bytes()).isEqualTo(bytes);
        assertThat(store.get(id).manifest()).isEqualTo(MANIFEST);
        assertThat(store.contains(id)).isTrue();
    }

    @Test
    void fetchKeepsAMappingToTheSameCidAndToleratesAConcurrentFetchOfTheSameArtifact() throws IOException {
        pinOk = true;
        byte[] bytes = "a model two parties of one org fetch".getBytes(StandardCharsets.UTF_8);
        String id = Hashes.sha256Hex(bytes);
        serve(id, bytes);
        store.fetch(id, DIR_CID);
        assertThat(requests).noneMatch(r -> r.startsWith("POST files/cp ") || r.startsWith("POST files/rm "));

        byte[] other = "another model".getBytes(StandardCharsets.UTF_8);
        String id2 = Hashes.sha256Hex(other);
        cpRaceBytes = other; // the other party's fetch maps it between our stat and our copy
        store.fetch(id2, DIR_CID);
        assertThat(requests).anyMatch(r -> r.startsWith("POST files/cp ") && r.contains(id2));
        assertThat(store.get(id2).bytes()).isEqualTo(other);
    }

    @Test
    void bytesThatDoNotHashToTheIdAreRefused() throws IOException {
        String id = Hashes.sha256Hex("the real model".getBytes(StandardCharsets.UTF_8));
        serve(id, "a substituted model".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.get(id)).isInstanceOf(ModelIntegrityException.class);
        assertThatThrownBy(() -> store.verify(id)).isInstanceOf(ModelIntegrityException.class);
    }

    @Test
    void missingModelsNodeErrorsAndBadArgumentsAreNamed() throws IOException {
        String id = "0".repeat(64);
        assertThatThrownBy(() -> store.get(id)).isInstanceOf(ModelNotFoundException.class);
        assertThat(store.contains(id)).isFalse();
        assertThatThrownBy(() -> store.get("xyz")).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("id:");
        assertThatThrownBy(() -> store.fetch(id, "not-a-cid")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cid:");
        assertThatThrownBy(() -> store.fetch(id, DIR_CID)).isInstanceOf(IOException.class)
                .hasMessageContaining("pin/add failed (HTTP 500): context deadline exceeded");
        assertThatThrownBy(() -> store.put(new byte[0], MANIFEST)).hasMessageStartingWith("bytes:");
        assertThatThrownBy(() -> new IpfsModelStore(URI.create("ftp://x"))).hasMessageStartingWith("api:");
        assertThatThrownBy(() -> new IpfsModelStore(URI.create("http://127.0.0.1:1"), java.time.Duration.ofSeconds(1)))
                .hasMessageStartingWith("timeout:");
        int port = server.getAddress().getPort();
        server.stop(0);
        IpfsModelStore down = new IpfsModelStore(URI.create("http://127.0.0.1:" + port));
        assertThatThrownBy(() -> down.get(id)).isInstanceOf(IOException.class).hasMessageContaining("does not answer");
    }
}
