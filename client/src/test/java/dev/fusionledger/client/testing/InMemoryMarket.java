package dev.fusionledger.client.testing;

import dev.fusionledger.chaincode.market.Json;
import dev.fusionledger.chaincode.market.Ledger;
import dev.fusionledger.chaincode.market.Market;
import dev.fusionledger.chaincode.market.MarketException;
import dev.fusionledger.client.LedgerException;
import dev.fusionledger.client.LedgerTransport;
import dev.fusionledger.client.Phase;
import dev.fusionledger.client.Submitted;
import dev.fusionledger.client.TransactionInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.hyperledger.fabric.client.ChaincodeEvent;
import org.hyperledger.fabric.client.Checkpoint;
import org.hyperledger.fabric.client.CloseableIterator;

/**
 * The market's real rules (the chaincode's plain-Java {@link Market}) on an in-memory ledger with
 * Fabric's commit semantics (a rejected transaction writes nothing), one block per transaction, and
 * a settable clock. {@link #as(String, String, boolean)} gives a {@link LedgerTransport} signing as
 * one identity, so unit tests drive the SDK and CLI without a network.
 */
public final class InMemoryMarket {
    private final TreeMap<String, byte[]> state = new TreeMap<>();
    private final Map<String, List<Ledger.HistoryRecord>> history = new HashMap<>();
    private final List<Event> events = new ArrayList<>();
    private final Map<String, TransactionInfo> transactions = new HashMap<>();
    private long now = 1_700_000_000L;
    private long block = 5;
    private long txCounter;

    /** A committed event. */
    public record Event(long block, String txId, String name, byte[] payload) implements ChaincodeEvent {
        @Override
        public long getBlockNumber() {
            return block;
        }

        @Override
        public String getTransactionId() {
            return txId;
        }

        @Override
        public String getChaincodeName() {
            return "fusionledger";
        }

        @Override
        public String getEventName() {
            return name;
        }

        @Override
        public byte[] getPayload() {
            return payload;
        }
    }

    /** Current ledger time, epoch seconds. */
    public long now() {
        return now;
    }

    /** Moves the clock forward by {@code seconds}. */
    public void advance(long seconds) {
        now += seconds;
    }

    /** Committed events, oldest first. */
    public List<Event> events() {
        return List.copyOf(events);
    }

    /** Account id of a test identity, shaped like a Fabric one. */
    public static String accountId(String mspId, String user) {
        String org = mspId.replace("MSP", "").toLowerCase(java.util.Locale.ROOT);
        return mspId + "::x509::CN=" + user + "@" + org + ".example.com,OU=client::CN=ca." + org + ".example.com";
    }

    /** A transport signing as {@code user} of {@code mspId}. */
    public LedgerTransport as(String mspId, String user, boolean admin) {
        Ledger.Caller caller = new Ledger.Caller(accountId(mspId, user), mspId, admin);
        return new Transport(caller);
    }

    private synchronized <T> T run(Ledger.Caller caller, String txId, boolean commit, Function<Market, T> body) {
        Tx tx = new Tx(caller, txId, now);
        T result = body.apply(new Market(tx));
        if (commit) {
            block++;
            for (Map.Entry<String, byte[]> w : tx.writes.entrySet()) {
                boolean deleted = w.getValue() == null;
                if (deleted) {
                    state.remove(w.getKey());
                } else {
                    state.put(w.getKey(), w.getValue());
                }
                history.computeIfAbsent(w.getKey(), k -> new ArrayList<>())
                        .add(new Ledger.HistoryRecord(txId, now, deleted, w.getValue()));
            }
            if (tx.eventName != null) {
                events.add(new Event(block, txId, tx.eventName, tx.eventPayload));
            }
            transactions.put(txId, new TransactionInfo(txId, caller.mspId(), "CN=" + caller.accountId(), now,
                    now * 1_000_000_000L + block, "VALID"));
        }
        return result;
    }

