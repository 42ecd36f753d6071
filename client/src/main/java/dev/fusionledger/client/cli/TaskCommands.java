package dev.fusionledger.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fusionledger.client.NotFoundException;
import dev.fusionledger.ledger.Bid;
import dev.fusionledger.ledger.Settlement;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskSpec;
import dev.fusionledger.ledger.TaskState;
import dev.fusionledger.ledger.Verifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fusionledger task ...}: the task lifecycle. */
@Command(name = "task", mixinStandardHelpOptions = true, description = "Announce, inspect and drive tasks.",
        subcommands = {TaskCommands.Announce.class, TaskCommands.ListTasks.class, TaskCommands.Show.class,
            TaskCommands.Cancel.class, TaskCommands.Resolve.class, TaskCommands.EndEpoch.class,
            TaskCommands.Settle.class},
        footer = {"", "Example:", "  fusionledger task show 3f1c...e9"})
final class TaskCommands {

    static Table taskTable(Task t) {
        return new Table("TASK", "STATE", "INITIATOR", "ESCROW", "EPOCH", "DONE", "BIDDERS", "VERIFIERS")
                .row(t.taskId(), t.state(), t.initiator(), t.escrow(), t.currentEpoch() + "/" + t.spec().maxEpochs(),
                        t.epochsCompleted(), t.selectedBidders().size(), t.drawnVerifiers().size());
    }

    @Command(name = "announce", mixinStandardHelpOptions = true,
            description = {"Announce a task; escrows rewardBudget + verifierQuorum x verifierFee credits.",
                "Fields come from --spec (a TaskSpec JSON file, see docs/ledger-api.md) and/or the options,",
                "options overriding the file. Every field except --recommended-model-hash and",
                "--min-own-accuracy-bps is required; the spec is checked as the chaincode checks it."},
            footer = {"", "Example:", "  fusionledger task announce --spec task.json --reward-budget 100000"})
    static final class Announce extends FusionLedgerCli.Leaf {
        @Option(names = "--spec", paramLabel = "FILE", description = "TaskSpec JSON file.")
        java.nio.file.Path specFile;
        @Option(names = "--labels", paramLabel = "L1,L2,..", description = "Class labels, 1..1000.")
        String labels;
        @Option(names = "--input-shape", paramLabel = "D1,D2,..", description = "Input shape, 1..8 dims each 1..1000000.")
        String inputShape;
        @Option(names = "--verification-data-hash", paramLabel = "SHA256", description = "SHA-256 of the verification data.")
        String verificationDataHash;
        @Option(names = "--recommended-model-hash", paramLabel = "SHA256", description = "Optional recommended model.")
        String recommendedModelHash;
        @Option(names = "--mafr-bps", converter = Numbers.Bps.class, description = "Minimum acceptable fitness rate, basis points 0..10000.")
        Integer mafrBps;
        @Option(names = "--min-contribution-bps", converter = Numbers.Bps.class, description = "Minimum contribution, basis points 0..10000.")
        Integer minContributionBps;
        @Option(names = "--min-own-accuracy-bps", converter = Numbers.Bps.class,
                description = "Minimum own accuracy of a model on its labels, basis points 0..10000 (default 0: none).")
        Integer minOwnAccuracyBps;
        @Option(names = "--required-data-points", converter = Numbers.DataPoints.class, description = "Data points to cover, 1..10^12.")
        Long requiredDataPoints;
        @Option(names = "--reward-budget", converter = Numbers.Amount.class, description = "Credits for contributors, 1..10^15.")
        Long rewardBudget;
        @Option(names = "--verifier-fee", converter = Numbers.AmountOrZero.class, description = "Credits per revealing verifier, 0..10^15.")
        Long verifierFee;
        @Option(names = "--verifier-quorum", converter = Numbers.Quorum.class, description = "Verifiers drawn, 1..100.")
        Integer verifierQuorum;
        @Option(names = "--verifier-stake", converter = Numbers.AmountOrZero.class, description = "Credits each verifier stakes, 0..10^15.")
        Long verifierStake;
        @Option(names = "--max-epochs", converter = Numbers.Epochs.class, description = "Training epochs, 1..1000.")
        Integer maxEpochs;
        @Option(names = "--epoch-seconds", converter = Numbers.Seconds.class, description = "Epoch length, seconds.")
        Long epochSeconds;
        @Option(names = "--late-penalty-bps", converter = Numbers.Bps.class, description = "Penalty per late epoch, basis points 0..10000.")
        Integer latePenaltyBps;
        @Option(names = "--bidding-seconds", converter = Numbers.Seconds.class, description = "Bidding phase, seconds.")
        Long biddingSeconds;
        @Option(names = "--commit-seconds", converter = Numbers.Seconds.class, description = "Vote commit phase, seconds.")
        Long commitSeconds;
        @Option(names = "--reveal-seconds", converter = Numbers.Seconds.class, description = "Vote reveal phase, seconds.")
        Long revealSeconds;

