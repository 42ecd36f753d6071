package dev.fusionledger.chaincode.market;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * An in-memory ledger with Fabric's transaction semantics: reads see committed state only, writes
 * are buffered and applied when the transaction returns normally, a transaction that throws writes
 * nothing; each key keeps its history; each successful transaction's event is recorded. Each
 * committed transaction is one block (numbered from the first block given to the constructor) and
 * its record (caller, time, block) is kept, as a peer's ledger would. Shared with the client's unit
 * tests through this module's test-jar.
 */
public final class InMemoryLedger {
    private final TreeMap<String, byte[]> state = new TreeMap<>();
    private final Map<String, List<Ledger.HistoryRecord>> history = new HashMap<>();
    private final List<Event> events = new ArrayList<>();
    private final Map<String, Committed> transactions = new HashMap<>();
    private long block;

    /** A recorded chaincode event of the transaction committed in {@code block}. */
    public record Event(long block, String txId, String name, String payload) {
    }

    /**
     * A committed transaction.
     *
     * @param time  transaction time, epoch seconds
     * @param block the block that holds it
     */
    public record Committed(String txId, Ledger.Caller caller, long time, long block) {
    }

    /** A ledger whose first committed transaction is block 1. */
    public InMemoryLedger() {
        this(0);
    }

    /** A ledger whose first committed transaction is block {@code lastBlock + 1}. */
    public InMemoryLedger(long lastBlock) {
        this.block = lastBlock;
    }

    /** Runs one transaction; applies its writes only if {@code body} returns. */
    public <T> T run(Ledger.Caller caller, String txId, long time, Function<Market, T> body) {
        Tx tx = new Tx(caller, txId, time);
        T result = body.apply(new Market(tx));
        block++;
        transactions.put(txId, new Committed(txId, caller, time, block));
        for (Map.Entry<String, byte[]> w : tx.writes.entrySet()) {
            boolean deleted = w.getValue() == null;
            if (deleted) {
                state.remove(w.getKey());
            } else {
                state.put(w.getKey(), w.getValue());
            }
            history.computeIfAbsent(w.getKey(), k -> new ArrayList<>())
                    .add(new Ledger.HistoryRecord(txId, time, deleted, w.getValue()));
        }
        if (tx.eventName != null) {
            events.add(new Event(block, txId, tx.eventName, new String(tx.eventPayload, StandardCharsets.UTF_8)));
        }
        return result;
    }

    /**
     * Runs one transaction as a query ({@code evaluateTransaction}): it reads committed state and its
     * writes and event are discarded, whether {@code body} returns or throws.
     */
    public <T> T evaluate(Ledger.Caller caller, String txId, long time, Function<Market, T> body) {
        return body.apply(new Market(new Tx(caller, txId, time)));
    }

    /** @return the number of the last committed block (the constructor's value before any commit) */
    public long block() {
        return block;
    }

    /** @return the committed transaction {@code txId}, or null when none was committed */
    public Committed transaction(String txId) {
        return transactions.get(txId);
    }

    /** @return every key and value, in key order, as one byte string (for "state unchanged" checks) */
    public byte[] snapshot() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> e : state.entrySet()) {
            out.writeBytes(e.getKey().getBytes(StandardCharsets.UTF_8));
            out.write('=');
            out.writeBytes(e.getValue());
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** @return the committed value at a composite key, as text, or null */
    public String value(String type, String... attrs) {
        byte[] b = state.get(key(type, attrs));
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** @return the committed values of every key of {@code type}, in key order */
    public List<String> values(String type) {
        String prefix = key(type);
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : state.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            out.add(new String(e.getValue(), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** @return the recorded events, oldest first */
    public List<Event> events() {
        return List.copyOf(events);
    }

    /** @return the number of stored keys */
    public int size() {
        return state.size();
    }

    static String key(String type, String... attrs) {
        StringBuilder b = new StringBuilder().append('\u0000').append(type).append('\u0000');
        for (String a : attrs) {
            b.append(a).append('\u0000');
        }
        return b.toString();
    }

    private final class Tx implements Ledger {
        private final Caller caller;
        private final String txId;
        private final long time;
        private final LinkedHashMap<String, byte[]> writes = new LinkedHashMap<>();
        private String eventName;
        private byte[] eventPayload;

        Tx(Caller caller, String txId, long time) {
            this.caller = caller;
            this.txId = txId;
            this.time = time;
        }

        @Override
        public byte[] get(String key) {
            return state.get(key);
        }

        @Override
        public void put(String key, byte[] value) {
            writes.put(key, value.clone());
        }

        @Override
        public void delete(String key) {
            writes.put(key, null);
        }

        @Override
        public String compositeKey(String objectType, String... attributes) {
            return key(objectType, attributes);
        }

        @Override
        public List<Entry> range(String objectType, String... partialAttributes) {
            String prefix = key(objectType, partialAttributes);
            List<Entry> out = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : state.tailMap(prefix, true).entrySet()) {
                if (!e.getKey().startsWith(prefix)) {
                    break;
                }
                out.add(new Entry(e.getKey(), e.getValue()));
            }
            return out;
        }

        @Override
        public List<HistoryRecord> history(String key) {
            return List.copyOf(history.getOrDefault(key, List.of()));
        }

        @Override
        public long txTime() {
            return time;
        }

        @Override
        public String txId() {
            return txId;
        }

        @Override
        public Caller caller() {
            return caller;
        }

        @Override
        public void setEvent(String name, byte[] payload) {
            if (eventName != null) {
                throw new IllegalStateException("a transaction may set one event; second: " + name);
            }
            eventName = name;
            eventPayload = payload.clone();
        }
    }
}
