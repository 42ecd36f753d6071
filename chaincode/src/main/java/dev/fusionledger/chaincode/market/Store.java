package dev.fusionledger.chaincode.market;

import dev.fusionledger.ledger.LedgerJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed state access for one transaction with read-your-writes: Fabric's {@code getState} does
 * not see the transaction's own writes, so values written here are cached and served back.
 * Range scans see committed state only; the market scans before it writes. Values are the
 * ledger-api records in their deterministic JSON.
 */
final class Store {
    private static final byte[] DELETED = new byte[0];
    private final Ledger ledger;
    private final Map<String, byte[]> written = new HashMap<>();

    Store(Ledger ledger) {
        this.ledger = ledger;
    }

    <T> T get(String key, Class<T> type) {
        byte[] b = written.containsKey(key) ? written.get(key) : ledger.get(key);
        if (b == null || b.length == 0) {
            return null;
        }
        return LedgerJson.read(b, type);
    }

    void put(String key, Object value) {
        byte[] b = LedgerJson.bytes(value);
        written.put(key, b);
        ledger.put(key, b);
    }

    void delete(String key) {
        written.put(key, DELETED);
        ledger.delete(key);
    }

    <T> List<T> range(Class<T> type, String objectType, String... partial) {
        List<T> out = new ArrayList<>();
        for (Ledger.Entry e : ledger.range(objectType, partial)) {
            if (e.value() != null && e.value().length > 0) {
                out.add(LedgerJson.read(e.value(), type));
            }
        }
        return out;
    }
}
