package dev.fusionledger.console;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * Who may use the console. Every request: the {@code Host} header must name the console itself when
 * it is bound to loopback (a page of another site cannot reach it through DNS rebinding); with a token,
 * the request carries it (cookie {@value #COOKIE}, set by opening any page once with
 * {@code ?token=}, or {@code Authorization: Bearer}). Every POST: a same-origin {@code Origin} when
 * present and the per-process form token {@code _csrf}, so another site cannot submit a form in
 * the caller's name.
 */
final class Access {
    static final String COOKIE = "fusionledger_console";
    static final String CSRF_FIELD = "_csrf";
    private static final Set<String> LOOPBACK_NAMES = Set.of("127.0.0.1", "localhost", "[::1]");
    private final String token;
    private final boolean loopback;
    private final String csrf;

    Access(ConsoleSettings settings) {
        this.token = settings.token();
        this.loopback = ConsoleSettings.loopback(settings.host());
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        this.csrf = HexFormat.of().formatHex(b);
    }

    /** The form token every POST form carries in {@value #CSRF_FIELD}. */
    String csrf() {
        return csrf;
    }

    /** Runs before every request: throws a 401/403 response when the request may not proceed. */
    void check(Context ctx) {
        if (loopback) {
            String host = ctx.header("Host");
            String name = host == null ? "" : host.replaceFirst(":\\d+$", "");
            if (!LOOPBACK_NAMES.contains(name)) {
                throw new Denied(403, "Host: the console answers only to 127.0.0.1, localhost or [::1]");
            }
        }
        if (token != null) {
            String given = ctx.queryParam("token");
            if (given != null && same(given, token)) {
                ctx.cookie(new io.javalin.http.Cookie(COOKIE, token, "/", -1, "https".equals(ctx.scheme()), true, null,
                        io.javalin.http.SameSite.STRICT));
                ctx.redirect(ctx.path());
                ctx.skipRemainingHandlers();
                return;
            }
            String auth = ctx.header("Authorization");
            String bearer = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
            String cookie = ctx.cookie(COOKIE);
            if (!(bearer != null && same(bearer, token)) && !(cookie != null && same(cookie, token))) {
                throw new Denied(401, "token: this console requires its access token: open it once with "
                        + "?token=TOKEN or send Authorization: Bearer TOKEN");
            }
        }
        if (ctx.method() == HandlerType.POST) {
            String origin = ctx.header("Origin");
            if (origin != null && !"null".equals(origin) && !origin.equals(ctx.scheme() + "://" + ctx.header("Host"))) {
                throw new Denied(403, "Origin: a form of " + origin + " may not act through this console");
            }
            String form = ctx.formParam(CSRF_FIELD);
            if (form == null || !same(form, csrf)) {
                throw new Denied(403, CSRF_FIELD + ": missing or stale form token; reload the page and try again");
            }
        }
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** A request the console refuses: 401 (no or wrong token) or 403 (foreign host, origin or form). */
    static final class Denied extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        Denied(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
