package dev.fusionledger.chaincode.market;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/** Small result objects of credit transactions and queries. */
public final class Results {
    private Results() {
    }

    /** Result of {@code Transfer}; credits. */
    @JsonPropertyOrder({"from", "to", "amount", "fromBalance"})
    public static final class Transfer {
        public String from;
        public String to;
        public long amount;
        public long fromBalance;
    }

    /** The chaincode configuration (key {@code config[]}); {@code minted} is the ledger-wide total. */
    @JsonPropertyOrder({"treasurerMspId", "minted"})
    public static final class Config {
        public String treasurerMspId;
        public long minted;
    }

    /** Credit totals computed by range scans: invariant balances + escrow + stakes = minted. */
    @JsonPropertyOrder({"minted", "balances", "escrow", "stakes"})
    public static final class Totals {
        public long minted;
        public long balances;
        public long escrow;
        public long stakes;
    }

    /** One modification of a key, for auditors; timestamp in epoch seconds. */
    @JsonPropertyOrder({"txId", "timestamp", "deleted", "value"})
    public static final class HistoryEntry {
        public String txId;
        public long timestamp;
        public boolean deleted;
        public JsonNode value;
    }
}
