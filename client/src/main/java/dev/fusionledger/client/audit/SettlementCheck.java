package dev.fusionledger.client.audit;

import dev.fusionledger.client.commitment.VoteCommitment;
import dev.fusionledger.client.commitment.VoteEntry;
import dev.fusionledger.client.state.AccessGrant;
import dev.fusionledger.client.state.Bid;
import dev.fusionledger.client.state.Checkpoint;
import dev.fusionledger.client.state.ContributorOutcome;
import dev.fusionledger.client.state.Settlement;
import dev.fusionledger.client.state.Task;
import dev.fusionledger.client.state.TaskSpec;
import dev.fusionledger.client.state.Verifier;
import dev.fusionledger.client.state.VerifierOutcome;
import dev.fusionledger.client.state.Vote;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Re-computes a task's settlement from its recorded bids, checkpoints and votes, independently of
 * the chaincode, following the settlement rule of docs/ledger-api.md (design §3.7: strict majority
 * of revealed votes with fitness ≥ MAFR and contribution ≥ the minimum; pay
 * {@code maxEarnings × epochsCompleted / maxEpochs} less the late penalty; slashed stakes shared
 * evenly among accepted contributors and revealing verifiers; silent verifiers' stakes shared among
 * revealing ones; remainders and unpaid escrow to the initiator), and compares it with the recorded
 * settlement field by field. It also checks that the credits held for the task equal the credits
 * paid out (escrow in = payments + refunds + shared slashes) and that every revealed vote opens its
 * commitment.
 */
public final class SettlementCheck {

    private SettlementCheck() {
    }

    /** The result of a re-check. */
    public record Result(Settlement expected, long escrowIn, long escrowOut, List<Mismatch> mismatches) {
    }

    /** Re-checks {@code in}; a task without a recorded settlement yields only vote checks. */
    public static Result recheck(AuditInput in) {
        List<Mismatch> mismatches = new ArrayList<>();
        Task task = in.task();
        checkVotes(task.taskId(), in.votes(), in.verifiers(), mismatches);
        if (in.settlement() == null) {
            return new Result(null, 0, 0, mismatches);
        }
        Settlement expected = compute(in);
        Settlement recorded = in.settlement();
        compare(recorded, expected, mismatches);

        Map<String, Bid> bids = byKey(in.bids(), Bid::bidder);
        Map<String, Verifier> verifiers = byKey(in.verifiers(), Verifier::verifier);
        long escrowIn = in.escrowBefore();
        for (String c : task.selectedBidders()) {
            escrowIn += bids.containsKey(c) ? bids.get(c).stake() : 0;
        }
        for (String v : task.drawnVerifiers()) {
            escrowIn += verifiers.containsKey(v) ? verifiers.get(v).stake() : 0;
        }
        long escrowOut = recorded.initiatorRefund();
        for (ContributorOutcome c : recorded.contributors()) {
            escrowOut += c.payment() + c.stakeReturned() + c.slashShare();
        }
        for (VerifierOutcome v : recorded.verifiers()) {
            escrowOut += v.feePaid() + v.stakeReturned() + v.slashShare() + v.forfeitShare();
        }
        if (escrowIn != escrowOut) {
            mismatches.add(new Mismatch("escrow", "escrowOut", Long.toString(escrowOut), Long.toString(escrowIn)));
        }
        return new Result(expected, escrowIn, escrowOut, mismatches);
    }

    private static void checkVotes(String taskId, List<Vote> votes, List<Verifier> verifiers, List<Mismatch> out) {
        Map<String, Verifier> byId = byKey(verifiers, Verifier::verifier);
        for (Vote v : votes) {
            String c;
            try {
                c = VoteCommitment.commitment(taskId, v.verifier(), v.votes(), v.salt());
            } catch (IllegalArgumentException e) {
                out.add(new Mismatch("vote " + v.verifier(), "votes", "unreadable", e.getMessage()));
                continue;
            }
            if (!c.equals(v.commitment())) {
                out.add(new Mismatch("vote " + v.verifier(), "commitment", v.commitment(), c));
            }
            Verifier ver = byId.get(v.verifier());
            if (ver != null && ver.commitment() != null && !ver.commitment().equals(v.commitment())) {
                out.add(new Mismatch("vote " + v.verifier(), "committed", ver.commitment(), v.commitment()));
            }
        }
    }

