package dev.fusionledger.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusionledger.client.store.Hashes;
import dev.fusionledger.ledger.Account;
import dev.fusionledger.ledger.Bid;
import dev.fusionledger.ledger.Checkpoint;
import dev.fusionledger.ledger.KeyDelivery;
import dev.fusionledger.ledger.KeyDispute;
import dev.fusionledger.ledger.KeyEscrow;
import dev.fusionledger.ledger.Checks;
import dev.fusionledger.ledger.HistoryEntry;
import dev.fusionledger.ledger.Limits;
import dev.fusionledger.ledger.Range;
import dev.fusionledger.ledger.LedgerConfig;
import dev.fusionledger.ledger.Reputation;
import dev.fusionledger.ledger.Settlement;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskSpec;
import dev.fusionledger.ledger.TaskState;
import dev.fusionledger.ledger.Totals;
import dev.fusionledger.ledger.TransferResult;
import dev.fusionledger.ledger.Verifier;
import dev.fusionledger.ledger.Vote;
import dev.fusionledger.ledger.VoteCommitment;
import dev.fusionledger.ledger.VoteEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.hyperledger.fabric.client.FileCheckpointer;

/** The typed SDK over a {@link LedgerTransport}. */
final class FusionLedgerClientImpl implements FusionLedgerClient {
    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final LedgerTransport transport;
    /** The caller's account id, read once. */
    private volatile String accountId;

    FusionLedgerClientImpl(LedgerTransport transport) {
        this.transport = transport;
    }

    @Override
    public String mspId() {
        return transport.mspId();
    }

    // ---- argument checks ------------------------------------------------------------------

    /** @throws IllegalArgumentException {@code "<field>: must be in min..max, got v"} outside {@code range} */
    static long checkRange(String field, long v, Range range) {
        if (!range.contains(v)) {
            throw new IllegalArgumentException(field + ": must be in " + range + ", got " + v);
        }
        return v;
    }

