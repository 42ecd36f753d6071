package dev.fusionledger.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The market's deterministic JSON (docs/ledger-api.md, "Conventions"): properties in each record's
 * declaration order, no whitespace, {@code null} values written; on input duplicate keys, unknown
 * properties and trailing tokens are rejected.
 */
public final class LedgerJson {
    /** The one strict mapper of the ledger shapes. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private LedgerJson() {
    }

    /** @return the UTF-8 JSON bytes of {@code value} */
    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    /** @return the JSON text of {@code value} */
    public static String text(Object value) {
        return new String(bytes(value), StandardCharsets.UTF_8);
    }

    /**
     * Reads stored bytes (written with this mapper) into {@code type}.
     *
     * @throws IllegalStateException when the bytes are not a {@code type}: corrupt state, not a caller error
     */
    public static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new IllegalStateException("corrupt state of type " + type.getSimpleName(), e);
        }
    }

    /**
     * Parses caller input into a tree.
     *
     * @throws MarketException INVALID_ARGUMENT naming {@code field} when empty, longer than
     *     {@code maxBytes} UTF-8 bytes, or not one well-formed JSON value without duplicate keys
     */
    public static JsonNode parse(String field, String text, int maxBytes) {
        if (text == null || text.isEmpty()) {
            throw MarketException.invalid(field, "must be JSON, got an empty string");
        }
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (b.length > maxBytes) {
            throw MarketException.invalid(field, "must be at most " + maxBytes + " bytes, got " + b.length);
        }
        try {
            JsonNode node = MAPPER.readTree(b);
            if (node == null || node.isMissingNode()) {
                throw MarketException.invalid(field, "must be JSON, got nothing");
            }
            return node;
        } catch (IOException e) {
            String msg = e.getMessage() == null ? "" : e.getMessage().split("\n", 2)[0];
            throw MarketException.invalid(field, "malformed JSON: " + msg);
        }
    }

    /** @return a deep copy of {@code node} with every object's keys sorted ({@link String#compareTo} order) */
    public static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
            fields.sort(Map.Entry.comparingByKey());
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> f : fields) {
                out.set(f.getKey(), sorted(f.getValue()));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (JsonNode n : node) {
                out.add(sorted(n));
            }
            return out;
        }
        return node;
    }
}