    /** The settlement the rules give for {@code in}. */
    public static Settlement compute(AuditInput in) {
        Task task = in.task();
        TaskSpec spec = task.spec();
        Map<String, Bid> bids = byKey(in.bids(), Bid::bidder);
        Map<String, Verifier> verifiers = byKey(in.verifiers(), Verifier::verifier);
        Map<String, Vote> votes = byKey(in.votes(), Vote::verifier);
        int epochs = task.epochsCompleted();

        List<String> drawn = new ArrayList<>(new TreeSet<>(task.drawnVerifiers()));
        List<String> revealed = new ArrayList<>();
        List<String> silent = new ArrayList<>();
        for (String v : drawn) {
            Verifier ver = verifiers.get(v);
            if (ver != null && ver.revealedAt() > 0 && votes.containsKey(v)) {
                revealed.add(v);
            } else {
                silent.add(v);
            }
        }
        List<String> selected = new ArrayList<>(new TreeSet<>(task.selectedBidders()));
        String settledOutcome = revealed.isEmpty() ? "REFUNDED" : "SETTLED";
        long settledAt = in.settlement() == null ? 0 : in.settlement().settledAt();

        if (revealed.isEmpty()) {
            List<ContributorOutcome> cs = new ArrayList<>();
            for (String c : selected) {
                long stake = bids.containsKey(c) ? bids.get(c).stake() : 0;
                cs.add(new ContributorOutcome(c, false, "REFUNDED", finalModel(in.checkpoints(), c, epochs),
                        0, 0, 0, stake, 0, 0));
            }
            List<VerifierOutcome> vs = new ArrayList<>();
            for (String v : drawn) {
                long stake = verifiers.containsKey(v) ? verifiers.get(v).stake() : 0;
                vs.add(new VerifierOutcome(v, false, 0, stake, 0, 0, 0));
            }
            return new Settlement(task.taskId(), settledOutcome, settledAt, epochs, revealed, silent, cs, vs,
                    0, 0, 0, 0, in.escrowBefore(), List.of());
        }

        record Draft(String contributor, boolean accepted, String reason, String finalModel, int late, int positive,
                     long payment, long stake) {
        }
        List<Draft> drafts = new ArrayList<>();
        long slashPool = 0;
        long paid = 0;
        for (String c : selected) {
            Bid bid = bids.get(c);
            long stake = bid == null ? 0 : bid.stake();
            long maxEarnings = bid == null ? 0 : bid.maxEarnings();
            String finalModel = finalModel(in.checkpoints(), c, epochs);
            int positive = 0;
            for (String v : revealed) {
                for (VoteEntry e : votes.get(v).votes()) {
                    if (e.contributor().equals(c) && e.fitnessBps() >= spec.mafrBps()
                            && e.contributionBps() >= spec.minContributionBps()) {
                        positive++;
                    }
                }
            }
            int late = 0;
            for (int epoch = 1; epoch <= epochs; epoch++) {
                Checkpoint cp = checkpoint(in.checkpoints(), c, epoch);
                if (cp == null || cp.late()) {
                    late++;
                }
            }
            boolean accepted = finalModel != null && positive * 2 > revealed.size();
            String reason = finalModel == null ? "NO_FINAL_MODEL" : accepted ? "ACCEPTED" : "REJECTED_BY_VOTE";
            long payment = 0;
            if (accepted) {
                long base = Math.multiplyExact(maxEarnings, epochs) / spec.maxEpochs();
                long penaltyBps = Math.min(10_000L, (long) spec.latePenaltyBps() * late);
                payment = base - Math.multiplyExact(base, penaltyBps) / 10_000;
                paid += payment;
            } else {
                slashPool += stake;
            }
            drafts.add(new Draft(c, accepted, reason, finalModel, late, positive, payment, stake));
        }
        long acceptedCount = drafts.stream().filter(Draft::accepted).count();
        long recipients = acceptedCount + revealed.size();
        long slashShare = recipients == 0 ? 0 : slashPool / recipients;
        long slashRemainder = slashPool - slashShare * recipients;
        long forfeitPool = 0;
        for (String v : silent) {
            forfeitPool += verifiers.containsKey(v) ? verifiers.get(v).stake() : 0;
        }
        long forfeitShare = forfeitPool / revealed.size();
        long forfeitRemainder = forfeitPool - forfeitShare * revealed.size();

        List<ContributorOutcome> cs = new ArrayList<>();
        List<AccessGrant> grants = new ArrayList<>();
        for (Draft d : drafts) {
            cs.add(new ContributorOutcome(d.contributor(), d.accepted(), d.reason(), d.finalModel(), d.late(),
                    d.positive(), d.payment(), d.accepted() ? d.stake() : 0, d.accepted() ? 0 : d.stake(),
                    d.accepted() ? slashShare : 0));
            if (d.accepted()) {
                grants.add(new AccessGrant(d.contributor(), d.finalModel()));
            }
        }
        List<VerifierOutcome> vs = new ArrayList<>();
        for (String v : drawn) {
            long stake = verifiers.containsKey(v) ? verifiers.get(v).stake() : 0;
            boolean r = revealed.contains(v);
            vs.add(r ? new VerifierOutcome(v, true, spec.verifierFee(), stake, 0, slashShare, forfeitShare)
                    : new VerifierOutcome(v, false, 0, 0, stake, 0, 0));
        }
        long initiatorRefund = in.escrowBefore() - paid - spec.verifierFee() * revealed.size()
                + slashRemainder + forfeitRemainder;
        return new Settlement(task.taskId(), settledOutcome, settledAt, epochs, revealed, silent, cs, vs,
                slashPool, slashShare, forfeitPool, forfeitShare, initiatorRefund, grants);
    }

