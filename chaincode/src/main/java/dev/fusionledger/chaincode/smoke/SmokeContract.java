package dev.fusionledger.chaincode.smoke;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ledger.KeyModification;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;

/**
 * A minimal key/value contract that proves a network works end to end: endorsement by both
 * organisations, commit, reads from any peer and the history database. It is not part of the market
 * and is called by its qualified names ({@code smoke:Put}, {@code smoke:Get}, {@code smoke:History}).
 *
 * <p>Keys live in their own namespace: the state key is {@code "smoke~" + key}, so smoke data never
 * collides with market keys. Values are UTF-8 strings.
 */
@Contract(name = "smoke", info = @Info(title = "FusionLedger network smoke test", version = "0.1.0"))
public final class SmokeContract implements ContractInterface {
    /** Longest key accepted, in characters. */
    public static final int MAX_KEY_LENGTH = 256;
    /** Largest value accepted, in UTF-8 bytes. */
    public static final int MAX_VALUE_BYTES = 65_536;

    private static final String PREFIX = "smoke~";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Writes {@code value} under {@code key}.
     *
     * @param ctx   transaction context
     * @param key   1..256 characters, no U+0000
     * @param value 0..65536 UTF-8 bytes
     * @return the transaction id that wrote the value
     * @throws ChaincodeException {@code INVALID_ARGUMENT} when key or value are out of range
     */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String Put(final Context ctx, final String key, final String value) {
        byte[] bytes = checkValue(value);
        ctx.getStub().putState(stateKey(key), bytes);
        return ctx.getStub().getTxId();
    }

    /**
     * Reads the value under {@code key}.
     *
     * @param ctx transaction context
     * @param key 1..256 characters, no U+0000
     * @return the value
     * @throws ChaincodeException {@code NOT_FOUND} when the key has no value,
     *                            {@code INVALID_ARGUMENT} when the key is out of range
     */
    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String Get(final Context ctx, final String key) {
        byte[] v = ctx.getStub().getState(stateKey(key));
        if (v == null || v.length == 0) {
            throw error("NOT_FOUND", "key: no value stored under '" + key + "'");
        }
        return new String(v, StandardCharsets.UTF_8);
    }

    /**
     * The history of {@code key} from the peer's history database ({@code GetHistoryForKey}), as a
     * JSON array of {@code {"txId": string, "timestamp": epoch seconds, "deleted": bool,
     * "value": string}}, newest first (the order the peer returns).
     *
     * @param ctx transaction context
     * @param key 1..256 characters, no U+0000
     * @return the JSON array (empty when the key was never written)
     * @throws ChaincodeException {@code INVALID_ARGUMENT} when the key is out of range
     */
    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String History(final Context ctx, final String key) {
        ArrayNode entries = JSON.createArrayNode();
        try (QueryResultsIterator<KeyModification> it = ctx.getStub().getHistoryForKey(stateKey(key))) {
            for (KeyModification m : it) {
                ObjectNode e = entries.addObject();
                e.put("txId", m.getTxId());
                e.put("timestamp", m.getTimestamp().getEpochSecond());
                e.put("deleted", m.isDeleted());
                e.put("value", m.getStringValue());
            }
        } catch (ChaincodeException e) {
            throw e;
        } catch (Exception e) {
            throw new ChaincodeException("history of '" + key + "' could not be read: " + e.getMessage(), e);
        }
        try {
            return JSON.writeValueAsString(entries);
        } catch (JsonProcessingException e) {
            throw new ChaincodeException("history of '" + key + "' could not be written as JSON: " + e.getMessage(), e);
        }
    }

    private static String stateKey(final String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw error("INVALID_ARGUMENT", "key: length must be in 1.." + MAX_KEY_LENGTH + ", got "
                    + (key == null ? "null" : key.length()));
        }
        if (key.indexOf('\u0000') >= 0) {
            throw error("INVALID_ARGUMENT", "key: must not contain U+0000");
        }
        return PREFIX + key;
    }

    private static byte[] checkValue(final String value) {
        if (value == null) {
            throw error("INVALID_ARGUMENT", "value: must be present");
        }
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_VALUE_BYTES) {
            throw error("INVALID_ARGUMENT", "value: size must be in 0.." + MAX_VALUE_BYTES + " bytes, got " + b.length);
        }
        return b;
    }

    private static ChaincodeException error(final String code, final String message) {
        return new ChaincodeException(code + ": " + message, code.getBytes(StandardCharsets.UTF_8));
    }
}
