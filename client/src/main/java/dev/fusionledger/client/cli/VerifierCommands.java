package dev.fusionledger.client.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.fusionledger.client.LedgerException;
import dev.fusionledger.client.MarketRuleException;
import dev.fusionledger.client.Submitted;
import dev.fusionledger.client.VoteBook;
import dev.fusionledger.ledger.Checks;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskState;
import dev.fusionledger.ledger.Verifier;
import dev.fusionledger.ledger.VoteCommitment;
import dev.fusionledger.ledger.VoteEntry;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fusionledger verifier ...}: registration and commit-reveal voting. */
@Command(name = "verifier", mixinStandardHelpOptions = true,
        description = "Register as a verifier, commit and reveal votes.",
        subcommands = {VerifierCommands.Register.class, VerifierCommands.Commit.class, VerifierCommands.Reveal.class},
        footer = {"", "Example:", "  fusionledger --org Org2 --user User3 verifier register 3f1c...e9"})
final class VerifierCommands {
    static final TypeReference<List<VoteEntry>> VOTES = new TypeReference<>() { };

    static Table verifierTable(Verifier v) {
        return new Table("TASK", "VERIFIER", "STAKE", "STATUS", "COMMITMENT")
                .row(v.taskId(), v.verifier(), v.stake(), v.status(), v.commitment());
    }

    /**
     * Reads votes JSON or {@code @FILE} with the chaincode's own parser ({@link VoteCommitment#parseVotes}):
     * an array of {@code {contributor, fitnessBps 0..10000, contributionBps -10000..10000, ownAccuracyBps 0..10000}},
     * every field required, at most one entry per contributor.
     *
     * @throws IllegalArgumentException naming the field and its range
     */
    static List<VoteEntry> readVotes(String value) {
        return VoteCommitment.parseVotes(FusionLedgerCli.readJson("votes", value).toString());
    }

    /** Where the votes and salt of each commitment are kept until the reveal: {@code <state-dir>/votes}. */
    static VoteBook book(FusionLedgerCli root) {
        return new VoteBook(root.stateDir().resolve("votes"));
    }