        @Override
        protected void run() throws Exception {
            // the file is read with the chaincode's own strict parser (duplicate keys, types), so that
            // what is sent is the user's spec as the chaincode would see it, never a repaired copy
            ObjectNode spec = specFile == null ? FusionLedgerCli.JSON.createObjectNode()
                    : asObject(strictJson(FusionLedgerCli.readArgument("spec", "@" + specFile)));
            if (labels != null) {
                spec.set("labels", FusionLedgerCli.JSON.valueToTree(FusionLedgerCli.csvList(labels)));
            }
            if (inputShape != null) {
                List<Integer> dims = new java.util.ArrayList<>();
                for (String d : FusionLedgerCli.csvList(inputShape)) {
                    try {
                        dims.add(Integer.parseInt(d));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("inputShape: '" + d + "' is not an integer in 1..1000000");
                    }
                }
                spec.set("inputShape", FusionLedgerCli.JSON.valueToTree(dims));
            }
            Map<String, Object> given = new LinkedHashMap<>();
            given.put("verificationDataHash", verificationDataHash);
            given.put("recommendedModelHash", recommendedModelHash);
            given.put("mafrBps", mafrBps);
            given.put("minContributionBps", minContributionBps);
            given.put("minOwnAccuracyBps", minOwnAccuracyBps);
            given.put("requiredDataPoints", requiredDataPoints);
            given.put("rewardBudget", rewardBudget);
            given.put("verifierFee", verifierFee);
            given.put("verifierQuorum", verifierQuorum);
            given.put("verifierStake", verifierStake);
            given.put("maxEpochs", maxEpochs);
            given.put("epochSeconds", epochSeconds);
            given.put("latePenaltyBps", latePenaltyBps);
            given.put("biddingSeconds", biddingSeconds);
            given.put("commitSeconds", commitSeconds);
            given.put("revealSeconds", revealSeconds);
            given.forEach((k, v) -> {
                if (v != null) {
                    spec.set(k, FusionLedgerCli.JSON.valueToTree(v));
                }
            });
            for (String f : TaskSpec.FIELDS) {
                if (!TaskSpec.OPTIONAL_FIELDS.contains(f) && !spec.hasNonNull(f)) {
                    throw new IllegalArgumentException(f + ": required (in --spec or as an option)");
                }
            }
            // the chaincode's own validation: unknown fields, types and ranges
            TaskSpec ts = TaskSpec.parse(spec.toString());
            var s = client().announceTask(ts);
            root().printSubmitted(s, taskTable(s.value()));
        }

        private static JsonNode strictJson(String text) {
            try {
                return dev.fusionledger.ledger.LedgerJson.parse("specJson", text, dev.fusionledger.ledger.Limits.MAX_SPEC_BYTES);
            } catch (dev.fusionledger.ledger.MarketException e) {
                throw new IllegalArgumentException("spec: " + specFileText(e.getMessage()), e);
            }
        }

        private static String specFileText(String message) {
            String p = "INVALID_ARGUMENT: specJson: ";
            return message.startsWith(p) ? message.substring(p.length()) : message;
        }

        private static ObjectNode asObject(JsonNode n) {
            if (!n.isObject()) {
                throw new IllegalArgumentException("spec: must be a JSON object");
            }
            return (ObjectNode) n;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tasks, optionally in one state.",
            footer = {"", "Example:", "  fusionledger task list --state TRAINING --json"})
    static final class ListTasks extends FusionLedgerCli.Leaf {
        @Option(names = "--state", description = "One of ${COMPLETION-CANDIDATES} (default: all).")
        TaskState state;

        @Override
        protected void run() throws Exception {
            List<Task> tasks = client().listTasks(state);
            if (json()) {
                root().printJson(tasks);
                return;
            }
            Table t = new Table("TASK", "STATE", "INITIATOR", "BUDGET", "ESCROW", "EPOCH", "BIDDING_DEADLINE");
            for (Task x : tasks) {
                t.row(x.taskId(), x.state(), x.initiator(), x.spec().rewardBudget(), x.escrow(),
                        x.currentEpoch() + "/" + x.spec().maxEpochs(), x.biddingDeadline());
            }
            t.print(out());
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a task with its bids, verifiers and settlement.",
            footer = {"", "Example:", "  fusionledger task show 3f1c...e9 --json"})
    static final class Show extends FusionLedgerCli.Leaf {
        @Parameters(index = "0", paramLabel = "TASK_ID")
        String taskId;

