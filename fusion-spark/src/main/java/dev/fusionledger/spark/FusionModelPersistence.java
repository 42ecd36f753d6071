package dev.fusionledger.spark;

import dev.fusionledger.fusion.FusionModel;
import dev.fusionledger.fusion.Provenance;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.json4s.JObject;
import org.json4s.JValue;
import org.json4s.jackson.JsonMethods$;
import scala.Option;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * ML persistence of {@link FusionClassificationModel}: {@code path/metadata} (Spark's params JSON,
 * with the provenance and the model file's SHA-256 as extra metadata) and
 * {@code path/data/fusion-model.flfm} (the fusion-engine model file). Layout in docs/spark.md.
 */
final class FusionModelPersistence {
    static final String DATA_FILE = "data/fusion-model.flfm";
    private static final ObjectMapper JSON = new ObjectMapper();

    private FusionModelPersistence() {
    }

    static final class Writer extends MLWriter {
        private final FusionClassificationModel instance;

        Writer(FusionClassificationModel instance) {
            this.instance = instance;
        }

        @Override
        public void saveImpl(String path) {
            FusionModel m = instance.toFusionModel();
            Provenance p = m.provenance();
            ObjectNode extra = JSON.createObjectNode();
            extra.put("fusionModelSha256", m.sha256());
            extra.put("formatVersion", FusionModel.FORMAT_VERSION);
            extra.put("trainingSha256", p.trainingSha256());
            extra.put("engineVersion", p.engineVersion());
            extra.put("strategy", p.config().strategy().name());
            extra.put("seed", p.seed());
            JValue json = JsonMethods$.MODULE$.fromJsonNode(extra);
            DefaultParamsWriter.saveMetadata(instance, path, sparkSession(), Option.apply((JObject) json));
            Path file = new Path(path, DATA_FILE);
            try {
                FileSystem fs = file.getFileSystem(sc().hadoopConfiguration());
                try (FSDataOutputStream out = fs.create(file, true)) {
                    out.write(m.toBytes());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }
    }

    static final class Reader extends MLReader<FusionClassificationModel> {
        @Override
        public FusionClassificationModel load(String path) {
            DefaultParamsReader.Metadata meta = DefaultParamsReader.loadMetadata(path, sparkSession(),
                    FusionClassificationModel.class.getName());
            Path file = new Path(path, DATA_FILE);
            byte[] bytes;
            try {
                FileSystem fs = file.getFileSystem(sc().hadoopConfiguration());
                long len = fs.getFileStatus(file).getLen();
                if (len > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException(file + " is too large: " + len + " bytes");
                }
                bytes = new byte[(int) len];
                try (FSDataInputStream in = fs.open(file)) {
                    in.readFully(bytes);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            FusionModel model = FusionModel.fromBytes(bytes);
            String recorded = stringField(meta.metadataJson(), "fusionModelSha256");
            if (recorded != null && !recorded.equals(model.sha256())) {
                throw new IllegalStateException(file + ": SHA-256 " + model.sha256() + " differs from the "
                        + "metadata's fusionModelSha256 " + recorded + "; the model directory was altered");
            }
            FusionClassificationModel m = new FusionClassificationModel(meta.uid(), model);
            meta.getAndSetParams(m, Option.empty());
            return m;
        }
    }

    private static String stringField(String json, String name) {
        try {
            JsonNode v = JSON.readTree(json).get(name);
            return v == null || !v.isTextual() ? null : v.asText();
        } catch (IOException e) {
            throw new IllegalStateException("unreadable model metadata: " + e.getMessage(), e);
        }
    }
}
