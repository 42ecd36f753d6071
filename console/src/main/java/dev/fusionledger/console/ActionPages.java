package dev.fusionledger.console;

import dev.fusionledger.client.LedgerException;
import dev.fusionledger.client.MarketRuleException;
import dev.fusionledger.client.Submitted;
import dev.fusionledger.ledger.Task;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The actions, each the SDK call the CLI makes, each behind a confirmation step: announce
 * ({@code AnnounceTask}), register as a verifier ({@code RegisterVerifier}), resolve
 * ({@code ResolveBidding}), end-epoch ({@code EndEpoch}) and settle ({@code Settle}). A field in error, or the ledger's rejection, is shown next to its field and
 * nothing is submitted (a rejected transaction writes nothing).
 */
final class ActionPages {
    static final List<String> ACTIONS = List.of("register", "resolve", "end-epoch", "settle");
    private final ConsoleServer server;

    ActionPages(ConsoleServer server) {
        this.server = server;
    }

    void announceForm(Context ctx) {
        server.render(ctx, "announce.jte", server.page(ctx, "Announce a task", "none"), "form", SpecForm.blank(),
                "confirming", false);
    }

    /** {@code POST /announce}: check; then the confirmation step; then, confirmed, {@code AnnounceTask}. */
    void announce(Context ctx) throws Exception {
        SpecForm form = SpecForm.read(ctx::formParam);
        boolean confirmed = "yes".equals(ctx.formParam("confirm"));
        if (form.valid() && confirmed) {
            try {
                Submitted<Task> s = server.client().announceTask(form.spec());
                ctx.redirect("/tasks/" + s.value().taskId() + "?done=" + done("AnnounceTask", s));
                return;
            } catch (MarketRuleException e) {
                form.reject(e.field(), e.code() + ": " + e.reason());
            } catch (LedgerException e) {
                form.reject(null, e.getMessage());
            }
        }
        if (!form.valid()) {
            ctx.status(400);
        }
        server.render(ctx, "announce.jte", server.page(ctx, "Announce a task", "none"), "form", form,
                "confirming", form.valid());
    }

    /** {@code GET /tasks/{id}/confirm/{action}}. */
    void confirmForm(Context ctx) throws Exception {
        String taskId = ReadPages.taskId(ctx);
        String action = action(ctx);
        Task t = server.client().getTask(taskId);
        render(ctx, t, new ActionForm(taskId, action, null, Map.of()));
    }

    /** {@code POST /tasks/{id}/{action}} with {@code confirm=yes} (and {@code choice} for end-epoch). */
    void perform(Context ctx) throws Exception {
        String taskId = ReadPages.taskId(ctx);
        String action = action(ctx);
        String choice = ctx.formParam("choice");
        Map<String, String> errors = new LinkedHashMap<>();
        if (action.equals("end-epoch") && !"continue".equals(choice) && !"back-off".equals(choice)) {
            errors.put("choice", "choose continue (start the next epoch) or back-off (start verification)");
        }
        if (!"yes".equals(ctx.formParam("confirm"))) {
            errors.put("confirm", "tick the box to confirm that the console may submit " + new ActionForm(taskId,
                    action, null, Map.of()).transaction() + " as " + Fmt.who(server.identity()));
        }
        if (errors.isEmpty()) {
            try {
                Submitted<?> s = switch (action) {
                    case "register" -> server.client().registerVerifier(taskId);
                    case "resolve" -> server.client().resolveBidding(taskId);
                    case "end-epoch" -> server.client().endEpoch(taskId, "continue".equals(choice));
                    default -> server.client().settle(taskId);
                };
                ctx.redirect("/tasks/" + taskId + "?done=" + done(new ActionForm(taskId, action, choice, Map.of())
                        .transaction(), s));
                return;
            } catch (MarketRuleException e) {
                errors.put("ledger", e.code() + ": " + e.field() + ": " + e.reason()
                        + (e.transactionId() != null ? " [tx " + e.transactionId() + "]" : ""));
            } catch (LedgerException e) {
                errors.put("ledger", e.getMessage());
            }
        }
        ctx.status(400);
        render(ctx, server.client().getTask(taskId), new ActionForm(taskId, action, choice, errors));
    }

    private void render(Context ctx, Task t, ActionForm form) {
        server.render(ctx, "confirm.jte", server.page(ctx, form.title(), "none"), "task", t, "form", form);
    }

    private static String action(Context ctx) {
        String a = ctx.pathParam("action");
        if (!ACTIONS.contains(a)) {
            throw new IllegalArgumentException("action: must be one of " + String.join(", ", ACTIONS) + ", got '"
                    + dev.fusionledger.ledger.Checks.clip(a) + "'");
        }
        return a;
    }

    /** The id of the notice "TX committed in block N (tx ID)" shown by the page redirected to. */
    private String done(String tx, Submitted<?> s) {
        return server.notice(tx + " committed in block " + s.blockNumber() + " (tx " + s.transactionId() + ")");
    }
}
