package dev.fusionledger.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.MarketEvent;
import dev.fusionledger.client.MarketEventStream;
import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Follows the market's chaincode events (the SDK's checkpointed {@link MarketEventStream}, from the
 * next block when the console starts) and pushes each to every open page as a server-sent event
 * {@value #EVENT} with JSON data {@code {blockNumber, transactionId, name, taskId}}. When the
 * stream breaks (a peer restarts), it is reopened from its checkpoint file: no event is lost or
 * repeated.
 */
final class EventHub implements AutoCloseable {
    static final String EVENT = "market";
    private static final Logger LOG = Logger.getLogger(EventHub.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RECENT = 30;
    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final ArrayDeque<Map<String, Object>> recent = new ArrayDeque<>();
    private final FusionLedgerClient client;
    private final Path dir;
    private final Thread thread;
    private volatile boolean closed;
    private volatile MarketEventStream stream;

    EventHub(FusionLedgerClient client) {
        this.client = client;
        try {
            this.dir = Files.createTempDirectory("fusionledger-console-");
        } catch (IOException e) {
            throw new UncheckedIOException("events: cannot create the checkpoint directory", e);
        }
        this.thread = new Thread(this::follow, "console-events");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Adds an open page; it gets every later event until it disconnects. */
    void add(SseClient c) {
        c.keepAlive();
        c.onClose(() -> clients.remove(c));
        clients.add(c);
        c.sendComment("connected");
    }

    /** The last events seen (newest first), for a page's first render. */
    synchronized List<Map<String, Object>> recent() {
        return new ArrayList<>(recent);
    }

    private void follow() {
        Path checkpoint = dir.resolve("events.checkpoint");
        while (!closed) {
            try (MarketEventStream s = client.events(-1, checkpoint)) {
                stream = s;
                s.forEachCheckpointed(this::publish);
            } catch (Exception e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "event stream failed, reopening from its checkpoint: " + e.getMessage(), e);
                }
            }
            if (!closed) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void publish(MarketEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("blockNumber", e.blockNumber());
        m.put("transactionId", e.transactionId());
        m.put("name", e.name());
        String taskId;
        try {
            taskId = e.taskId();
        } catch (UncheckedIOException bad) {
            taskId = null;
        }
        m.put("taskId", taskId);
        synchronized (this) {
            recent.addFirst(m);
            while (recent.size() > RECENT) {
                recent.removeLast();
            }
        }
        String data;
        try {
            data = JSON.writeValueAsString(m);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        for (SseClient c : clients) {
            if (c.terminated()) {
                clients.remove(c);
                continue;
            }
            try {
                c.sendEvent(EVENT, data);
            } catch (RuntimeException gone) { // the page went away mid-write: drop it, keep the others
                clients.remove(c);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        MarketEventStream s = stream;
        if (s != null) {
            try {
                s.close(); // wakes the follower blocked in hasNext(); it closes the stream again on its way out
            } catch (IllegalStateException e) {
                LOG.log(Level.FINE, "event stream already closed", e);
            }
        }
        thread.interrupt();
        for (SseClient c : clients) {
            c.close();
        }
        clients.clear();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot remove " + dir, e);
        }
    }
}
