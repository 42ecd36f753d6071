package dev.fusionledger.client.audit;

import dev.fusionledger.ledger.AccessGrant;
import dev.fusionledger.ledger.Bid;
import dev.fusionledger.ledger.Checkpoint;
import dev.fusionledger.ledger.ContributorOutcome;
import dev.fusionledger.ledger.ContributorReason;
import dev.fusionledger.ledger.Settlement;
import dev.fusionledger.ledger.SettlementOutcome;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskSpec;
import dev.fusionledger.ledger.Verifier;
import dev.fusionledger.ledger.VerifierOutcome;
import dev.fusionledger.ledger.Vote;
import dev.fusionledger.ledger.VoteCommitment;
import dev.fusionledger.ledger.VoteEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Re-computes a task's settlement from its recorded bids, checkpoints and votes, independently of
 * the chaincode's code but on the shared ledger-api types, following the settlement rule of
 * docs/ledger-api.md ("Settlement rule"; Mendis et al. majority vote, Chamatidis et al. per-epoch
 * pay): strict majority of revealed votes with fitness ≥ MAFR, contribution ≥ minContributionBps
 * and own accuracy ≥ minOwnAccuracyBps (a rejection names the first criterion without a majority
 * of its own); pay {@code maxEarnings × epochsCompleted / maxEpochs} less the late penalty; slashed
 * stakes shared evenly among accepted contributors and revealing verifiers; silent verifiers'
 * stakes shared among revealing ones; remainders and unpaid escrow to the initiator. It compares
 * the result with the recorded settlement field by field, checks that the credits held for the
 * task equal the credits paid out (escrow in = payments + refunds + shared slashes) and that every
 * revealed vote opens its commitment. All arithmetic is checked ({@code Math.*Exact}): amounts that
 * would overflow a 64-bit credit count are reported as a mismatch, not wrapped.
 */
public final class SettlementCheck {

    private SettlementCheck() {
    }

