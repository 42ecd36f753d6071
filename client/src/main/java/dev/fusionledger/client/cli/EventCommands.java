package dev.fusionledger.client.cli;

import dev.fusionledger.client.MarketEvent;
import dev.fusionledger.client.MarketEventStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fusionledger events follow}. */
@Command(name = "events", mixinStandardHelpOptions = true, description = "Follow the market's events.",
        subcommands = {EventCommands.Follow.class},
        footer = {"", "Example:", "  fusionledger events follow --from-block 0 --checkpoint ~/.cache/fusionledger/events.ckpt"})
final class EventCommands {

    @Command(name = "follow", mixinStandardHelpOptions = true,
            description = {"Print the market's chaincode events as they are committed (one line each).",
                "With --checkpoint FILE, a restarted follower resumes after the last printed event."},
            footer = {"", "Example:", "  fusionledger events follow --from-block 0 --limit 10 --json"})
    static final class Follow extends FusionLedgerCli.Leaf {
        @Option(names = "--from-block", defaultValue = "-1",
                description = "First block when there is no checkpoint (default: the next block).")
        long fromBlock;
        @Option(names = "--checkpoint", paramLabel = "FILE", description = "Checkpoint file (created when missing).")
        Path checkpoint;
        @Option(names = "--limit", defaultValue = "0", description = "Stop after this many events (0: never).")
        long limit;
        @Option(names = "--task", paramLabel = "TASK_ID", description = "Only events of this task.")
        String task;

        @Override
        protected void run() throws Exception {
            if (limit < 0) {
                throw new IllegalArgumentException("limit: must be >= 0, got " + limit);
            }
            long printed = 0;
            try (MarketEventStream events = client().events(fromBlock, checkpoint)) {
                while ((limit == 0 || printed < limit) && events.hasNext()) {
                    MarketEvent e = events.next();
                    if (task == null || task.equals(e.taskId())) {
                        print(e);
                        printed++;
                    }
                    if (checkpoint != null) {
                        events.checkpoint(e);
                    }
                }
            }
        }

        private void print(MarketEvent e) throws Exception {
            if (json()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("blockNumber", e.blockNumber());
                m.put("transactionId", e.transactionId());
                m.put("name", e.name());
                m.put("payload", e.payload());
                out().println(FusionLedgerCli.JSON.writer().without(
                        com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
            } else {
                String task = e.taskId();
                out().println(e.blockNumber() + "  " + e.transactionId() + "  " + e.name()
                        + (task != null ? "  task " + task : ""));
            }
            out().flush();
        }
    }
}
