package dev.fusionledger.chaincode.market;

import dev.fusionledger.ledger.Bid;
import dev.fusionledger.ledger.Checkpoint;
import dev.fusionledger.ledger.Checks;
import dev.fusionledger.ledger.HistoryEntry;
import dev.fusionledger.ledger.KeyDelivery;
import dev.fusionledger.ledger.KeyDispute;
import dev.fusionledger.ledger.KeyEscrow;
import dev.fusionledger.ledger.Limits;
import dev.fusionledger.ledger.LedgerJson;
import dev.fusionledger.ledger.MarketException;
import dev.fusionledger.ledger.Reputation;
import dev.fusionledger.ledger.Settlement;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskState;
import dev.fusionledger.ledger.Verifier;
import dev.fusionledger.ledger.Vote;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The queries (docs/ledger-api.md, "Queries"): sorted results, nothing written. */
final class Queries {
    private final Tx tx;

    Queries(Tx tx) {
        this.tx = tx;
    }

    List<Task> listTasks(String state) {
        TaskState want = null;
        if (state != null && !state.isEmpty()) {
            try {
                want = TaskState.valueOf(state);
            } catch (IllegalArgumentException e) {
                throw MarketException.invalid("state", "must be empty or one of BIDDING, TRAINING, VERIFYING, SETTLED, CANCELLED");
            }
        }
        List<Task> out = new ArrayList<>();
        for (Task t : tx.store.range(Task.class, Keys.TASK)) {
            if (want == null || t.state() == want) {
                out.add(t);
            }
        }
        out.sort(Comparator.comparing(Task::taskId));
        return out;
    }

    List<Bid> getBids(String taskId) {
        return ofTask(Bid.class, Keys.BID, taskId, Comparator.comparing(Bid::bidder));
    }

    List<Verifier> getVerifiers(String taskId) {
        return ofTask(Verifier.class, Keys.VERIFIER, taskId, Comparator.comparing(Verifier::verifier));
    }

    List<KeyDelivery> getKeyDeliveries(String taskId) {
        return ofTask(KeyDelivery.class, Keys.KEY_DELIVERY, taskId,
                Comparator.comparing(KeyDelivery::contributor).thenComparing(KeyDelivery::recipient));
    }

    List<KeyEscrow> getKeyEscrows(String taskId) {
        return ofTask(KeyEscrow.class, Keys.KEY_ESCROW, taskId, Comparator.comparing(KeyEscrow::contributor));
    }

    List<KeyDispute> getKeyDisputes(String taskId) {
        return ofTask(KeyDispute.class, Keys.KEY_DISPUTE, taskId, Comparator.comparing(KeyDispute::contributor));
    }

    List<Checkpoint> getCheckpoints(String taskId) {
        return ofTask(Checkpoint.class, Keys.CHECKPOINT, taskId,
                Comparator.comparing(Checkpoint::contributor).thenComparingInt(Checkpoint::epoch));
    }

    List<Vote> getVotes(String taskId) {
        return ofTask(Vote.class, Keys.VOTE, taskId, Comparator.comparing(Vote::verifier));
    }

    /**
     * The records of one kind under an existing task, sorted.
     *
     * @throws MarketException NOT_FOUND or INVALID_ARGUMENT on the task id
     */
    private <T> List<T> ofTask(Class<T> type, String prefix, String taskId, Comparator<T> order) {
        List<T> out = tx.store.range(type, prefix, tx.task(taskId).taskId());
        out.sort(order);
        return out;
    }

    Settlement getSettlement(String taskId) {
        Task t = tx.task(taskId);
        Settlement s = tx.store.get(tx.keys.settlement(t.taskId()), Settlement.class);
        if (s == null) {
            throw MarketException.notFound("settlement", "task " + t.taskId() + " is not settled");
        }
        return s;
    }

    Reputation getReputation(String accountId) {
        return tx.reputation(Checks.accountId("accountId", accountId));
    }

    List<HistoryEntry> getHistory(String kind, String id) {
        List<HistoryEntry> out = new ArrayList<>();
        for (Ledger.HistoryRecord h : tx.ledger.history(historyKey(kind, id))) {
            out.add(new HistoryEntry(h.txId(), h.timestamp(), h.deleted(),
                    h.deleted() || h.value() == null || h.value().length == 0 ? null
                            : LedgerJson.parse("value", new String(h.value(), StandardCharsets.UTF_8), Integer.MAX_VALUE)));
        }
        return out;
    }

    private String historyKey(String kind, String id) {
        Keys keys = tx.keys;
        switch (kind == null ? "" : kind) {
            case "task":
                return keys.task(Checks.taskId(id));
            case "settlement":
                return keys.settlement(Checks.taskId(id));
            case "account":
                return keys.account(Checks.accountId("id", id));
            case "reputation":
                return keys.reputation(Checks.accountId("id", id));
            case "bid", "verifier", "vote": {
                int bar = id == null ? -1 : id.indexOf('|');
                if (bar < 0) {
                    throw MarketException.invalid("id", "must be 'taskId|accountId' for kind " + kind);
                }
                String task = Checks.taskId(id.substring(0, bar));
                String acct = Checks.accountId("id", id.substring(bar + 1));
                return switch (kind) {
                    case "bid" -> keys.bid(task, acct);
                    case "verifier" -> keys.verifier(task, acct);
                    default -> keys.vote(task, acct);
                };
            }
            case "checkpoint": {
                int first = id == null ? -1 : id.indexOf('|');
                int last = id == null ? -1 : id.lastIndexOf('|');
                if (first < 0 || last == first) {
                    throw MarketException.invalid("id", "must be 'taskId|accountId|epoch' for kind checkpoint");
                }
                String task = Checks.taskId(id.substring(0, first));
                String acct = Checks.accountId("id", id.substring(first + 1, last));
                int epoch = (int) Checks.parseLong("epoch", id.substring(last + 1), Limits.EPOCHS);
                return keys.checkpoint(task, acct, epoch);
            }
            default:
                throw MarketException.invalid("kind",
                        "must be one of task, bid, verifier, checkpoint, vote, account, settlement, reputation, got '"
                                + Checks.clip(kind) + "'");
        }
    }
}
