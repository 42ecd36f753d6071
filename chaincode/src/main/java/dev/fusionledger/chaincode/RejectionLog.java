package dev.fusionledger.chaincode;

import dev.fusionledger.ledger.MarketException;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The chaincode JVM's log policy. A transaction rejected by a market rule ({@link MarketException}:
 * bad input, wrong phase, missing funds) is an expected event: it is logged as one line,
 * {@code rejected <Transaction> tx <id>: <CODE>: <field>: <text>}, with control characters escaped,
 * and the Fabric shim's own records of it (a SEVERE entry with the stack trace, and a SEVERE
 * "Invoke failed with error code 500" line) are dropped. The shim's
 * per-call INFO lines (the function with every argument, the routing) are dropped as well, so a
 * successful call logs nothing. Any other exception is a bug and keeps the shim's full record
 * with its stack trace.
 */
public final class RejectionLog {
    /** The logger the one-line rejections go to. */
    public static final Logger LOG = Logger.getLogger("dev.fusionledger.chaincode.rejections");
    /** The shim's logger of error responses ({@code org.hyperledger.fabric.shim.ResponseUtils}). */
    static final String RESPONSES = "org.hyperledger.fabric.shim.ResponseUtils";
    /** The shim's invocation task, which logs "[txid] Invoke failed with error code 500" per error response. */
    static final String INVOCATION = "org.hyperledger.fabric.shim.impl.ChaincodeInvocationTask";
    /** The shim's contract router, which logs each call at INFO. */
    static final String ROUTER = "org.hyperledger.fabric.contract.ContractRouter";
    private static final String[] PER_CALL = {"Got invoke routing request", "Got the invoke request for:", "Got routing:"};
    /** The message of the rejection this thread is answering (the shim logs it right after). */
    private static final ThreadLocal<String> PENDING = new ThreadLocal<>();
    /** The transaction id of that rejection (the invocation task's line names its first 8 characters). */
    private static final ThreadLocal<String> PENDING_TX = new ThreadLocal<>();
    /** The shim record this thread dropped last: every root handler is asked about the same record. */
    private static final ThreadLocal<LogRecord> DROPPED = new ThreadLocal<>();

    private RejectionLog() {
    }

    /**
     * Installs {@link #filter} on the root logger's handlers (idempotent), where every record ends:
     * the shim creates its loggers as private instances, so a filter on a named logger would miss
     * them. Call before the router starts; the shim later changes the handlers' level and format,
     * not their filter.
     */
    public static synchronized void install() {
        for (Handler h : Logger.getLogger("").getHandlers()) {
            Filter existing = h.getFilter();
            if (existing instanceof Policy) {
                continue;
            }
            h.setFilter(new Policy(existing));
        }
    }

    /** The handler filter: the shim's duplicate of a logged rejection and its per-call lines are dropped. */
    record Policy(Filter next) implements Filter {
        @Override
        public boolean isLoggable(LogRecord r) {
            return filter(r) && (next == null || next.isLoggable(r));
        }
    }

    /** @return whether {@code r} is kept */
    static boolean filter(LogRecord r) {
        String name = r.getLoggerName();
        if (RESPONSES.equals(name)) {
            return keepResponse(r);
        }
        if (ROUTER.equals(name)) {
            return keepRouter(r);
        }
        if (INVOCATION.equals(name)) {
            return keepInvocation(r);
        }
        return true;
    }

    /** Logs the rejection in one line and marks the shim's record of it as a duplicate. */
    static void rejected(String transaction, String txId, MarketException e) {
        PENDING.set(e.getMessage());
        PENDING_TX.set(txId == null ? "" : txId);
        LOG.info(() -> "rejected " + printable(transaction) + " tx " + printable(txId) + ": " + printable(e.getMessage()));
    }

    static boolean keepResponse(LogRecord r) {
        if (DROPPED.get() == r) {
            return false; // the same record offered to the next handler
        }
        String pending = PENDING.get();
        if (pending == null) {
            return true;
        }
        PENDING.remove();
        if (r.getMessage() != null && r.getMessage().startsWith(pending)) {
            DROPPED.set(r);
            return false;
        }
        return true;
    }

    static boolean keepInvocation(LogRecord r) {
        if (DROPPED.get() == r) {
            return false;
        }
        String tx = PENDING_TX.get();
        if (tx == null || r.getMessage() == null) {
            return true;
        }
        if (r.getMessage().startsWith(String.format("[%-8.8s] Invoke failed with error code", tx))) {
            PENDING_TX.remove();
            DROPPED.set(r);
            return false;
        }
        return true;
    }

    static boolean keepRouter(LogRecord r) {
        if (r.getLevel().intValue() > Level.INFO.intValue() || r.getMessage() == null) {
            return true;
        }
        for (String p : PER_CALL) {
            if (r.getMessage().startsWith(p)) {
                return false;
            }
        }
        return true;
    }

    /** {@code s} with control characters written as {@code \\uXXXX}. */
    static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