    private static Object dispatch(Market m, String name, String[] a) {
        return switch (name) {
            case "Initialize" -> m.initialize(a[0]);
            case "Mint" -> m.mint(a[0]);
            case "Transfer" -> m.transfer(a[0], a[1]);
            case "BalanceOf" -> m.balanceOf(a[0]);
            case "ClientAccountId" -> m.clientAccountId();
            case "GetTotals" -> m.totals();
            case "AnnounceTask" -> m.announceTask(a[0]);
            case "CancelTask" -> m.cancelTask(a[0]);
            case "SubmitBid" -> m.submitBid(a[0], a[1], a[2]);
            case "WithdrawBid" -> m.withdrawBid(a[0]);
            case "RegisterVerifier" -> m.registerVerifier(a[0]);
            case "ResolveBidding" -> m.resolveBidding(a[0]);
            case "SubmitCheckpoint" -> m.submitCheckpoint(a[0], a[1], a[2], a[3]);
            case "EndEpoch" -> m.endEpoch(a[0], a[1]);
            case "CommitVote" -> m.commitVote(a[0], a[1]);
            case "RevealVote" -> m.revealVote(a[0], a[1], a[2]);
            case "Settle" -> m.settle(a[0]);
            case "GetTask" -> m.getTask(a[0]);
            case "ListTasks" -> m.listTasks(a[0]);
            case "GetBids" -> m.getBids(a[0]);
            case "GetVerifiers" -> m.getVerifiers(a[0]);
            case "GetCheckpoints" -> m.getCheckpoints(a[0]);
            case "GetVotes" -> m.getVotes(a[0]);
            case "GetSettlement" -> m.getSettlement(a[0]);
            case "GetReputation" -> m.getReputation(a[0]);
            case "GetHistory" -> m.getHistory(a[0], a[1]);
            default -> throw new IllegalArgumentException("no transaction " + name);
        };
    }

    private static byte[] encode(Object result) {
        return result instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : Json.bytes(result);
    }

    private final class Transport implements LedgerTransport {
        private final Ledger.Caller caller;

        Transport(Ledger.Caller caller) {
            this.caller = caller;
        }

        @Override
        public String mspId() {
            return caller.mspId();
        }

        private String nextTxId() {
            synchronized (InMemoryMarket.this) {
                return String.format("%064x", ++txCounter * 0x9e3779b97f4a7c15L & Long.MAX_VALUE)
                        .substring(0, 48) + String.format("%016x", txCounter);
            }
        }

        private LedgerException rejected(MarketException e, String txId, Phase phase) {
            // same path as the Gateway: the code is recovered from the message
            LedgerException mapped = dev.fusionledger.client.MarketRuleException.parse(e.getMessage(), txId, phase, e);
            return mapped != null ? mapped : new LedgerException(e.getMessage(), txId, phase, e);
        }

        @Override
        public byte[] evaluate(String name, String... args) throws LedgerException {
            String txId = nextTxId();
            try {
                return encode(run(caller, txId, false, m -> dispatch(m, name, args)));
            } catch (MarketException e) {
                throw rejected(e, txId, Phase.EVALUATE);
            }
        }

        @Override
        public Submitted<byte[]> submit(String name, String... args) throws LedgerException {
            String txId = nextTxId();
            try {
                byte[] out = encode(run(caller, txId, true, m -> dispatch(m, name, args)));
                return new Submitted<>(txId, block, out, 1);
            } catch (MarketException e) {
                throw rejected(e, txId, Phase.ENDORSE);
            }
        }

        @Override
        public CloseableIterator<ChaincodeEvent> chaincodeEvents(long startBlock, Checkpoint checkpoint) {
            List<ChaincodeEvent> out = new ArrayList<>();
            long fromBlock = checkpoint != null && checkpoint.getBlockNumber().isPresent()
                    ? checkpoint.getBlockNumber().getAsLong() : Math.max(startBlock, 0);
            String afterTx = checkpoint == null ? null : checkpoint.getTransactionId().orElse(null);
            boolean skipping = afterTx != null;
            for (Event e : events()) {
                if (e.block() < fromBlock) {
                    continue;
                }
                if (skipping && e.block() == fromBlock) {
                    if (e.txId().equals(afterTx)) {
                        skipping = false;
                    }
                    continue;
                }
                out.add(e);
            }
            Iterator<ChaincodeEvent> it = out.iterator();
            return new CloseableIterator<>() {
                @Override
                public void close() {
                }

                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public ChaincodeEvent next() {
                    return it.next();
                }
            };
        }

        @Override
        public TransactionInfo transactionInfo(String transactionId) throws LedgerException {
            synchronized (InMemoryMarket.this) {
                TransactionInfo t = transactions.get(transactionId);
                if (t == null) {
                    throw new LedgerException("transaction " + transactionId + ": not found", transactionId,
                            Phase.EVALUATE, null);
                }
                return t;
            }
        }

        @Override
        public void close() {
        }
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
            StringBuilder b = new StringBuilder().append('\u0000').append(objectType).append('\u0000');
            for (String a : attributes) {
                b.append(a).append('\u0000');
            }
            return b.toString();
        }

        @Override
        public List<Entry> range(String objectType, String... partialAttributes) {
            String prefix = compositeKey(objectType, partialAttributes);
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
            eventName = name;
            eventPayload = payload.clone();
        }
    }
}