        @Override
        protected void run() throws Exception {
            Task t = client().getTask(taskId);
            List<Bid> bids = client().getBids(taskId);
            List<Verifier> verifiers = client().getVerifiers(taskId);
            Settlement settlement = null;
            if (t.state() == TaskState.SETTLED) {
                try {
                    settlement = client().getSettlement(taskId);
                } catch (NotFoundException e) {
                    settlement = null;
                }
            }
            if (json()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("task", t);
                m.put("bids", bids);
                m.put("verifiers", verifiers);
                m.put("settlement", settlement);
                root().printJson(m);
                return;
            }
            taskTable(t).print(out());
            out().println();
            Table b = new Table("BIDDER", "DATA_POINTS", "PRICE", "MAX_EARNINGS", "STAKE", "STATUS");
            bids.forEach(x -> b.row(x.bidder(), x.dataPoints(), x.pricePerPoint(), x.maxEarnings(), x.stake(), x.status()));
            b.print(out());
            out().println();
            Table v = new Table("VERIFIER", "STAKE", "STATUS", "COMMITTED", "REVEALED");
            verifiers.forEach(x -> v.row(x.verifier(), x.stake(), x.status(), x.committedAt() > 0, x.revealedAt() > 0));
            v.print(out());
            if (settlement != null) {
                out().println();
                Table c = new Table("CONTRIBUTOR", "REASON", "PAYMENT", "STAKE_BACK", "SLASHED", "SLASH_SHARE");
                settlement.contributors().forEach(x -> c.row(x.contributor(), x.reason(), x.payment(),
                        x.stakeReturned(), x.slashed(), x.slashShare()));
                c.print(out());
                out().println("initiator refund: " + settlement.initiatorRefund() + " credits");
            }
            out().flush();
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancel a task in BIDDING (initiator); refunds escrow and stakes.",
            footer = {"", "Example:", "  fusionledger task cancel 3f1c...e9"})
    static final class Cancel extends FusionLedgerCli.Leaf {
        @Parameters(index = "0", paramLabel = "TASK_ID")
        String taskId;

        @Override
        protected void run() throws Exception {
            var s = client().cancelTask(taskId);
            root().printSubmitted(s, taskTable(s.value()));
        }
    }

    @Command(name = "resolve", mixinStandardHelpOptions = true,
            description = "Resolve the bidding: cheapest bids first within the budget.",
            footer = {"", "Example:", "  fusionledger task resolve 3f1c...e9"})
    static final class Resolve extends FusionLedgerCli.Leaf {
        @Parameters(index = "0", paramLabel = "TASK_ID")
        String taskId;

        @Override
        protected void run() throws Exception {
            var s = client().resolveBidding(taskId);
            root().printSubmitted(s, taskTable(s.value()));
        }
    }

    @Command(name = "end-epoch", mixinStandardHelpOptions = true,
            description = "End the current epoch (initiator): continue training or back off to verification.",
            footer = {"", "Example:", "  fusionledger task end-epoch 3f1c...e9 --continue"})
    static final class EndEpoch extends FusionLedgerCli.Leaf {
        @Parameters(index = "0", paramLabel = "TASK_ID")
        String taskId;

        static final class Choice {
            @Option(names = "--continue", required = true, description = "Start the next epoch.")
            boolean cont;
            @Option(names = "--back-off", required = true, description = "Stop training and start verification.")
            boolean backOff;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Choice choice;

        @Override
        protected void run() throws Exception {
            var s = client().endEpoch(taskId, choice.cont);
            root().printSubmitted(s, taskTable(s.value()));
        }
    }

    @Command(name = "settle", mixinStandardHelpOptions = true,
            description = "Settle a task once the reveal phase has ended (anyone).",
            footer = {"", "Example:", "  fusionledger task settle 3f1c...e9"})
    static final class Settle extends FusionLedgerCli.Leaf {
        @Parameters(index = "0", paramLabel = "TASK_ID")
        String taskId;

        @Override
        protected void run() throws Exception {
            var s = client().settle(taskId);
            Settlement st = s.value();
            Table c = new Table("CONTRIBUTOR", "REASON", "PAYMENT", "STAKE_BACK", "SLASHED", "SLASH_SHARE");
            st.contributors().forEach(x -> c.row(x.contributor(), x.reason(), x.payment(), x.stakeReturned(),
                    x.slashed(), x.slashShare()));
            root().printSubmitted(s, c);
        }
    }
}
