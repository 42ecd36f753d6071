package dev.fusionledger.client.cli;

import dev.fusionledger.ledger.Account;
import dev.fusionledger.ledger.LedgerConfig;
import dev.fusionledger.ledger.Reputation;
import dev.fusionledger.ledger.TransferResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code fusionledger account ...}: credits. */
@Command(name = "account", mixinStandardHelpOptions = true, description = "Account id, balance and credits.",
        subcommands = {AccountCommands.Id.class, AccountCommands.Balance.class, AccountCommands.Mint.class,
            AccountCommands.Transfer.class, AccountCommands.Init.class},
        footer = {"", "Example:", "  fusionledger --org Org2 --user User1 account balance"})
final class AccountCommands {

    @Command(name = "id", mixinStandardHelpOptions = true, description = "Print your account id.",
            footer = {"", "Example:", "  fusionledger --org Org1 --user User2 account id"})
    static final class Id extends FusionLedgerCli.Leaf {
        @Override
        protected void run() throws Exception {
            String id = client().clientAccountId();
            if (json()) {
                root().printJson(java.util.Map.of("accountId", id));
            } else {
                out().println(id);
            }
        }
    }

    @Command(name = "balance", mixinStandardHelpOptions = true,
            description = "Balance (credits) and reputation of an account (default: yours).",
            footer = {"", "Example:", "  fusionledger account balance 'Org2MSP::x509::CN=User1@org2.example.com,...'"})
    static final class Balance extends FusionLedgerCli.Leaf {
        @Parameters(index = "0", arity = "0..1", paramLabel = "ACCOUNT_ID", description = "Account id (default: yours).")
        String accountId;

        @Override
        protected void run() throws Exception {
            String id = accountId != null ? accountId : client().clientAccountId();
            Account a = client().balanceOf(id);
            Reputation r = client().getReputation(id);
            if (json()) {
                root().printJson(java.util.Map.of("account", a, "reputation", r));
            } else {
                new Table("ACCOUNT", "BALANCE", "STRIKES", "ACCEPTED", "SLASHED", "FORFEITS")
                        .row(a.accountId(), a.balance(), r.strikes(), r.accepted(), r.slashed(), r.forfeits())
                        .print(out());
            }
        }
    }

    @Command(name = "mint", mixinStandardHelpOptions = true,
            description = "Mint credits to your own account (treasurer: an admin of the treasurer MSP).",
            footer = {"", "Example:", "  fusionledger --org Org1 --user Admin account mint 1000000"})
    static final class Mint extends FusionLedgerCli.Leaf {
        @Parameters(index = "0", paramLabel = "AMOUNT", converter = Numbers.Amount.class, description = "Credits, 1..10^15.")
        long amount;

        @Override
        protected void run() throws Exception {
            var s = client().mint(amount);
            root().printSubmitted(s, new Table("ACCOUNT", "BALANCE").row(s.value().accountId(), s.value().balance()));
        }
    }

    @Command(name = "transfer", mixinStandardHelpOptions = true, description = "Transfer credits to another account.",
            footer = {"", "Example:", "  fusionledger --org Org1 --user Admin account transfer \"$(fusionledger --org Org2 account id)\" 5000"})
    static final class Transfer extends FusionLedgerCli.Leaf {
        @Parameters(index = "0", paramLabel = "TO_ACCOUNT_ID", description = "Receiving account id.")
        String to;

        @Parameters(index = "1", paramLabel = "AMOUNT", converter = Numbers.Amount.class, description = "Credits, 1..10^15.")
        long amount;

        @Override
        protected void run() throws Exception {
            var s = client().transfer(to, amount);
            TransferResult t = s.value();
            root().printSubmitted(s, new Table("FROM", "TO", "AMOUNT", "FROM_BALANCE")
                    .row(t.from(), t.to(), t.amount(), t.fromBalance()));
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Initialize the market once, naming the treasurer MSP (by an admin of that MSP).",
            footer = {"", "Example:", "  fusionledger --org Org1 --user Admin account init Org1MSP"})
    static final class Init extends FusionLedgerCli.Leaf {
        @Parameters(index = "0", paramLabel = "TREASURER_MSP_ID", description = "MSP id whose admins mint credits.")
        String treasurer;

        @Override
        protected void run() throws Exception {
            var s = client().initialize(treasurer);
            LedgerConfig c = s.value();
            root().printSubmitted(s, new Table("TREASURER_MSP", "MINTED").row(c.treasurerMspId(), c.minted()));
        }
    }
}