    private static String finalModel(List<Checkpoint> checkpoints, String contributor, int epoch) {
        Checkpoint cp = checkpoint(checkpoints, contributor, epoch);
        return cp == null ? null : cp.modelHash();
    }

    private static Checkpoint checkpoint(List<Checkpoint> checkpoints, String contributor, int epoch) {
        for (Checkpoint cp : checkpoints) {
            if (cp.contributor().equals(contributor) && cp.epoch() == epoch) {
                return cp;
            }
        }
        return null;
    }

    private static <T> Map<String, T> byKey(List<T> items, java.util.function.Function<T, String> key) {
        Map<String, T> m = new HashMap<>();
        for (T t : items) {
            m.put(key.apply(t), t);
        }
        return m;
    }

    private static void compare(Settlement rec, Settlement exp, List<Mismatch> out) {
        boolean refunded = "REFUNDED".equals(exp.outcome());
        field(out, "settlement", "outcome", rec.outcome(), exp.outcome());
        field(out, "settlement", "epochsCompleted", rec.epochsCompleted(), exp.epochsCompleted());
        field(out, "settlement", "revealedVerifiers", rec.revealedVerifiers(), exp.revealedVerifiers());
        field(out, "settlement", "silentVerifiers", rec.silentVerifiers(), exp.silentVerifiers());
        field(out, "settlement", "slashPool", rec.slashPool(), exp.slashPool());
        field(out, "settlement", "slashShare", rec.slashShare(), exp.slashShare());
        field(out, "settlement", "forfeitPool", rec.forfeitPool(), exp.forfeitPool());
        field(out, "settlement", "forfeitShare", rec.forfeitShare(), exp.forfeitShare());
        field(out, "settlement", "initiatorRefund", rec.initiatorRefund(), exp.initiatorRefund());
        if (!refunded) {
            field(out, "settlement", "accessGrants", rec.accessGrants(), exp.accessGrants());
        }
        Map<String, ContributorOutcome> recC = byKey(rec.contributors(), ContributorOutcome::contributor);
        for (ContributorOutcome e : exp.contributors()) {
            ContributorOutcome r = recC.remove(e.contributor());
            if (r == null) {
                out.add(new Mismatch(e.contributor(), "contributor", "missing", "selected contributor"));
                continue;
            }
            String s = e.contributor();
            if (!refunded) {
                field(out, s, "accepted", r.accepted(), e.accepted());
                field(out, s, "reason", r.reason(), e.reason());
                field(out, s, "finalModelHash", r.finalModelHash(), e.finalModelHash());
                field(out, s, "lateEpochs", r.lateEpochs(), e.lateEpochs());
                field(out, s, "positiveVotes", r.positiveVotes(), e.positiveVotes());
            }
            field(out, s, "payment", r.payment(), e.payment());
            field(out, s, "stakeReturned", r.stakeReturned(), e.stakeReturned());
            field(out, s, "slashed", r.slashed(), e.slashed());
            field(out, s, "slashShare", r.slashShare(), e.slashShare());
        }
        for (String extra : recC.keySet()) {
            out.add(new Mismatch(extra, "contributor", "settled", "not a selected contributor"));
        }
        Map<String, VerifierOutcome> recV = byKey(rec.verifiers(), VerifierOutcome::verifier);
        for (VerifierOutcome e : exp.verifiers()) {
            VerifierOutcome r = recV.remove(e.verifier());
            if (r == null) {
                out.add(new Mismatch(e.verifier(), "verifier", "missing", "drawn verifier"));
                continue;
            }
            String s = e.verifier();
            if (!refunded) {
                field(out, s, "revealed", r.revealed(), e.revealed());
            }
            field(out, s, "feePaid", r.feePaid(), e.feePaid());
            field(out, s, "stakeReturned", r.stakeReturned(), e.stakeReturned());
            field(out, s, "stakeForfeited", r.stakeForfeited(), e.stakeForfeited());
            field(out, s, "slashShare", r.slashShare(), e.slashShare());
            field(out, s, "forfeitShare", r.forfeitShare(), e.forfeitShare());
        }
        for (String extra : recV.keySet()) {
            out.add(new Mismatch(extra, "verifier", "settled", "not a drawn verifier"));
        }
    }

    private static void field(List<Mismatch> out, String subject, String field, Object recorded, Object expected) {
        if (!Objects.equals(recorded, expected)) {
            out.add(new Mismatch(subject, field, String.valueOf(recorded), String.valueOf(expected)));
        }
    }
}
