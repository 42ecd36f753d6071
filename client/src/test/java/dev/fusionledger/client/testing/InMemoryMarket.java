package dev.fusionledger.client.testing;

import dev.fusionledger.chaincode.market.InMemoryLedger;
import dev.fusionledger.ledger.LedgerJson;
import dev.fusionledger.chaincode.market.Ledger;
import dev.fusionledger.chaincode.market.Market;
import dev.fusionledger.ledger.MarketException;
import dev.fusionledger.client.LedgerException;
import dev.fusionledger.client.LedgerTransport;
import dev.fusionledger.client.Phase;
import dev.fusionledger.client.Submitted;
import dev.fusionledger.client.TransactionInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import org.hyperledger.fabric.client.ChaincodeEvent;
import org.hyperledger.fabric.client.Checkpoint;
import org.hyperledger.fabric.client.CloseableIterator;

/**
 * The market's real rules (the chaincode's plain-Java {@link Market}) on the chaincode's
 * {@link InMemoryLedger} (Fabric's commit semantics: a rejected transaction writes nothing; one
 * block per transaction; key history), with a settable clock. {@link #as(String, String, boolean)}
 * gives a {@link LedgerTransport} signing as one identity, so unit tests drive the SDK and CLI
 * without a network.
 */
public final class InMemoryMarket {
    private final InMemoryLedger ledger = new InMemoryLedger(5);
    private long now = 1_700_000_000L;
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

    /** Every key and value of the world state, in key order, as one byte string ("state unchanged" checks). */
    public synchronized byte[] snapshot() {
        return ledger.snapshot();
    }

    /** Committed events, oldest first. */
    public synchronized List<Event> events() {
        return ledger.events().stream().map(e -> new Event(e.block(), e.txId(), e.name(),
                e.payload().getBytes(StandardCharsets.UTF_8))).toList();
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
        return commit ? ledger.run(caller, txId, now, body) : ledger.evaluate(caller, txId, now, body);
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
            case "SubmitSealedCheckpoint" -> m.submitSealedCheckpoint(a[0], a[1], a[2], a[3], a[4], a[5]);
            case "DeliverKey" -> m.deliverKey(a[0], a[1], a[2]);
            case "ReclaimKeyEscrow" -> m.reclaimKeyEscrow(a[0], a[1]);
            case "DisputeKey" -> m.disputeKey(a[0], a[1], a[2]);
            case "GetKeyDeliveries" -> m.getKeyDeliveries(a[0]);
            case "GetKeyEscrows" -> m.getKeyEscrows(a[0]);
            case "GetKeyDisputes" -> m.getKeyDisputes(a[0]);
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
        return result instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : LedgerJson.bytes(result);
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
                synchronized (InMemoryMarket.this) {
                    byte[] out = encode(run(caller, txId, true, m -> dispatch(m, name, args)));
                    return new Submitted<>(txId, ledger.block(), out, 1);
                }
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
                InMemoryLedger.Committed t = ledger.transaction(transactionId);
                if (t == null) {
                    throw new LedgerException("transaction " + transactionId + ": not found", transactionId,
                            Phase.EVALUATE, null);
                }
                return new TransactionInfo(transactionId, t.caller().mspId(), "CN=" + t.caller().accountId(), t.time(),
                        t.time() * 1_000_000_000L + t.block(), "VALID");
            }
        }

        @Override
        public void close() {
        }
    }
}
