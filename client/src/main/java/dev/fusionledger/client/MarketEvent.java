package dev.fusionledger.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.hyperledger.fabric.client.ChaincodeEvent;

/**
 * One chaincode event of the market: the transaction's name and its JSON result as payload
 * (docs/ledger-api.md, "Events"), with the block and transaction that emitted it.
 *
 * @param blockNumber   block that committed the transaction
 * @param transactionId transaction that emitted it
 * @param name          transaction name, e.g. {@code SubmitBid}
 * @param payloadJson   the payload (UTF-8 JSON)
 */
public record MarketEvent(long blockNumber, String transactionId, String chaincodeName, String name,
                          String payloadJson) implements ChaincodeEvent {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    static MarketEvent of(ChaincodeEvent e) {
        return new MarketEvent(e.getBlockNumber(), e.getTransactionId(), e.getChaincodeName(), e.getEventName(),
                new String(e.getPayload(), StandardCharsets.UTF_8));
    }

    /** The payload as a JSON tree. */
    public JsonNode payload() {
        try {
            return JSON.readTree(payloadJson);
        } catch (IOException e) {
            throw new UncheckedIOException("event " + name + " in " + transactionId + ": payload is not JSON", e);
        }
    }

    /**
     * The payload as the result record of its transaction, e.g.
     * {@code payloadAs(dev.fusionledger.ledger.Bid.class)} for a {@code SubmitBid} event.
     *
     * @throws UncheckedIOException when the payload does not have that shape
     */
    public <T> T payloadAs(Class<T> type) {
        try {
            return JSON.readValue(payloadJson, type);
        } catch (IOException e) {
            throw new UncheckedIOException("event " + name + " in " + transactionId + ": payload is not a "
                    + type.getSimpleName(), e);
        }
    }

    /** The {@code taskId} field of the payload, or {@code null} when the event is not about a task. */
    public String taskId() {
        JsonNode n = payload().get("taskId");
        return n == null || n.isNull() ? null : n.asText();
    }

    @Override
    public long getBlockNumber() {
        return blockNumber;
    }

    @Override
    public String getTransactionId() {
        return transactionId;
    }

    @Override
    public String getChaincodeName() {
        return chaincodeName;
    }

    @Override
    public String getEventName() {
        return name;
    }

    @Override
    public byte[] getPayload() {
        return payloadJson.getBytes(StandardCharsets.UTF_8);
    }
}
