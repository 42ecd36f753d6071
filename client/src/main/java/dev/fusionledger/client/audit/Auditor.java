package dev.fusionledger.client.audit;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.HistoryKind;
import dev.fusionledger.client.LedgerException;
import dev.fusionledger.client.NotFoundException;
import dev.fusionledger.client.TransactionInfo;
import dev.fusionledger.ledger.Bid;
import dev.fusionledger.ledger.Checkpoint;
import dev.fusionledger.ledger.HistoryEntry;
import dev.fusionledger.ledger.Settlement;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.Verifier;
import dev.fusionledger.ledger.Vote;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads a task's or an account's full history from the ledger and re-checks a task's settlement
 * ({@link SettlementCheck}). Needs only read access (queries and the channel's {@code qscc}).
 */
public final class Auditor {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final CsvMapper CSV = new CsvMapper();
    private final FusionLedgerClient client;
    private final Map<String, TransactionInfo> txCache = new HashMap<>();

    public Auditor(FusionLedgerClient client) {
        this.client = client;
    }

    /**
     * Every write to the task's keys (task, its bids, its verifiers, its checkpoints, its revealed
     * votes, its settlement), oldest first, each with the creator MSP of its transaction.
     *
     * @throws NotFoundException for an unknown task
     */
    public List<AuditEntry> taskHistory(String taskId) throws LedgerException {
        Task task = client.getTask(taskId);
        List<AuditEntry> out = new ArrayList<>();
        add(out, "task", HistoryKind.TASK, taskId);
        TreeSet<String> bidders = new TreeSet<>(task.selectedBidders());
        for (Bid b : client.getBids(taskId)) {
            bidders.add(b.bidder());
        }
        for (String b : bidders) {
            add(out, "bid", HistoryKind.BID, HistoryKind.id(taskId, b));
        }
        for (Verifier v : client.getVerifiers(taskId)) {
            add(out, "verifier", HistoryKind.VERIFIER, HistoryKind.id(taskId, v.verifier()));
        }
        for (Checkpoint c : client.getCheckpoints(taskId)) {
            add(out, "checkpoint", HistoryKind.CHECKPOINT, HistoryKind.checkpointId(taskId, c.contributor(), c.epoch()));
        }
        for (Vote v : client.getVotes(taskId)) {
            add(out, "vote", HistoryKind.VOTE, HistoryKind.id(taskId, v.verifier()));
        }
        add(out, "settlement", HistoryKind.SETTLEMENT, taskId);
        sortByTime(out);
        return out;
    }

    /**
     * Orders entries by transaction time at the precision Fabric records it (nanoseconds, from the
     * transaction header), keeping each key's own history order for equal times.
     */
    private void sortByTime(List<AuditEntry> out) {
        out.sort(Comparator.comparingLong(AuditEntry::timestamp).thenComparingLong(e -> {
            TransactionInfo t = txCache.get(e.transactionId());
            return t == null ? 0 : t.timestampNanos();
        }));
    }

    /** Every write to an account's balance and reputation, oldest first. */
    public List<AuditEntry> accountHistory(String accountId) throws LedgerException {
        List<AuditEntry> out = new ArrayList<>();
        add(out, "account", HistoryKind.ACCOUNT, accountId);
        add(out, "reputation", HistoryKind.REPUTATION, accountId);
        sortByTime(out);
        return out;
    }

    /**
     * The audit report of a task: history, recorded and re-computed settlement, escrow balance,
     * mismatches. Before settlement only the history and the vote commitments are checked.
     *
     * @throws NotFoundException for an unknown task
     */
    public TaskAudit auditTask(String taskId) throws LedgerException {
        Task task = client.getTask(taskId);
        List<AuditEntry> history = taskHistory(taskId);
        Settlement settlement;
        try {
            settlement = client.getSettlement(taskId);
        } catch (NotFoundException e) {
            settlement = null;
        }
        long escrowBefore = 0;
        for (AuditEntry e : history) {
            if (e.kind().equals("task") && e.stateAfter() != null
                    && !"SETTLED".equals(e.stateAfter().path("state").asText())) {
                escrowBefore = e.stateAfter().path("escrow").asLong();
            }
        }
        AuditInput in = new AuditInput(task, escrowBefore, client.getBids(taskId), client.getVerifiers(taskId),
                client.getCheckpoints(taskId), client.getVotes(taskId), settlement);
        SettlementCheck.Result r = SettlementCheck.recheck(in);
        return new TaskAudit(taskId, task.state().name(), r.mismatches().isEmpty(), r.escrowIn(), r.escrowOut(),
                r.mismatches(), settlement, r.expected(), history);
    }

    private void add(List<AuditEntry> out, String kind, HistoryKind hk, String id) throws LedgerException {
        for (HistoryEntry h : client.getHistory(hk, id)) {
            out.add(new AuditEntry(h.txId(), h.timestamp(), creator(h.txId()), kind, id, h.deleted(), h.value()));
        }
    }

    private String creator(String txId) {
        TransactionInfo info = txCache.computeIfAbsent(txId, t -> {
            try {
                return client.transactionInfo(t);
            } catch (LedgerException e) {
                return null;
            }
        });
        return info == null ? null : info.creatorMspId();
    }

    // ---- export -----------------------------------------------------------------------------

    /** Pretty-printed JSON of a report, history or any result. */
    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** A history row of the CSV export; {@code stateAfter} as compact JSON. */
    @JsonPropertyOrder({"transactionId", "timestamp", "creatorMspId", "kind", "key", "deleted", "stateAfter"})
    public record HistoryRow(String transactionId, long timestamp, String creatorMspId, String kind, String key,
                             boolean deleted, String stateAfter) {
    }

    /** CSV (RFC 4180, header line) of history entries. */
    public static String historyCsv(List<AuditEntry> history) {
        List<HistoryRow> rows = new ArrayList<>();
        for (AuditEntry e : history) {
            JsonNode v = e.stateAfter();
            rows.add(new HistoryRow(e.transactionId(), e.timestamp(), e.creatorMspId(), e.kind(), e.key(),
                    e.deleted(), v == null ? "" : v.toString()));
        }
        return csv(rows, HistoryRow.class);
    }

    /** CSV (RFC 4180, header line) of mismatches. */
    public static String mismatchesCsv(List<Mismatch> mismatches) {
        return csv(mismatches, Mismatch.class);
    }

    private static String csv(List<?> rows, Class<?> type) {
        CsvSchema schema = CSV.schemaFor(type).withHeader();
        try {
            return CSV.writer(schema).writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write CSV", e);
        }
    }
}
