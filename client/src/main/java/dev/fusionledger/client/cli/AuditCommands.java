package dev.fusionledger.client.cli;

import dev.fusionledger.client.HistoryKind;
import dev.fusionledger.client.audit.AuditEntry;
import dev.fusionledger.client.audit.Auditor;
import dev.fusionledger.client.audit.Mismatch;
import dev.fusionledger.client.audit.TaskAudit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fusionledger audit ...}: read-only audits of the ledger. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Audit a task's settlement, a task's history or an account's history.",
        subcommands = {AuditCommands.TaskAuditCmd.class, AuditCommands.History.class, AuditCommands.AccountCmd.class},
        footer = {"", "Example:", "  fusionledger audit task 3f1c...e9 --json > audit.json"})
final class AuditCommands {

    static void export(FusionLedgerCli root, Path csvOut, String csv) throws Exception {
        if (csvOut != null) {
            Files.writeString(csvOut, csv);
        }
    }

    static void printHistory(FusionLedgerCli root, List<AuditEntry> history) {
        Table t = new Table("TIME", "TX", "CREATOR_MSP", "KIND", "KEY", "STATE_AFTER");
        for (AuditEntry e : history) {
            String state = e.deleted() ? "(deleted)" : e.stateAfter() == null ? "-"
                    : e.stateAfter().hasNonNull("state") ? e.stateAfter().get("state").asText()
                    : e.stateAfter().hasNonNull("status") ? e.stateAfter().get("status").asText()
                    : e.stateAfter().hasNonNull("balance") ? "balance " + e.stateAfter().get("balance").asText()
                    : e.stateAfter().hasNonNull("outcome") ? e.stateAfter().get("outcome").asText()
                    : e.stateAfter().hasNonNull("modelHash") ? "epoch " + e.stateAfter().path("epoch").asInt()
                            + (e.stateAfter().path("late").asBoolean() ? " late" : "")
                    : e.stateAfter().hasNonNull("votes") ? "revealed " + e.stateAfter().get("votes").size() + " vote(s)"
                    : "written";
            t.row(java.time.Instant.ofEpochSecond(e.timestamp()), e.transactionId(), e.creatorMspId(), e.kind(),
                    e.key(), state);
        }
        t.print(root.out);
    }

    @Command(name = "task", mixinStandardHelpOptions = true,
            description = {"Re-check a task's settlement from its recorded bids, checkpoints and votes.",
                "Exit 8 when the ledger's settlement differs from the rules or the escrow does not balance."},
            footer = {"", "Example:", "  fusionledger audit task 3f1c...e9 --csv mismatches.csv"})
    static final class TaskAuditCmd extends FusionLedgerCli.Leaf {
        @Parameters(index = "0", paramLabel = "TASK_ID")
        String taskId;
        @Option(names = "--csv", paramLabel = "FILE", description = "Also write the mismatches as CSV.")
        Path csv;
        @Option(names = "--history-csv", paramLabel = "FILE", description = "Also write the history as CSV.")
        Path historyCsv;

        @Override
        protected void run() throws Exception {
            TaskAudit a = new Auditor(client()).auditTask(taskId);
            export(root(), csv, Auditor.mismatchesCsv(a.mismatches()));
            export(root(), historyCsv, Auditor.historyCsv(a.history()));
            if (json()) {
                out().println(Auditor.toJson(a));
            } else {
                printHistory(root(), a.history());
                out().println();
                out().println("task " + a.taskId() + " " + a.state() + ": escrow in " + a.escrowIn()
                        + " credits, paid out " + a.escrowOut() + " credits");
                if (!a.mismatches().isEmpty()) {
                    Table t = new Table("SUBJECT", "FIELD", "RECORDED", "EXPECTED");
                    for (Mismatch m : a.mismatches()) {
                        t.row(m.subject(), m.field(), m.recorded(), m.expected());
                    }
                    t.print(out());
                }
            }
            out().flush();
            if (!a.consistent()) {
                throw new FusionLedgerCli.IntegrityFailure("audit: task " + taskId + ": " + a.mismatches().size()
                        + " mismatch(es) between the recorded settlement and the rules");
            }
        }
    }

    /** The key kinds of a task's history, in the order {@code audit history --kind} lists them. */
    static final Set<HistoryKind> TASK_KINDS = Collections.unmodifiableSet(EnumSet.of(HistoryKind.TASK,
            HistoryKind.BID, HistoryKind.VERIFIER, HistoryKind.CHECKPOINT, HistoryKind.VOTE, HistoryKind.SETTLEMENT));

    @Command(name = "history", mixinStandardHelpOptions = true,
            description = {"Every transaction that wrote the task, its bids, verifiers, checkpoints, revealed votes "
                + "and settlement.", "--kind keeps only the given key kinds."},
            footer = {"", "Example:", "  fusionledger audit history 3f1c...e9 --csv history.csv",
                "  fusionledger audit history 3f1c...e9 --kind checkpoint,vote"})
    static final class History extends FusionLedgerCli.Leaf {
        @Parameters(index = "0", paramLabel = "TASK_ID")
        String taskId;
        @Option(names = "--csv", paramLabel = "FILE", description = "Also write the history as CSV.")
        Path csv;
        @Option(names = "--kind", split = ",", paramLabel = "KIND",
                description = "Only these key kinds (comma-separated): task, bid, verifier, checkpoint, vote, "
                    + "settlement. Default: all.")
        List<HistoryKind> kinds;

        @Override
        protected void run() throws Exception {
            Set<String> keep = new HashSet<>();
            for (HistoryKind k : kinds == null ? TASK_KINDS : kinds) {
                if (!TASK_KINDS.contains(k)) {
                    throw new IllegalArgumentException("kind: must be one of task, bid, verifier, checkpoint, vote, "
                            + "settlement for a task's history, got " + k.wireName());
                }
                keep.add(k.wireName());
            }
            List<AuditEntry> h = new Auditor(client()).taskHistory(taskId).stream()
                    .filter(e -> keep.contains(e.kind())).toList();
            export(root(), csv, Auditor.historyCsv(h));
            if (json()) {
                out().println(Auditor.toJson(h));
            } else {
                printHistory(root(), h);
            }
        }
    }

    @Command(name = "account", mixinStandardHelpOptions = true,
            description = "Every transaction that changed an account's balance or reputation (default: yours).",
            footer = {"", "Example:", "  fusionledger audit account --csv account.csv"})
    static final class AccountCmd extends FusionLedgerCli.Leaf {
        @Parameters(index = "0", arity = "0..1", paramLabel = "ACCOUNT_ID")
        String accountId;
        @Option(names = "--csv", paramLabel = "FILE", description = "Also write the history as CSV.")
        Path csv;

        @Override
        protected void run() throws Exception {
            String id = accountId != null ? accountId : client().clientAccountId();
            List<AuditEntry> h = new Auditor(client()).accountHistory(id);
            export(root(), csv, Auditor.historyCsv(h));
            if (json()) {
                out().println(Auditor.toJson(h));
            } else {
                printHistory(root(), h);
            }
        }
    }
}
