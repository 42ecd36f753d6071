package dev.fusionledger.client.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A {@link ModelStore} on a Kubo (IPFS) node through its HTTP RPC API ({@code /api/v0}; the
 * JDK's {@link HttpClient}, JSON by Jackson). {@link #put} adds a directory of two files,
 * {@code artifact.bin} (the bytes) and {@code manifest.json} (the manifest file of
 * {@link LocalModelStore}, bound to the id by its own hash), pinned, as CIDv1 with raw leaves;
 * the directory's CID is the artifact's {@link #cid} (put on the ledger with the checkpoint). The
 * node's MFS maps ids to CIDs: {@code /fusionledger/models/<id>} is a copy (a link, not the bytes)
 * of the directory. Another organisation's node gets it with {@link #fetch}(id, cid), which pins
 * the CID (bitswap fetches the blocks from the peers of the private swarm) and maps it. Every
 * {@link #get} and {@link #verify} re-hashes the bytes with SHA-256 against the id, whatever the
 * CID promised (docs/model-store.md).
 */
public final class IpfsModelStore extends HashCheckedStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CID = Pattern.compile("b[a-z2-7]{8,127}|Qm[1-9A-HJ-NP-Za-km-z]{44}");
    static final String ROOT = "/fusionledger/models";
    private final URI api;
    private final HttpClient http;
    private final Duration timeout;

    /**
     * @param api     the node's RPC API, e.g. {@code http://127.0.0.1:7195} (the profile's
     *                {@code organizations[].modelStore.api})
     * @param timeout per request; 10 s to 1 h
     * @throws IllegalArgumentException naming {@code api} unless an http(s) URI, {@code timeout} outside its range
     */
    public IpfsModelStore(URI api, Duration timeout) {
        if (api == null || api.getScheme() == null || !(api.getScheme().equals("http") || api.getScheme().equals("https"))
                || api.getHost() == null) {
            throw new IllegalArgumentException("api: must be an http(s) URI of a Kubo RPC API, got " + api);
        }
        if (timeout == null || timeout.compareTo(Duration.ofSeconds(10)) < 0 || timeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("timeout: must be 10 s..1 h, got " + timeout);
        }
        String s = api.toString();
        this.api = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** @param api the node's RPC API; requests time out after 10 minutes */
    public IpfsModelStore(URI api) {
        this(api, Duration.ofMinutes(10));
    }

    /** The node's RPC API. */
    public URI api() {
        return api;
    }

    @Override
    public String put(byte[] bytes, ModelManifest manifest) throws IOException {
        String id = ModelStore.idOf(bytes, manifest);
        byte[] manifestFile = JSON.writeValueAsBytes(new LocalModelStore.ManifestFile(id, manifest,
                LocalModelStore.manifestHash(id, manifest)));
        String boundary = "fusionledger-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream(bytes.length + manifestFile.length + 1024);
        part(body, boundary, "model", "application/x-directory", new byte[0]);
        part(body, boundary, "model%2Fartifact.bin", "application/octet-stream", bytes);
        part(body, boundary, "model%2Fmanifest.json", "application/json", manifestFile);
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpResponse<byte[]> r = call("add", Map.of("pin", "true", "cid-version", "1", "raw-leaves", "true",
                        "progress", "false"),
                HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()), "multipart/form-data; boundary=" + boundary);
        String dir = null;
        for (String line : new String(r.body(), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = JSON.readTree(line);
            if ("model".equals(n.path("Name").asText())) {
                dir = n.path("Hash").asText();
            }
        }
        if (dir == null || !CID.matcher(dir).matches()) {
            throw new IOException("IPFS node " + api + ": add returned no directory CID: " + clip(r.body()));
        }
        link(id, dir);
        return id;
    }

    /**
     * Makes an artifact stored by another node available here: pins {@code cid} (fetching its blocks
     * from the private swarm), maps {@code id} to it, and verifies the bytes and the manifest.
     *
     * @throws IllegalArgumentException naming {@code id} or {@code cid} when malformed
     * @throws ModelNotFoundException   when the CID has no {@code artifact.bin} and {@code manifest.json}
     * @throws ModelIntegrityException  when the bytes do not hash to {@code id} (the mapping is removed)
     * @throws IOException              when the node fails or times out (e.g. no peer has the CID)
     */
    public void fetch(String id, String cid) throws IOException {
        Hashes.requireSha256Hex("id", id);
        requireCid(cid);
        call("pin/add", Map.of("arg", cid, "progress", "false"), HttpRequest.BodyPublishers.noBody(), null);
        link(id, cid);
        try {
            verify(id);
        } catch (ModelIntegrityException | ModelNotFoundException e) {
            unlink(id);
            throw e;
        }
    }

    /**
     * @return the CID of the directory stored under {@code id} on this node
     * @throws ModelNotFoundException when nothing is stored under {@code id} here
     */
    public String cid(String id) throws IOException {
        Hashes.requireSha256Hex("id", id);
        HttpResponse<byte[]> r = callOrMissing("files/stat", Map.of("arg", ROOT + "/" + id));
        if (r == null) {
            throw new ModelNotFoundException(id);
        }
        return JSON.readTree(r.body()).path("Hash").asText();
    }

    @Override
    public boolean contains(String id) throws IOException {
        return Hashes.isSha256Hex(id) && callOrMissing("files/stat", Map.of("arg", ROOT + "/" + id)) != null;
    }

    @Override
    public List<String> list() throws IOException {
        List<String> ids = new ArrayList<>();
        HttpResponse<byte[]> r = callOrMissing("files/ls", Map.of("arg", ROOT));
        if (r != null) {
            for (JsonNode e : JSON.readTree(r.body()).path("Entries")) {
                String name = e.path("Name").asText();
                if (Hashes.isSha256Hex(name)) {
                    ids.add(name);
                }
            }
        }
        ids.sort(null);
        return ids;
    }

    /**
     * Maps {@code id} to {@code cid} in the node's MFS. Parties of one organisation share its node
     * and may fetch the same artifact at once: a mapping already to {@code cid} is kept, and a copy
     * refused because a concurrent caller just made that same mapping counts as done.
     */
    private void link(String id, String cid) throws IOException {
        call("files/mkdir", Map.of("arg", ROOT, "parents", "true"), HttpRequest.BodyPublishers.noBody(), null);
        String have = linked(id);
        if (cid.equals(have)) {
            return;
        }
        if (have != null) {
            unlink(id);
        }
        try {
            call("files/cp", List.of(Map.entry("arg", "/ipfs/" + cid), Map.entry("arg", ROOT + "/" + id)));
        } catch (KuboException e) {
            if (!cid.equals(linked(id))) {
                throw e;
            }
        }
    }

    /** The CID {@code id} is mapped to on this node, or null. */
    private String linked(String id) throws IOException {
        HttpResponse<byte[]> r = callOrMissing("files/stat", Map.of("arg", ROOT + "/" + id));
        return r == null ? null : JSON.readTree(r.body()).path("Hash").asText(null);
    }

    private void unlink(String id) throws IOException {
        if (callOrMissing("files/stat", Map.of("arg", ROOT + "/" + id)) != null) {
            call("files/rm", Map.of("arg", ROOT + "/" + id, "recursive", "true"), HttpRequest.BodyPublishers.noBody(), null);
        }
    }

    @Override
    byte[] readVerified(String id) throws IOException {
        HttpResponse<byte[]> r = callOrMissing("files/read", Map.of("arg", ROOT + "/" + id + "/artifact.bin"));
        if (r == null) {
            throw new ModelNotFoundException(id);
        }
        String actual = Hashes.sha256Hex(r.body());
        if (!actual.equals(id)) {
            throw new ModelIntegrityException(id, actual);
        }
        return r.body();
    }

    @Override
    ModelManifest readManifest(String id) throws IOException {
        HttpResponse<byte[]> r = callOrMissing("files/read", Map.of("arg", ROOT + "/" + id + "/manifest.json"));
        if (r == null) {
            throw new ModelNotFoundException(id + " (manifest)");
        }
        LocalModelStore.ManifestFile f;
        try {
            f = JSON.readValue(r.body(), LocalModelStore.ManifestFile.class);
        } catch (IOException | IllegalArgumentException e) {
            throw ModelIntegrityException.manifest(id, "model " + id + ": manifest on IPFS node " + api + " is not a valid manifest");
        }
        if (f == null || f.manifest() == null || !id.equals(f.artifact()) || f.sha256() == null
                || !f.sha256().equals(LocalModelStore.manifestHash(id, f.manifest()))) {
            throw ModelIntegrityException.manifest(id, "model " + id + ": manifest on IPFS node " + api
                    + " does not match its checked hash: it was modified or corrupted");
        }
        return f.manifest();
    }

    /** A call whose "not found" answer (Kubo: HTTP 500, "does not exist" / "not found") gives null. */
    private HttpResponse<byte[]> callOrMissing(String cmd, Map<String, String> args) throws IOException {
        try {
            return call(cmd, args, HttpRequest.BodyPublishers.noBody(), null);
        } catch (KuboException e) {
            String m = e.kuboMessage().toLowerCase(java.util.Locale.ROOT);
            if (m.contains("does not exist") || m.contains("not found") || m.contains("no link named")) {
                return null;
            }
            throw e;
        }
    }

    private HttpResponse<byte[]> call(String cmd, Map<String, String> args, HttpRequest.BodyPublisher body, String type)
            throws IOException {
        return call(cmd, new ArrayList<>(new java.util.TreeMap<>(args).entrySet()), body, type);
    }

    private HttpResponse<byte[]> call(String cmd, List<Map.Entry<String, String>> args) throws IOException {
        return call(cmd, args, HttpRequest.BodyPublishers.noBody(), null);
    }

    private HttpResponse<byte[]> call(String cmd, List<Map.Entry<String, String>> args, HttpRequest.BodyPublisher body,
                                      String type) throws IOException {
        StringBuilder q = new StringBuilder();
        for (Map.Entry<String, String> a : args) {
            q.append(q.length() == 0 ? '?' : '&').append(a.getKey()).append('=')
                    .append(URLEncoder.encode(a.getValue(), StandardCharsets.UTF_8));
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + "/api/v0/" + cmd + q)).timeout(timeout)
                .POST(body);
        if (type != null) {
            b.header("Content-Type", type);
        }
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("IPFS node " + api + ": " + cmd + " interrupted");
        } catch (java.net.ConnectException e) {
            throw new IOException("IPFS node " + api + " does not answer (is it running? make ipfs-up): " + e.getMessage(), e);
        }
        if (r.statusCode() != 200) {
            String msg;
            try {
                msg = JSON.readTree(r.body()).path("Message").asText(clip(r.body()));
            } catch (IOException e) {
                msg = clip(r.body());
            }
            throw new KuboException("IPFS node " + api + ": " + cmd + " failed (HTTP " + r.statusCode() + "): " + msg, msg);
        }
        return r;
    }

    private static void part(ByteArrayOutputStream out, String boundary, String name, String type, byte[] content)
            throws IOException {
        out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(content);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static void requireCid(String cid) {
        if (cid == null || !CID.matcher(cid).matches()) {
            throw new IllegalArgumentException("cid: must be an IPFS CID (CIDv1 base32 'b...' or CIDv0 'Qm...'), got '" + cid + "'");
        }
    }

    private static String clip(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8).strip();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** An error answer of the node; {@link #kuboMessage} is its {@code Message}. */
    static final class KuboException extends IOException {
        private static final long serialVersionUID = 1L;
        private final String kuboMessage;

        KuboException(String message, String kuboMessage) {
            super(message);
            this.kuboMessage = kuboMessage;
        }

        String kuboMessage() {
            return kuboMessage;
        }
    }
}