    /**
     * A task id (field {@code taskId}): 1..{@value Limits#MAX_TASK_ID} characters, as the chaincode's
     * {@code Checks.taskId}; any other id: 1..{@value Limits#MAX_ACCOUNT_ID} characters.
     */
    static String checkId(String field, String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(field + ": required, got an empty value");
        }
        int max = field.equals("taskId") ? Limits.MAX_TASK_ID : Limits.MAX_ACCOUNT_ID;
        if (id.length() > max) {
            throw new IllegalArgumentException(field + ": must be 1.." + max + " characters, got " + id.length());
        }
        return id;
    }

    // ---- result decoding ------------------------------------------------------------------

    private static <T> T decode(String tx, byte[] bytes, Class<T> type) {
        try {
            return JSON.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(tx + ": result is not a " + type.getSimpleName() + ": "
                    + new String(bytes, StandardCharsets.UTF_8), e);
        }
    }

    private static <T> T decode(String tx, byte[] bytes, TypeReference<T> type) {
        try {
            return JSON.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(tx + ": unexpected result: " + new String(bytes, StandardCharsets.UTF_8), e);
        }
    }

    private <T> Submitted<T> submit(Class<T> type, String name, String... args) throws LedgerException {
        Submitted<byte[]> s = transport.submit(name, args);
        return new Submitted<>(s.transactionId(), s.blockNumber(), decode(name, s.value(), type), s.attempts());
    }

    private <T> T query(Class<T> type, String name, String... args) throws LedgerException {
        return decode(name, transport.evaluate(name, args), type);
    }

    private <T> T query(TypeReference<T> type, String name, String... args) throws LedgerException {
        return decode(name, transport.evaluate(name, args), type);
    }

    // ---- credits --------------------------------------------------------------------------

    @Override
    public Submitted<LedgerConfig> initialize(String treasurerMspId) throws LedgerException {
        return submit(LedgerConfig.class, "Initialize", checkId("treasurerMspId", treasurerMspId));
    }

    @Override
    public Submitted<Account> mint(long amount) throws LedgerException {
        return submit(Account.class, "Mint", Long.toString(checkRange("amount", amount, Limits.AMOUNT)));
    }

    @Override
    public Submitted<TransferResult> transfer(String toAccountId, long amount) throws LedgerException {
        return submit(TransferResult.class, "Transfer", checkId("toAccountId", toAccountId),
                Long.toString(checkRange("amount", amount, Limits.AMOUNT)));
    }

    @Override
    public Account balanceOf(String accountId) throws LedgerException {
        return query(Account.class, "BalanceOf", checkId("accountId", accountId));
    }

    @Override
    public String clientAccountId() throws LedgerException {
        String id = accountId;
        if (id == null) {
            id = new String(transport.evaluate("ClientAccountId"), StandardCharsets.UTF_8);
            accountId = id; // the identity of a client never changes
        }
        return id;
    }

    @Override
    public Totals totals() throws LedgerException {
        return query(Totals.class, "GetTotals");
    }

    // ---- tasks ----------------------------------------------------------------------------

    @Override
    public Submitted<Task> announceTask(TaskSpec spec) throws LedgerException {
        if (spec == null) {
            throw new IllegalArgumentException("spec: required");
        }
        spec.validate();
        try {
            return submit(Task.class, "AnnounceTask", JSON.writeValueAsString(spec));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("spec: cannot be written as JSON", e);
        }
    }

    @Override
    public Submitted<Task> cancelTask(String taskId) throws LedgerException {
        return submit(Task.class, "CancelTask", checkId("taskId", taskId));
    }

    @Override
    public Submitted<Bid> submitBid(String taskId, long dataPoints, long pricePerPoint) throws LedgerException {
        return submit(Bid.class, "SubmitBid", checkId("taskId", taskId),
                Long.toString(checkRange("dataPoints", dataPoints, Limits.DATA_POINTS)),
                Long.toString(checkRange("pricePerPoint", pricePerPoint, Limits.AMOUNT)));
    }

    @Override
    public Submitted<Bid> withdrawBid(String taskId) throws LedgerException {
        return submit(Bid.class, "WithdrawBid", checkId("taskId", taskId));
    }

    @Override
    public Submitted<Verifier> registerVerifier(String taskId) throws LedgerException {
        return submit(Verifier.class, "RegisterVerifier", checkId("taskId", taskId));
    }

    @Override
    public Submitted<Task> resolveBidding(String taskId) throws LedgerException {
        return submit(Task.class, "ResolveBidding", checkId("taskId", taskId));
    }

    @Override
    public Submitted<Checkpoint> submitCheckpoint(String taskId, int epoch, String modelHash, JsonNode metrics)
            throws LedgerException {
        checkRange("epoch", epoch, Limits.EPOCHS);
        Hashes.requireSha256Hex("modelHash", modelHash);
        if (metrics == null || !metrics.isObject()) {
            throw new IllegalArgumentException("metrics: must be a JSON object");
        }
        String m = metrics.toString();
        if (m.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_METRICS_BYTES) {
            throw new IllegalArgumentException("metrics: must be at most " + Limits.MAX_METRICS_BYTES + " bytes of JSON, got "
                    + m.getBytes(StandardCharsets.UTF_8).length);
        }
        return submit(Checkpoint.class, "SubmitCheckpoint", checkId("taskId", taskId), Integer.toString(epoch),
                modelHash, m);
    }

    @Override
    public Submitted<Checkpoint> submitSealedCheckpoint(String taskId, int epoch, String modelHash, String keyCommitment,
                                                        String artifactCid, JsonNode metrics) throws LedgerException {
        checkRange("epoch", epoch, Limits.EPOCHS);
        Hashes.requireSha256Hex("modelHash", modelHash);
        Hashes.requireSha256Hex("keyCommitment", keyCommitment);
        String cid = artifactCid == null ? "" : artifactCid;
        try {
            Checks.cidOrEmpty(cid);
        } catch (dev.fusionledger.ledger.MarketException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (metrics == null || !metrics.isObject()) {
            throw new IllegalArgumentException("metrics: must be a JSON object");
        }
        String m = metrics.toString();
        if (m.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_METRICS_BYTES) {
            throw new IllegalArgumentException("metrics: must be at most " + Limits.MAX_METRICS_BYTES + " bytes of JSON, got "
                    + m.getBytes(StandardCharsets.UTF_8).length);
        }
        return submit(Checkpoint.class, "SubmitSealedCheckpoint", checkId("taskId", taskId), Integer.toString(epoch),
                modelHash, keyCommitment, cid, m);
    }

    @Override
    public Submitted<KeyDelivery> deliverKey(String taskId, String recipient, String wrappedKey) throws LedgerException {
        try {
            Checks.accountId("recipient", recipient);
            Checks.wrappedKey(wrappedKey);
        } catch (dev.fusionledger.ledger.MarketException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return submit(KeyDelivery.class, "DeliverKey", checkId("taskId", taskId), recipient, wrappedKey);
    }

    @Override
    public Submitted<KeyEscrow> reclaimKeyEscrow(String taskId, String contributor) throws LedgerException {
        try {
            Checks.accountId("contributor", contributor);
        } catch (dev.fusionledger.ledger.MarketException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return submit(KeyEscrow.class, "ReclaimKeyEscrow", checkId("taskId", taskId), contributor);
    }

    @Override
    public Submitted<KeyDispute> disputeKey(String taskId, String contributor, String reason) throws LedgerException {
        try {
            Checks.accountId("contributor", contributor);
            Checks.reason(reason);
        } catch (dev.fusionledger.ledger.MarketException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return submit(KeyDispute.class, "DisputeKey", checkId("taskId", taskId), contributor, reason);
    }

    @Override
    public List<KeyDelivery> getKeyDeliveries(String taskId) throws LedgerException {
        return query(new TypeReference<List<KeyDelivery>>() { }, "GetKeyDeliveries", checkId("taskId", taskId));
    }

    @Override
    public List<KeyEscrow> getKeyEscrows(String taskId) throws LedgerException {
        return query(new TypeReference<List<KeyEscrow>>() { }, "GetKeyEscrows", checkId("taskId", taskId));
    }

    @Override
    public List<KeyDispute> getKeyDisputes(String taskId) throws LedgerException {
        return query(new TypeReference<List<KeyDispute>>() { }, "GetKeyDisputes", checkId("taskId", taskId));
    }

    @Override
    public Submitted<Task> endEpoch(String taskId, boolean continueTraining) throws LedgerException {
        return submit(Task.class, "EndEpoch", checkId("taskId", taskId), Boolean.toString(continueTraining));
    }

    @Override
    public Submitted<Verifier> commitVote(String taskId, String commitment) throws LedgerException {
        return submit(Verifier.class, "CommitVote", checkId("taskId", taskId),
                Hashes.requireSha256Hex("commitment", commitment));
    }

    @Override
    public Submitted<Vote> revealVote(String taskId, List<VoteEntry> votes, String salt) throws LedgerException {
        Checks.salt(salt);
        return submit(Vote.class, "RevealVote", checkId("taskId", taskId), VoteCommitment.canonicalVotes(votes), salt);
    }

    @Override
    public Submitted<Settlement> settle(String taskId) throws LedgerException {
        return submit(Settlement.class, "Settle", checkId("taskId", taskId));
    }

    // ---- queries --------------------------------------------------------------------------

    @Override
    public Task getTask(String taskId) throws LedgerException {
        return query(Task.class, "GetTask", checkId("taskId", taskId));
    }

    @Override
    public List<Task> listTasks(TaskState state) throws LedgerException {
        return query(new TypeReference<List<Task>>() { }, "ListTasks", state == null ? "" : state.name());
    }

    @Override
    public List<Bid> getBids(String taskId) throws LedgerException {
        return query(new TypeReference<List<Bid>>() { }, "GetBids", checkId("taskId", taskId));
    }

    @Override
    public List<Verifier> getVerifiers(String taskId) throws LedgerException {
        return query(new TypeReference<List<Verifier>>() { }, "GetVerifiers", checkId("taskId", taskId));
    }

    @Override
    public List<Checkpoint> getCheckpoints(String taskId) throws LedgerException {
        return query(new TypeReference<List<Checkpoint>>() { }, "GetCheckpoints", checkId("taskId", taskId));
    }

    @Override
    public List<Vote> getVotes(String taskId) throws LedgerException {
        return query(new TypeReference<List<Vote>>() { }, "GetVotes", checkId("taskId", taskId));
    }

    @Override
    public Settlement getSettlement(String taskId) throws LedgerException {
        return query(Settlement.class, "GetSettlement", checkId("taskId", taskId));
    }

    @Override
    public Reputation getReputation(String accountId) throws LedgerException {
        return query(Reputation.class, "GetReputation", checkId("accountId", accountId));
    }

    @Override
    public List<HistoryEntry> getHistory(HistoryKind kind, String id) throws LedgerException {
        if (kind == null) {
            throw new IllegalArgumentException("kind: required, one of task, bid, verifier, checkpoint, vote, account, settlement, reputation");
        }
        return query(new TypeReference<List<HistoryEntry>>() { }, "GetHistory", kind.wireName(), checkId("id", id));
    }

    @Override
    public TransactionInfo transactionInfo(String transactionId) throws LedgerException {
        return transport.transactionInfo(checkId("transactionId", transactionId));
    }

    // ---- events ---------------------------------------------------------------------------

    @Override
    public MarketEventStream events(long startBlock, Path checkpointFile) throws LedgerException {
        FileCheckpointer checkpointer = null;
        if (checkpointFile != null) {
            try {
                checkpointer = new FileCheckpointer(checkpointFile);
            } catch (IOException e) {
                throw new UncheckedIOException("checkpoint: cannot open " + checkpointFile, e);
            }
        }
        try {
            return new MarketEventStream(transport.chaincodeEvents(startBlock, checkpointer), checkpointer, checkpointer);
        } catch (LedgerException | RuntimeException e) {
            if (checkpointer != null) {
                try {
                    checkpointer.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    @Override
    public void close() {
        transport.close();
    }
}
