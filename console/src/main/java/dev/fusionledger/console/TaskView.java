package dev.fusionledger.console;

import dev.fusionledger.ledger.Bid;
import dev.fusionledger.ledger.Checkpoint;
import dev.fusionledger.ledger.ContributorOutcome;
import dev.fusionledger.ledger.Settlement;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskState;
import dev.fusionledger.ledger.Verifier;
import dev.fusionledger.ledger.Vote;
import dev.fusionledger.ledger.VoteEntry;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Everything the task page shows, read from the ledger in one request.
 *
 * @param me          the caller's account id
 * @param settlement  {@code null} before {@code Settle}
 * @param report      whether this console has a verification report of the task (the fused-accuracy chart)
 */
public record TaskView(Task task, List<Bid> bids, List<Verifier> verifiers, List<Checkpoint> checkpoints,
                       List<Vote> votes, Settlement settlement, String me, boolean report) {

    /** @return whether the caller announced the task */
    public boolean mine() {
        return task.initiator().equals(me);
    }

    /** @return epochs 1..n with a column in the checkpoint table (the current or last completed epoch) */
    public List<Integer> epochs() {
        int n = Math.max(task.currentEpoch(), task.epochsCompleted());
        for (Checkpoint c : checkpoints) {
            n = Math.max(n, c.epoch());
        }
        return IntStream.rangeClosed(1, n).boxed().toList();
    }

    /** @return contributors with a row in the checkpoint table: the selected ones and any that submitted */
    public List<String> contributors() {
        TreeSet<String> s = new TreeSet<>(task.selectedBidders());
        checkpoints.forEach(c -> s.add(c.contributor()));
        return List.copyOf(s);
    }

    /** @return the checkpoint of {@code contributor} for {@code epoch}, or {@code null} */
    public Checkpoint checkpoint(String contributor, int epoch) {
        for (Checkpoint c : checkpoints) {
            if (c.contributor().equals(contributor) && c.epoch() == epoch) {
                return c;
            }
        }
        return null;
    }

    /** @return the registered verifier record of a drawn verifier, or {@code null} */
    public Verifier verifier(String account) {
        for (Verifier v : verifiers) {
            if (v.verifier().equals(account)) {
                return v;
            }
        }
        return null;
    }

    /** @return drawn verifiers that committed a vote */
    public long committed() {
        return task.drawnVerifiers().stream().map(this::verifier).filter(v -> v != null && v.committedAt() > 0).count();
    }

    /** @return drawn verifiers that revealed their vote */
    public long revealed() {
        return task.drawnVerifiers().stream().map(this::verifier).filter(v -> v != null && v.revealed()).count();
    }

    /** @return the settlement outcome of {@code contributor}, or {@code null} */
    public ContributorOutcome outcome(String contributor) {
        if (settlement == null) {
            return null;
        }
        return settlement.contributors().stream().filter(o -> o.contributor().equals(contributor)).findFirst()
                .orElse(null);
    }

    /** @return whether the vote entry meets all three criteria of the task's spec */
    public boolean positive(VoteEntry e) {
        return e.fitnessBps() >= task.spec().mafrBps() && e.contributionBps() >= task.spec().minContributionBps()
                && e.ownAccuracyBps() >= task.spec().minOwnAccuracyBps();
    }

    /** @return the actions the caller may try now: register (as a verifier), resolve, end-epoch, settle */
    public List<String> actions() {
        TaskState s = task.state();
        if (s == TaskState.BIDDING && mine()) {
            return List.of("resolve");
        }
        if (s == TaskState.BIDDING && verifier(me) == null) {
            return List.of("register");
        }
        if (s == TaskState.TRAINING && mine()) {
            return List.of("end-epoch");
        }
        if (s == TaskState.VERIFYING) {
            return List.of("settle");
        }
        return List.of();
    }
}