    /**
     * The result of a re-check.
     *
     * @param expected   the recomputed settlement ({@code null} when there is none to check or it overflowed)
     * @param escrowIn   credits held for the task just before {@code Settle}: escrow + held stakes
     * @param escrowOut  credits the recorded settlement pays out
     * @param mismatches every difference found, empty when the settlement checks out
     */
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
        Settlement recorded = in.settlement();
        Settlement expected;
        long escrowIn;
        long escrowOut;
        try {
            expected = compute(in);
            compare(recorded, expected, mismatches);
            Map<String, Bid> bids = byKey(in.bids(), Bid::bidder);
            Map<String, Verifier> verifiers = byKey(in.verifiers(), Verifier::verifier);
            escrowIn = in.escrowBefore();
            for (String c : task.selectedBidders()) {
                escrowIn = Math.addExact(escrowIn, bids.containsKey(c) ? bids.get(c).stake() : 0);
            }
            for (String v : task.drawnVerifiers()) {
                escrowIn = Math.addExact(escrowIn, verifiers.containsKey(v) ? verifiers.get(v).stake() : 0);
            }
            escrowOut = recorded.initiatorRefund();
            for (ContributorOutcome c : recorded.contributors()) {
                escrowOut = Math.addExact(escrowOut, Math.addExact(Math.addExact(c.payment(), c.stakeReturned()), c.slashShare()));
            }
            for (VerifierOutcome v : recorded.verifiers()) {
                escrowOut = Math.addExact(escrowOut, Math.addExact(Math.addExact(v.feePaid(), v.stakeReturned()),
                        Math.addExact(v.slashShare(), v.forfeitShare())));
            }
        } catch (ArithmeticException e) {
            mismatches.add(new Mismatch("settlement", "arithmetic", "recorded amounts",
                    "overflow of a 64-bit credit count (" + e.getMessage() + ")"));
            return new Result(null, 0, 0, mismatches);
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

    /**
     * The settlement the rules give for {@code in}.
     *
     * @throws ArithmeticException when an amount overflows a 64-bit credit count (impossible for a
     *                             ledger whose inputs respect docs/ledger-api.md's limits)
     */
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
        long settledAt = in.settlement() == null ? 0 : in.settlement().settledAt();

        if (revealed.isEmpty()) {
            List<ContributorOutcome> cs = new ArrayList<>();
            for (String c : selected) {
                long stake = bids.containsKey(c) ? bids.get(c).stake() : 0;
                cs.add(new ContributorOutcome(c, false, ContributorReason.REFUNDED, finalModel(in.checkpoints(), c, epochs),
                        0, 0, 0, stake, 0, 0));
            }
            List<VerifierOutcome> vs = new ArrayList<>();
            for (String v : drawn) {
                long stake = verifiers.containsKey(v) ? verifiers.get(v).stake() : 0;
                vs.add(new VerifierOutcome(v, false, 0, stake, 0, 0, 0));
            }
            return new Settlement(task.taskId(), SettlementOutcome.REFUNDED, settledAt, epochs, revealed, silent, cs, vs,
                    0, 0, 0, 0, in.escrowBefore(), List.of());
        }

        record Draft(String contributor, boolean accepted, ContributorReason reason, String finalModel, int late,
                     int positive, long payment, long stake) {
        }
        List<Draft> drafts = new ArrayList<>();
        long slashPool = 0;
        long paid = 0;
        int n = revealed.size();
        for (String c : selected) {
            Bid bid = bids.get(c);
            long stake = bid == null ? 0 : bid.stake();
            long maxEarnings = bid == null ? 0 : bid.maxEarnings();
            String finalModel = finalModel(in.checkpoints(), c, epochs);
            int positive = 0;
            int fit = 0;
            int contribution = 0;
            int own = 0;
            for (String v : revealed) {
                for (VoteEntry e : votes.get(v).votes()) {
                    if (e.contributor().equals(c)) {
                        boolean f = e.fitnessBps() >= spec.mafrBps();
                        boolean k = e.contributionBps() >= spec.minContributionBps();
                        boolean o = e.ownAccuracyBps() >= spec.minOwnAccuracyBps();
                        fit += f ? 1 : 0;
                        contribution += k ? 1 : 0;
                        own += o ? 1 : 0;
                        positive += f && k && o ? 1 : 0;
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
            boolean majority = positive * 2 > n;
            boolean accepted = finalModel != null && majority;
            ContributorReason reason = finalModel == null ? ContributorReason.NO_FINAL_MODEL
                    : majority ? ContributorReason.ACCEPTED
                    : fit * 2 <= n ? ContributorReason.REJECTED_BY_FITNESS
                    : contribution * 2 <= n ? ContributorReason.REJECTED_BY_CONTRIBUTION
                    : own * 2 <= n ? ContributorReason.REJECTED_BY_OWN_ACCURACY
                    : ContributorReason.REJECTED_BY_VOTE;
            long payment = 0;
            if (accepted) {
                long base = Math.multiplyExact(maxEarnings, (long) epochs) / spec.maxEpochs();
                long penaltyBps = Math.min(10_000L, Math.multiplyExact((long) spec.latePenaltyBps(), late));
                payment = Math.subtractExact(base, lateDeduction(base, penaltyBps));
                paid = Math.addExact(paid, payment);
            } else {
                slashPool = Math.addExact(slashPool, stake);
            }
            drafts.add(new Draft(c, accepted, reason, finalModel, late, positive, payment, stake));
        }
        long acceptedCount = drafts.stream().filter(Draft::accepted).count();
        long recipients = Math.addExact(acceptedCount, n);
        long slashShare = slashPool / recipients;
        long slashRemainder = Math.subtractExact(slashPool, Math.multiplyExact(slashShare, recipients));
        long forfeitPool = 0;
        for (String v : silent) {
            forfeitPool = Math.addExact(forfeitPool, verifiers.containsKey(v) ? verifiers.get(v).stake() : 0);
        }
        long forfeitShare = forfeitPool / n;
        long forfeitRemainder = Math.subtractExact(forfeitPool, Math.multiplyExact(forfeitShare, (long) n));

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
        long fees = Math.multiplyExact(spec.verifierFee(), (long) n);
        long initiatorRefund = Math.addExact(Math.subtractExact(Math.subtractExact(in.escrowBefore(), paid), fees),
                Math.addExact(slashRemainder, forfeitRemainder));
        return new Settlement(task.taskId(), SettlementOutcome.SETTLED, settledAt, epochs, revealed, silent, cs, vs,
                slashPool, slashShare, forfeitPool, forfeitShare, initiatorRefund, grants);
    }

    /**
     * The late penalty {@code floor(base × rateBps / 10000)} for {@code 0 ≤ base}, {@code 0 ≤ rateBps ≤ 10000}
     * (docs/ledger-api.md, "Settlement rule"), computed over the quotient and remainder of
     * {@code base / 10000} so that {@code base × rateBps} (up to 10^19 for base 10^15, beyond a long)
     * is never formed; every step is checked.
     */
    static long lateDeduction(long base, long rateBps) {
        long q = base / 10_000L;
        long r = base % 10_000L;
        // base * rate / 10000 = q * rate + floor(r * rate / 10000), with r * rate < 10^8
        return Math.addExact(Math.multiplyExact(q, rateBps), Math.multiplyExact(r, rateBps) / 10_000L);
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
        boolean refunded = exp.outcome() == SettlementOutcome.REFUNDED;
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
