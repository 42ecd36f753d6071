package dev.fusionledger.client.cli;

import dev.fusionledger.client.TransactionInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code fusionledger tx ...}: what the ledger records about a transaction id, e.g. after a submit
 * ended with "commit status ... still unknown" (docs/ledger-api.md, "Lost or unknown commits").
 * Added to the CLI through {@link CliExtension} ({@code META-INF/services} of the client jar).
 */
@Command(name = "tx", mixinStandardHelpOptions = true, description = "Look up transactions by id.",
        subcommands = {TxCommands.Status.class},
        footer = {"", "Example:", "  fusionledger tx status 3f2a...e9"})
public final class TxCommands {
    private TxCommands() {
    }

    /** Registers {@code tx} with the CLI. */
    public static final class Extension implements CliExtension {
        @Override
        public List<Object> commands() {
            return List.of(new TxCommands());
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Commit status of a transaction id: VALID, or Fabric's validation code (e.g.",
                "MVCC_READ_CONFLICT, DUPLICATE_TXID), with the signer and time. Exit 3 when the id is not in",
                "the ledger (never committed, or still being ordered: ask again in a few seconds)."},
            footer = {"", "Example:", "  fusionledger --org Org1 --user User2 tx status 3f2a...e9"})
    static final class Status extends FusionLedgerCli.Leaf {
        @Parameters(index = "0", paramLabel = "TXID", description = "Transaction id: 64 hexadecimal digits.")
        String txId;

        @Override
        protected void run() throws Exception {
            if (txId == null || !txId.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("TXID: must be 64 lowercase hexadecimal digits, got "
                        + (txId == null ? "nothing" : txId.length() + " characters"));
            }
            TransactionInfo t = client().transactionInfo(txId);
            String time = Instant.ofEpochSecond(t.timestamp()).toString();
            if (json()) {
                root().printJson(Map.of("transactionId", t.transactionId(), "validationCode", t.validationCode(),
                        "creatorMspId", t.creatorMspId(), "timestamp", time));
            } else {
                new Table("TXID", "STATUS", "SIGNER_MSP", "TIME").row(t.transactionId(), t.validationCode(),
                        t.creatorMspId(), time).print(out());
            }
        }
    }
}
