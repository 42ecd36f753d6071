package dev.fusionledger.client.cli;

import dev.fusionledger.ledger.Bid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fusionledger bid ...}: contributors' bids. */
@Command(name = "bid", mixinStandardHelpOptions = true, description = "Bid on a task, or withdraw a bid.",
        subcommands = {BidCommands.Submit.class, BidCommands.Withdraw.class},
        footer = {"", "Example:", "  fusionledger --org Org2 --user User1 bid submit 3f1c...e9 --data-points 500 --price 10"})
final class BidCommands {

    static Table bidTable(Bid b) {
        return new Table("TASK", "BIDDER", "DATA_POINTS", "PRICE", "MAX_EARNINGS", "STAKE", "STATUS")
                .row(b.taskId(), b.bidder(), b.dataPoints(), b.pricePerPoint(), b.maxEarnings(), b.stake(), b.status());
    }

    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = "Bid data points at a price per point; stakes max earnings x (1 + strikes) credits.",
            footer = {"", "Example:", "  fusionledger bid submit 3f1c...e9 --data-points 500 --price 10"})
    static final class Submit extends FusionLedgerCli.Leaf {
        @Parameters(index = "0", paramLabel = "TASK_ID")
        String taskId;
        @Option(names = "--data-points", required = true, converter = Numbers.DataPoints.class, description = "Data points offered, 1..10^12.")
        long dataPoints;
        @Option(names = "--price", required = true, converter = Numbers.Amount.class, description = "Credits per data point, 1..10^15.")
        long price;

        @Override
        protected void run() throws Exception {
            var s = client().submitBid(taskId, dataPoints, price);
            root().printSubmitted(s, bidTable(s.value()));
        }
    }

    @Command(name = "withdraw", mixinStandardHelpOptions = true,
            description = "Withdraw your bid while the task is BIDDING; the stake is refunded.",
            footer = {"", "Example:", "  fusionledger bid withdraw 3f1c...e9"})
    static final class Withdraw extends FusionLedgerCli.Leaf {
        @Parameters(index = "0", paramLabel = "TASK_ID")
        String taskId;

        @Override
        protected void run() throws Exception {
            var s = client().withdrawBid(taskId);
            root().printSubmitted(s, bidTable(s.value()));
        }
    }
}