    /**
     * What the chaincode will check at the reveal, checked before committing (a commitment that can
     * never be revealed costs the verifier its stake): the task is VERIFYING, the caller is one of
     * its drawn verifiers and has not committed, and every voted contributor was selected.
     *
     * @throws IllegalArgumentException on {@code votes} naming a contributor that was not selected
     * @throws FusionLedgerCli.RuleViolation when the task is not VERIFYING, the caller is not drawn,
     *     or it committed already
     */
    static void checkCommit(Task t, String me, List<Verifier> verifiers, List<VoteEntry> votes)
            throws FusionLedgerCli.RuleViolation {
        if (t.state() != TaskState.VERIFYING) {
            throw new FusionLedgerCli.RuleViolation(ExitCodes.REJECTED, "task " + t.taskId() + " is " + t.state()
                    + "; votes are committed while it is VERIFYING");
        }
        if (!t.drawnVerifiers().contains(me)) {
            throw new FusionLedgerCli.RuleViolation(ExitCodes.DENIED, "caller: not a drawn verifier of task "
                    + t.taskId() + " (drawn: " + t.drawnVerifiers().size() + " of " + verifiers.size() + " registered)");
        }
        for (Verifier v : verifiers) {
            if (v.verifier().equals(me) && v.commitment() != null) {
                throw new FusionLedgerCli.RuleViolation(ExitCodes.REJECTED, "commitment: you committed " + v.commitment()
                        + " already; a commitment cannot be changed, reveal it with `verifier reveal " + t.taskId() + "`");
            }
        }
        for (VoteEntry e : votes) {
            if (!t.selectedBidders().contains(e.contributor())) {
                throw new IllegalArgumentException("votes: '" + Checks.clip(e.contributor())
                        + "' is not a selected contributor of task " + t.taskId() + "; selected: "
                        + String.join(", ", t.selectedBidders().stream().map(Table::shortAccount).toList()));
            }
        }
    }

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = "Register as a verifier of a task; stakes the task's verifier stake.",
            footer = {"", "Example:", "  fusionledger verifier register 3f1c...e9"})
    static final class Register extends FusionLedgerCli.Leaf {
        @Parameters(index = "0", paramLabel = "TASK_ID")
        String taskId;

        @Override
        protected void run() throws Exception {
            var s = client().registerVerifier(taskId);
            root().printSubmitted(s, verifierTable(s.value()));
        }
    }

    @Command(name = "commit", mixinStandardHelpOptions = true,
            description = {"Commit your votes: sends only SHA-256(task|you|canonical votes|salt).",
                "The votes and the salt are kept in the CLI state directory for `verifier reveal`; a commit the",
                "ledger rejects never replaces them. Checked first: you are a drawn verifier that has not",
                "committed, and every contributor you vote for was selected."},
            footer = {"", "Example:", "  fusionledger verifier commit 3f1c...e9 --votes '[{\"contributor\":\"Org1MSP::...\",\"fitnessBps\":9100,\"contributionBps\":300,\"ownAccuracyBps\":9600}]'"})
    static final class Commit extends FusionLedgerCli.Leaf {
        @Parameters(index = "0", paramLabel = "TASK_ID")
        String taskId;

        @Option(names = "--votes", required = true, paramLabel = "JSON|@FILE",
                description = {"Array of {contributor, fitnessBps 0..10000, contributionBps -10000..10000,",
                    "ownAccuracyBps 0..10000 (the model's own accuracy on its declared labels)}; every field required."})
        String votes;

        @Option(names = "--salt", description = "Salt, 1..128 printable ASCII without '|' (default: random).")
        String salt;

        @Override
        protected void run() throws Exception {
            List<VoteEntry> entries = readVotes(votes);
            if (salt != null) {
                Checks.salt(salt);
            }
            String me = client().clientAccountId();
            checkCommit(client().getTask(taskId), me, client().getVerifiers(taskId), entries);
            VoteBook book = book(root());
            VoteBook.Entry pending = book.prepare(taskId, me, entries, salt);
            Submitted<Verifier> s;
            try {
                s = client().commitVote(taskId, pending.commitment());
            } catch (LedgerException e) {
                if (e instanceof MarketRuleException) {
                    book.rejected(pending); // the ledger said no: the saved commitment, if any, stays
                }
                // otherwise the outcome is unknown: the pending entry stays for `verifier reveal`
                throw e;
            }
            book.accepted(pending);
            root().printSubmitted(s, verifierTable(s.value()));
        }
    }

    @Command(name = "reveal", mixinStandardHelpOptions = true,
            description = "Reveal the votes committed with `verifier commit` (or give --votes and --salt).",
            footer = {"", "Example:", "  fusionledger verifier reveal 3f1c...e9"})
    static final class Reveal extends FusionLedgerCli.Leaf {
        @Parameters(index = "0", paramLabel = "TASK_ID")
        String taskId;

        @Option(names = "--votes", paramLabel = "JSON|@FILE",
                description = "The committed votes, in the format of `verifier commit --votes`.")
        String votes;

        @Option(names = "--salt", description = "The committed salt.")
        String salt;

        @Override
        protected void run() throws Exception {
            List<VoteEntry> entries;
            String useSalt;
            if (votes != null || salt != null) {
                if (votes == null || salt == null) {
                    throw new IllegalArgumentException("votes/salt: give both --votes and --salt, or neither");
                }
                entries = readVotes(votes);
                useSalt = salt;
            } else {
                String me = client().clientAccountId();
                String onLedger = null;
                for (Verifier v : client().getVerifiers(taskId)) {
                    if (v.verifier().equals(me)) {
                        onLedger = v.commitment();
                    }
                }
                VoteBook book = book(root());
                var found = onLedger != null ? book.find(taskId, me, onLedger) : book.saved(taskId, me);
                if (found.isEmpty()) {
                    throw new IllegalArgumentException("votes: no saved commitment " + (onLedger == null ? "" : onLedger + " ")
                            + "for task " + taskId + " by this user in " + book.dir() + "; give --votes and --salt");
                }
                entries = found.get().votes();
                useSalt = found.get().salt();
            }
            var s = client().revealVote(taskId, entries, useSalt);
            root().printSubmitted(s, new Table("TASK", "VERIFIER", "VOTES", "COMMITMENT")
                    .row(s.value().taskId(), s.value().verifier(), s.value().votes().size(), s.value().commitment()));
        }
    }
}
