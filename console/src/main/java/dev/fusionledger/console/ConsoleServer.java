package dev.fusionledger.console;

import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.LedgerException;
import dev.fusionledger.client.NotFoundException;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web console: read pages for everyone, the initiator's and anyone's actions behind a
 * confirmation, server-sent events of the market, all through one {@link FusionLedgerClient} signing
 * as the caller. Routes: {@code /tasks}, {@code /tasks/{id}}, {@code /tasks/{id}/audit} (+
 * {@code audit.json}, {@code history.csv}, {@code mismatches.csv}), {@code /tasks/{id}/chart/{metric}.png},
 * {@code /account}, {@code /announce}, {@code /tasks/{id}/confirm/{action}} and
 * {@code POST /tasks/{id}/{action}}, {@code /events}. See console/README.md.
 */
public final class ConsoleServer implements AutoCloseable {
    private final FusionLedgerClient client;
    private final String identity;
    private final Access access;
    private final EventHub events;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
    private final Javalin app;
    private final Map<String, String> notices = java.util.Collections.synchronizedMap(new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > 100;
        }
    });
    private boolean closed;
    private final java.nio.file.Path reportsDir;

    private ConsoleServer(FusionLedgerClient client, ConsoleSettings settings, java.nio.file.Path reportsDir)
            throws LedgerException {
        this.client = client;
        this.reportsDir = reportsDir;
        this.identity = client.clientAccountId();
        this.access = new Access(settings);
        this.events = new EventHub(client);
        ReadPages read = new ReadPages(this);
        ActionPages act = new ActionPages(this);
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.staticFiles.add(sf -> {
                sf.hostedPath = "/static";
                sf.directory = "/static";
                sf.location = Location.CLASSPATH;
            });
            var r = cfg.routes;
            r.before(access::check);
            r.get("/", ctx -> ctx.redirect("/tasks"));
            r.get("/tasks", read::tasks);
            r.get("/tasks/{id}", read::task);
            r.get("/tasks/{id}/audit", read::audit);
            r.get("/tasks/{id}/audit.json", read::auditJson);
            r.get("/tasks/{id}/history.csv", read::historyCsv);
            r.get("/tasks/{id}/mismatches.csv", read::mismatchesCsv);
            r.get("/tasks/{id}/chart/{metric}", read::chart);
            r.get("/account", read::account);
            r.get("/announce", act::announceForm);
            r.post("/announce", act::announce);
            r.get("/tasks/{id}/confirm/{action}", act::confirmForm);
            r.post("/tasks/{id}/{action}", act::perform);
            r.sse("/events", events::add);
            r.exception(NotFoundException.class, (e, ctx) -> error(ctx, 404, "Not found", e.getMessage()));
            r.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, "Bad request", e.getMessage()));
            r.exception(LedgerException.class, (e, ctx) -> error(ctx, 502, "Ledger call failed", e.getMessage()
                    + (e.transactionId() != null ? " [tx " + e.transactionId() + "]" : "")));
            r.exception(Access.Denied.class, (e, ctx) -> error(ctx, e.status,
                    e.status == 401 ? "Token required" : "Forbidden", e.getMessage()));
        });
    }

    /**
     * Starts the console and its event follower.
     *
     * @throws LedgerException when the caller's account id cannot be read (the network is down)
     * @throws io.javalin.util.JavalinBindException when the port is taken
     */
    public static ConsoleServer start(FusionLedgerClient client, ConsoleSettings settings) throws LedgerException {
        return start(client, settings, null);
    }

    /**
     * Starts the console, charting the verification reports that this identity's verifier agent
     * wrote into {@code reportsDir} ({@code <taskId>.json}, docs/agents.md "Verification reports").
     *
     * @param reportsDir the reports directory, or null for none
     * @throws LedgerException when the caller's account id cannot be read (the network is down)
     */
    public static ConsoleServer start(FusionLedgerClient client, ConsoleSettings settings, java.nio.file.Path reportsDir)
            throws LedgerException {
        ConsoleServer s = new ConsoleServer(client, settings, reportsDir);
        s.app.start(settings.host(), settings.port());
        s.events.start();
        return s;
    }

    /** @return the verification report of a task in the reports directory, or null */
    java.nio.file.Path report(String taskId) {
        if (reportsDir == null || !taskId.matches("[A-Za-z0-9_-]{1,128}")) {
            return null;
        }
        java.nio.file.Path f = reportsDir.resolve(taskId + ".json");
        return java.nio.file.Files.isRegularFile(f) ? f : null;
    }

    /** @return the bound port */
    public int port() {
        return app.port();
    }

    /** @return the caller's account id */
    public String identity() {
        return identity;
    }

    FusionLedgerClient client() {
        return client;
    }

    /** The chrome of a page watching {@code watch} ({@code all}, a task id, or {@code none}). */
    Page page(Context ctx, String title, String watch) {
        String done = ctx.queryParam("done");
        String flash = done == null ? null : notices.get(done);
        return new Page(title, identity, access.csrf(), watch, flash, events.recent());
    }

    /** Keeps a notice of an action for the next page; returns its id for {@code ?done=}. */
    String notice(String text) {
        String id = Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        notices.put(id, text);
        return id;
    }

    /** Renders {@code template} with the page chrome and the given model entries. */
    void render(Context ctx, String template, Page page, Object... model) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("page", page);
        for (int i = 0; i < model.length; i += 2) {
            params.put((String) model[i], model[i + 1]);
        }
        StringOutput out = new StringOutput();
        templates.render(template, params, out);
        ctx.html(out.toString());
    }

    private void error(Context ctx, int status, String title, String message) {
        ctx.status(status);
        render(ctx, "error.jte", new Page(title, identity, access.csrf(), "none", null, events.recent()),
                "message", message == null ? title : message);
    }

    /** Stops the server and the event follower (idempotent). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        events.close();
        app.stop();
    }
}
