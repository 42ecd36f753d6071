package dev.fusionledger.client.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.fusionledger.client.store.Hashes;
import dev.fusionledger.ledger.Checks;
import dev.fusionledger.ledger.Verifier;
import dev.fusionledger.ledger.VoteCommitment;
import dev.fusionledger.ledger.VoteEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
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

    /** Where the votes and salt of a commitment are kept until the reveal. */
    static Path saved(FusionLedgerCli root, String taskId, String accountId) {
        String name = Hashes.sha256Hex((taskId + "|" + accountId).getBytes(StandardCharsets.UTF_8)) + ".json";
        return root.stateDir().resolve("votes").resolve(name);
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
                "The votes and the salt are kept in the CLI state directory for `verifier reveal`."},
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
            String useSalt = salt != null ? salt : VoteCommitment.newSalt();
            Checks.salt(useSalt);
            String me = client().clientAccountId();
            String commitment = VoteCommitment.commitment(taskId, me, entries, useSalt);
            Path file = saved(root(), taskId, me);
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "votes", ".tmp");
            Files.writeString(tmp, FusionLedgerCli.JSON.writeValueAsString(Map.of("taskId", taskId, "votes", entries,
                    "salt", useSalt, "commitment", commitment)));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            var s = client().commitVote(taskId, commitment);
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
                Path file = saved(root(), taskId, client().clientAccountId());
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("votes: no saved commitment for task " + taskId
                            + " by this user in " + root().stateDir() + "; give --votes and --salt");
                }
                var n = FusionLedgerCli.JSON.readTree(file.toFile());
                entries = FusionLedgerCli.JSON.convertValue(n.get("votes"), VOTES);
                useSalt = n.get("salt").asText();
            }
            var s = client().revealVote(taskId, entries, useSalt);
            root().printSubmitted(s, new Table("TASK", "VERIFIER", "VOTES", "COMMITMENT")
                    .row(s.value().taskId(), s.value().verifier(), s.value().votes().size(), s.value().commitment()));
        }
    }
}
