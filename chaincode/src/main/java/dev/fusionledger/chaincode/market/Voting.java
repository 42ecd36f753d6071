package dev.fusionledger.chaincode.market;

import dev.fusionledger.ledger.Checks;
import dev.fusionledger.ledger.MarketException;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskState;
import dev.fusionledger.ledger.Verifier;
import dev.fusionledger.ledger.VerifierStatus;
import dev.fusionledger.ledger.Vote;
import dev.fusionledger.ledger.VoteCommitment;
import dev.fusionledger.ledger.VoteEntry;
import java.util.List;

/** Commit–reveal of the drawn verifiers' votes (docs/ledger-api.md, "Vote commitment"; the format: {@link VoteCommitment}). */
final class Voting {
    private final Tx tx;

    Voting(Tx tx) {
        this.tx = tx;
    }

    Verifier commitVote(String taskId, String commitment) {
        String cm = Checks.hash("commitment", commitment);
        Task t = tx.task(taskId);
        Tx.requireState(t, TaskState.VERIFYING);
        Verifier v = drawnVerifier(t);
        if (v.commitment() != null) {
            throw MarketException.exists("commitment", "the verifier committed already");
        }
        long now = tx.now();
        if (now > t.commitDeadline()) {
            throw MarketException.precondition("commitDeadline", "commits closed at " + t.commitDeadline() + ", now " + now);
        }
        Verifier c = v.withCommitment(cm, now);
        tx.store.put(tx.keys.verifier(t.taskId(), v.verifier()), c);
        return tx.emit("CommitVote", c);
    }

    Vote revealVote(String taskId, String votesJson, String salt) {
        String s = Checks.salt(salt);
        List<VoteEntry> votes = VoteCommitment.parseVotes(votesJson);
        Task t = tx.task(taskId);
        Tx.requireState(t, TaskState.VERIFYING);
        Verifier v = drawnVerifier(t);
        if (v.commitment() == null) {
            throw MarketException.precondition("commitment", "the verifier did not commit");
        }
        if (v.revealed()) {
            throw MarketException.exists("vote", "the verifier revealed already");
        }
        long now = tx.now();
        if (now <= t.commitDeadline() && !allDrawn(t, true)) {
            throw MarketException.precondition("commitDeadline", "reveals open when every drawn verifier committed or at "
                    + t.commitDeadline() + ", now " + now);
        }
        if (now > t.revealDeadline()) {
            throw MarketException.precondition("revealDeadline", "reveals closed at " + t.revealDeadline() + ", now " + now);
        }
        for (VoteEntry e : votes) {
            if (!t.selectedBidders().contains(e.contributor())) {
                throw MarketException.invalid("votesJson", "'" + Checks.clip(e.contributor()) + "' is not a selected contributor");
            }
        }
        String expected = VoteCommitment.commitment(t.taskId(), v.verifier(), votes, s);
        if (!expected.equals(v.commitment())) {
            throw MarketException.invalid("votesJson", "votes and salt do not match the commitment " + v.commitment());
        }
        tx.store.put(tx.keys.verifier(t.taskId(), v.verifier()), v.withRevealedAt(now));
        Vote vote = new Vote(t.taskId(), v.verifier(), votes, s, v.commitment(), now);
        tx.store.put(tx.keys.vote(t.taskId(), v.verifier()), vote);
        return tx.emit("RevealVote", vote);
    }

    /** @return whether every drawn verifier has committed ({@code committed}) or revealed */
    boolean allDrawn(Task t, boolean committed) {
        for (String id : t.drawnVerifiers()) {
            Verifier v = tx.store.get(tx.keys.verifier(t.taskId(), id), Verifier.class);
            if (v == null || (committed ? v.commitment() == null : !v.revealed())) {
                return false;
            }
        }
        return true;
    }

    private Verifier drawnVerifier(Task t) {
        Verifier v = tx.store.get(tx.keys.verifier(t.taskId(), tx.me()), Verifier.class);
        if (v == null || v.status() != VerifierStatus.DRAWN) {
            throw MarketException.denied("caller", "only drawn verifiers of task " + t.taskId() + " vote");
        }
        return v;
    }
}
