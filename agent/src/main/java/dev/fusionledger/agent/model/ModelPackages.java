package dev.fusionledger.agent.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Model packages: the bytes a contributor stores and checkpoints, a zip of {@code manifest.json}
 * and the model file, so the content hash on the ledger covers both (docs/agents.md, "Model
 * packages"). Three formats: {@value CnnModel#FORMAT} (the demo's DJL CNNs, {@link CnnModel}),
 * {@value PortableManifest#ONNX} and {@value PortableManifest#TORCHSCRIPT} ({@link PortableModel}).
 */
public final class ModelPackages {
    /** The manifest's entry in every package. */
    public static final String MANIFEST_ENTRY = "manifest.json";
    /** Largest package accepted, bytes: 512 MiB. */
    public static final int MAX_BYTES = 512 << 20;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final LocalDateTime ZIP_TIME = LocalDateTime.of(1980, 2, 1, 0, 0);

    private ModelPackages() {}

    /**
     * Loads a package of any of the three formats.
     *
     * @param artifact the package bytes, at most {@link #MAX_BYTES}
     * @return the model, to be closed by the caller
     * @throws IllegalArgumentException if the bytes are not a package: not a zip, no or an invalid
     *     manifest (the message names the field), an unknown format, or a model file the engine
     *     cannot load
     */
    public static ModelRunner load(byte[] artifact) {
        if (artifact.length > MAX_BYTES) {
            throw new IllegalArgumentException("model package: " + artifact.length + " bytes, at most " + MAX_BYTES);
        }
        Map<String, byte[]> entries = entries(artifact);
        byte[] manifest = entries.get(MANIFEST_ENTRY);
        if (manifest == null) {
            throw new IllegalArgumentException("model package: no " + MANIFEST_ENTRY + " entry");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(manifest);
        } catch (IOException e) {
            throw new IllegalArgumentException(MANIFEST_ENTRY + ": not JSON", e);
        }
        String format = tree == null ? null : tree.path("format").asText(null);
        if (CnnModel.FORMAT.equals(format)) {
            return CnnModel.fromArtifact(artifact);
        }
        if (!PortableManifest.ONNX.equals(format) && !PortableManifest.TORCHSCRIPT.equals(format)) {
            throw new IllegalArgumentException(MANIFEST_ENTRY + ": format must be " + CnnModel.FORMAT + ", "
                    + PortableManifest.ONNX + " or " + PortableManifest.TORCHSCRIPT + ", got " + format);
        }
        PortableManifest m = manifest(tree);
        byte[] model = entries.get(m.modelEntry());
        if (model == null) {
            throw new IllegalArgumentException("model package: no " + m.modelEntry() + " entry for format " + format);
        }
        return PortableModel.load(m, model);
    }

    /** Parses and validates a portable manifest. @throws IllegalArgumentException naming the field */
    static PortableManifest manifest(JsonNode tree) {
        try {
            return JSON.treeToValue(tree, PortableManifest.class);
        } catch (IOException e) {
            Throwable c = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            throw new IllegalArgumentException(MANIFEST_ENTRY + ": " + (c instanceof IllegalArgumentException
                    ? c.getMessage() : "not a manifest (" + e.getMessage().lines().findFirst().orElse("") + ")"), e);
        }
    }

    /**
     * Packs an ONNX or TorchScript file with its manifest. The bytes are deterministic: the same
     * inputs give the same package and so the same content hash.
     *
     * @param manifest validated manifest
     * @param model the model file's bytes
     * @throws IllegalArgumentException if the package would exceed {@link #MAX_BYTES}
     */
    public static byte[] pack(PortableManifest manifest, byte[] model) {
        if (model.length > MAX_BYTES - (1 << 20)) {
            throw new IllegalArgumentException("model file: " + model.length + " bytes, at most " + (MAX_BYTES - (1 << 20)));
        }
        try {
            return zip(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest), manifest.modelEntry(), model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A package's bytes: the manifest, then the model file, with fixed timestamps (same input, same hash). */
    static byte[] zip(byte[] manifest, String modelEntry, byte[] model) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            put(zip, MANIFEST_ENTRY, manifest);
            put(zip, modelEntry, model);
        }
        return bytes.toByteArray();
    }

    /** The manifest of a portable package, without loading the model. @throws IllegalArgumentException as {@link #load} */
    public static PortableManifest portableManifest(byte[] artifact) {
        byte[] manifest = entries(artifact).get(MANIFEST_ENTRY);
        if (manifest == null) {
            throw new IllegalArgumentException("model package: no " + MANIFEST_ENTRY + " entry");
        }
        try {
            return manifest(JSON.readTree(manifest));
        } catch (IOException e) {
            throw new IllegalArgumentException(MANIFEST_ENTRY + ": not JSON", e);
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTimeLocal(ZIP_TIME);
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    private static Map<String, byte[]> entries(byte[] artifact) {
        Map<String, byte[]> out = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(artifact))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (out.put(e.getName(), zip.readNBytes(MAX_BYTES)) != null) {
                    throw new IllegalArgumentException("model package: entry " + e.getName() + " appears twice");
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("model package: not a readable zip (" + e.getMessage() + ")", e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("model package: not a zip, or an empty one");
        }
        return out;
    }
}
