package dev.fusionledger.chaincode.market;

import java.util.List;

/**
 * The small ledger port the market rules run on, free of Fabric types. One instance serves one
 * transaction. Implemented over the Fabric stub by the chaincode adapter and in memory by tests.
 * Like Fabric, {@link #get} returns the state committed before this transaction (writes of the
 * running transaction are not visible to it); the market keeps its own read-your-writes cache.
 */
public interface Ledger {

    /** @return the committed value of {@code key}, or {@code null} when absent */
    byte[] get(String key);

    /** Writes {@code value} at {@code key} (applied only if the transaction succeeds). */
    void put(String key, byte[] value);

    /** Deletes {@code key} (applied only if the transaction succeeds). */
    void delete(String key);

    /**
     * @return the composite key of {@code objectType} and {@code attributes}, encoded as Fabric
     *     does: {@code U+0000 type U+0000 attr1 U+0000 ... attrN U+0000}
     */
    String compositeKey(String objectType, String... attributes);

    /** @return committed entries whose composite key starts with the given partial key, in key order */
    List<Entry> range(String objectType, String... partialAttributes);

    /** @return the history of {@code key}, oldest first */
    List<HistoryRecord> history(String key);

    /** @return the transaction timestamp in epoch seconds */
    long txTime();

    /** @return the transaction id */
    String txId();

    /** @return the identity that signed the transaction */
    Caller caller();

    /** Sets the one chaincode event of this transaction. */
    void setEvent(String name, byte[] payload);

    /** A key and its committed value. */
    record Entry(String key, byte[] value) {
    }

    /**
     * One modification of a key.
     *
     * @param txId      transaction that wrote it
     * @param timestamp transaction time, epoch seconds
     * @param deleted   whether the key was deleted
     * @param value     value written ({@code null} or empty when deleted)
     */
    record HistoryRecord(String txId, long timestamp, boolean deleted, byte[] value) {
    }

    /**
     * The caller.
     *
     * @param accountId {@code <mspId>::<ClientIdentity.getId()>}
     * @param mspId     the caller's MSP id
     * @param admin     whether the certificate has the admin role (NodeOU {@code OU=admin})
     */
    record Caller(String accountId, String mspId, boolean admin) {
    }
}
