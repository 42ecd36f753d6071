package dev.fusionledger.agent;

import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.LedgerException;
import dev.fusionledger.client.MarketEvent;
import dev.fusionledger.client.MarketEventStream;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The loop of an unattended agent (docs/agents.md, "Agents"): it handles every open task at start
 * and every {@code poll} interval (deadlines pass without events), and each task named by a market
 * event as soon as it arrives. Events come from the checkpointed event stream, so a restarted agent
 * resumes after the last event it had taken; correctness never depends on an event, because every
 * handler looks at the ledger and does what is due (level-triggered). A handler's failure is logged
 * in one line and the task is handled again at the next poll.
 */
public final class AgentLoop {
    /** Handles one task; called from the loop's thread only. */
    @FunctionalInterface
    public interface TaskHandler {
        /** Does what is due for the task. */
        void handle(Task task) throws Exception;
    }

    private static final List<TaskState> OPEN = List.of(TaskState.BIDDING, TaskState.TRAINING, TaskState.VERIFYING);
    private static final String WAKE = "";

    private final FusionLedgerClient client;
    private final Path eventCheckpoint;
    private final Duration poll;
    private final TaskHandler handler;
    private final Consumer<String> log;
    private final LinkedBlockingQueue<String> due = new LinkedBlockingQueue<>();
    private volatile boolean stopped;

    /**
     * @param client the agent's identity
     * @param eventCheckpoint the event stream's checkpoint file (created on first use)
     * @param poll how often every open task is handled, 1 s..1 h
     * @param handler what the agent does for a task
     * @param log one line per event of note
     * @throws IllegalArgumentException if poll is out of range
     */
    public AgentLoop(FusionLedgerClient client, Path eventCheckpoint, Duration poll, TaskHandler handler,
            Consumer<String> log) {
        if (poll.compareTo(Duration.ofSeconds(1)) < 0 || poll.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("poll: must be 1..3600 seconds, got " + poll.toSeconds());
        }
        this.client = client;
        this.eventCheckpoint = eventCheckpoint;
        this.poll = poll;
        this.handler = handler;
        this.log = log;
    }

    /**
     * Runs until {@link #stop()} or interruption.
     *
     * @throws LedgerException if the event stream cannot be opened
     */
    public void run() throws LedgerException {
        java.io.File parent = eventCheckpoint.toAbsolutePath().getParent().toFile();
        if (!parent.isDirectory() && !parent.mkdirs()) {
            throw new IllegalStateException("cannot create " + parent);
        }
        MarketEventStream events = client.events(-1, eventCheckpoint);
        Thread listener = new Thread(() -> listen(events), "agent-events");
        listener.setDaemon(true);
        listener.start();
        try {
            long nextPoll = 0;
            while (!stopped && !Thread.currentThread().isInterrupted()) {
                Set<String> batch = new LinkedHashSet<>();
                if (System.nanoTime() >= nextPoll) {
                    batch.addAll(openTasks());
                    nextPoll = System.nanoTime() + poll.toNanos();
                }
                String id = due.poll(Math.max(1, (nextPoll - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                if (id != null) {
                    batch.add(id);
                    due.drainTo(batch);
                }
                batch.remove(WAKE);
                for (String taskId : batch) {
                    handle(taskId);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            events.close();
        }
    }

    /** Ends {@link #run()} after the task being handled. */
    public void stop() {
        stopped = true;
        due.add(WAKE);
    }

    private void listen(MarketEventStream events) {
        try {
            events.forEachCheckpointed((MarketEvent e) -> {
                String taskId = e.taskId();
                if (taskId != null) {
                    due.add(taskId);
                }
            });
        } catch (RuntimeException e) {
            if (!stopped) {
                log.accept("event stream ended (" + e.getMessage() + "); polling every " + poll.toSeconds() + " s");
            }
        }
    }

    private List<String> openTasks() {
        List<String> ids = new ArrayList<>();
        for (TaskState s : OPEN) {
            try {
                for (Task t : client.listTasks(s)) {
                    ids.add(t.taskId());
                }
            } catch (LedgerException e) {
                log.accept("listing " + s + " tasks failed: " + e.getMessage());
            }
        }
        return ids;
    }

    private void handle(String taskId) {
        try {
            Task t = client.getTask(taskId);
            if (OPEN.contains(t.state())) {
                handler.handle(t);
            }
        } catch (Exception e) {
            log.accept("task " + taskId + ": " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage().lines().findFirst().orElse("")) + " (will retry)");
        }
    }
}
