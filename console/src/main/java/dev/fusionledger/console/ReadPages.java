package dev.fusionledger.console;

import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.NotFoundException;
import dev.fusionledger.client.audit.Auditor;
import dev.fusionledger.client.audit.TaskAudit;
import dev.fusionledger.ledger.Checks;
import dev.fusionledger.ledger.MarketException;
import dev.fusionledger.ledger.Settlement;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskState;
import dev.fusionledger.ledger.Vote;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The read-only pages: tasks by state, a task, its audit and downloads, charts, an account. */
final class ReadPages {
    private final ConsoleServer server;

    ReadPages(ConsoleServer server) {
        this.server = server;
    }

    private FusionLedgerClient client() {
        return server.client();
    }

    /** {@code GET /tasks?state=}: every task grouped by state, or one state. */
    void tasks(Context ctx) throws Exception {
        String state = ctx.queryParam("state");
        String error = null;
        TaskState only = null;
        if (state != null && !state.isEmpty()) {
            try {
                only = TaskState.valueOf(state);
            } catch (IllegalArgumentException e) {
                error = "must be one of " + java.util.Arrays.toString(TaskState.values()) + ", got '" + Checks.clip(state) + "'";
                ctx.status(400);
            }
        }
        Map<TaskState, List<Task>> byState = new EnumMap<>(TaskState.class);
        if (error == null) {
            for (TaskState s : TaskState.values()) {
                byState.put(s, new ArrayList<>());
            }
            for (Task t : client().listTasks(only)) {
                byState.get(t.state()).add(t);
            }
            if (only != null) {
                byState.keySet().retainAll(List.of(only));
            }
        }
        server.render(ctx, "tasks.jte", server.page(ctx, "Tasks", "all"), "byState", byState,
                "state", state == null ? "" : state, "stateError", error);
    }

    /** {@code GET /tasks/{id}}. */
    void task(Context ctx) throws Exception {
        TaskView v = view(taskId(ctx));
        server.render(ctx, "task.jte", server.page(ctx, "Task " + Fmt.shortId(v.task().taskId()), v.task().taskId()),
                "v", v);
    }

    TaskView view(String taskId) throws Exception {
        FusionLedgerClient c = client();
        Task t = c.getTask(taskId);
        Settlement s = null;
        if (t.state() == TaskState.SETTLED) {
            try {
                s = c.getSettlement(taskId);
            } catch (NotFoundException e) {
                s = null;
            }
        }
        return new TaskView(t, c.getBids(taskId), c.getVerifiers(taskId), c.getCheckpoints(taskId), c.getVotes(taskId),
                s, server.identity(), server.report(taskId) != null);
    }

    /** {@code GET /tasks/{id}/audit}: history timeline and settlement re-check. */
    void audit(Context ctx) throws Exception {
        String id = taskId(ctx);
        TaskAudit a = new Auditor(client()).auditTask(id);
        server.render(ctx, "audit.jte", server.page(ctx, "Audit of task " + Fmt.shortId(id), id), "a", a,
                "view", new AuditView(a));
    }

    void auditJson(Context ctx) throws Exception {
        String id = taskId(ctx);
        download(ctx, "audit-" + id + ".json", "application/json", Auditor.toJson(new Auditor(client()).auditTask(id)));
    }

    void historyCsv(Context ctx) throws Exception {
        String id = taskId(ctx);
        download(ctx, "history-" + id + ".csv", "text/csv", Auditor.historyCsv(new Auditor(client()).taskHistory(id)));
    }

    void mismatchesCsv(Context ctx) throws Exception {
        String id = taskId(ctx);
        download(ctx, "mismatches-" + id + ".csv", "text/csv",
                Auditor.mismatchesCsv(new Auditor(client()).auditTask(id).mismatches()));
    }

    private static void download(Context ctx, String name, String type, String body) {
        ctx.header("Content-Disposition", "attachment; filename=\"" + name + "\"");
        ctx.contentType(type + "; charset=utf-8");
        ctx.result(body);
    }

    /** {@code GET /tasks/{id}/chart/{metric}.png}. */
    void chart(Context ctx) throws Exception {
        String name = ctx.pathParam("metric");
        if (!name.endsWith(".png")) {
            throw new IllegalArgumentException("metric: must end in .png, got '" + Checks.clip(name) + "'");
        }
        String id = taskId(ctx);
        if (name.equals("fused.png")) {
            java.nio.file.Path report = server.report(id);
            if (report == null) {
                ctx.status(404).contentType("text/plain; charset=utf-8").result("no verification report of task "
                        + Checks.clip(id) + " in this console's reports directory");
                return;
            }
            ctx.contentType("image/png");
            ctx.header("Cache-Control", "no-store");
            ctx.result(Charts.fusedPng(new com.fasterxml.jackson.databind.ObjectMapper().readTree(report.toFile())));
            return;
        }
        Charts.Metric m = Charts.Metric.of(name.substring(0, name.length() - 4));
        Task t = client().getTask(id);
        List<Vote> votes = client().getVotes(id);
        int threshold = switch (m) {
            case FITNESS -> t.spec().mafrBps();
            case CONTRIBUTION -> t.spec().minContributionBps();
            case OWN_ACCURACY -> t.spec().minOwnAccuracyBps();
        };
        ctx.contentType("image/png");
        ctx.header("Cache-Control", "no-store");
        ctx.result(Charts.png(votes, m, threshold));
    }

    /** {@code GET /account?id=}: an account's balance, reputation and history (default: the caller's). */
    void account(Context ctx) throws Exception {
        String id = ctx.queryParam("id");
        String error = null;
        if (id == null || id.isBlank()) {
            id = server.identity();
        } else {
            try {
                Checks.accountId("id", id.strip());
                id = id.strip();
            } catch (MarketException e) {
                error = e.text();
            }
        }
        if (error != null) {
            ctx.status(400);
            server.render(ctx, "account.jte", server.page(ctx, "Account", "none"), "id", id, "idError", error,
                    "account", null, "reputation", null, "history", List.of());
            return;
        }
        server.render(ctx, "account.jte", server.page(ctx, "Account " + Fmt.who(id), "all"), "id", id,
                "idError", null, "account", client().balanceOf(id), "reputation", client().getReputation(id),
                "history", new Auditor(client()).accountHistory(id));
    }

    static String taskId(Context ctx) {
        return Checks.taskId(ctx.pathParam("id"));
    }
}
