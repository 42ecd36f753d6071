package dev.fusionledger.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The settlement rule (docs/ledger-api.md, "Settlement rule"; Mendis et al. majority vote over MAFR,
 * Chamatidis et al. per-epoch pay, stake and slash, Fadaeddini et al. strikes) as a pure function
 * of the task's state just before {@code Settle}. The chaincode decides with it; it reads nothing
 * and writes nothing. All amounts are credits with checked arithmetic.
 *
 * <p>{@code R} = drawn verifiers that revealed. {@code R} empty: outcome REFUNDED, every stake back,
 * the whole escrow back to the initiator. Otherwise each selected contributor is judged by
 * {@link #tally}; accepted: {@code base = maxEarnings × epochsCompleted / maxEpochs},
 * {@code penalty = base × min(10000, latePenaltyBps × lateEpochs) / 10000} (floors),
 * {@code payment = base − penalty}, stake back; rejected: stake into the slash pool. The slash pool
 * is split evenly among accepted contributors and revealing verifiers, the silent verifiers' stakes
 * among revealing verifiers; remainders, unpaid rewards and unpaid fees go to the initiator.
 */
public final class SettlementRule {

    private SettlementRule() {
    }

    /**
     * The verdict on one contributor.
     *
     * @param positiveVotes revealed votes meeting every criterion
     * @param reason        ACCEPTED or the rejection, see {@link ContributorReason}
     */
    public record Verdict(int positiveVotes, ContributorReason reason) {
        /** @return whether the contributor is accepted */
        public boolean accepted() {
            return reason == ContributorReason.ACCEPTED;
        }
    }

    /**
     * The tally for one contributor: accepted when a strict majority of the {@code revealed} votes
     * has {@code fitnessBps ≥ mafrBps} and {@code contributionBps ≥ minContributionBps} and
     * {@code ownAccuracyBps ≥ minOwnAccuracyBps}; a revealing verifier without an entry for the
     * contributor votes against. A rejection names the first criterion (fitness, contribution,
     * own accuracy) without a strict majority of its own, else {@link ContributorReason#REJECTED_BY_VOTE}.
     *
     * @param revealed the votes of the revealing verifiers, {@code |R|} = its size (null entries: a revealing
     *                 verifier whose vote is missing, counts against)
     */
    public static Verdict tally(TaskSpec spec, String contributor, List<Vote> revealed) {
        int all = 0;
        int fitness = 0;
        int contribution = 0;
        int own = 0;
        for (Vote v : revealed) {
            if (v == null) {
                continue;
            }
            for (VoteEntry e : v.votes()) {
                if (!e.contributor().equals(contributor)) {
                    continue;
                }
                boolean f = e.fitnessBps() >= spec.mafrBps();
                boolean c = e.contributionBps() >= spec.minContributionBps();
                boolean o = e.ownAccuracyBps() >= spec.minOwnAccuracyBps();
                fitness += f ? 1 : 0;
                contribution += c ? 1 : 0;
                own += o ? 1 : 0;
                all += f && c && o ? 1 : 0;
            }
        }
        int n = revealed.size();
        ContributorReason reason;
        if (2L * all > n) {
            reason = ContributorReason.ACCEPTED;
        } else if (2L * fitness <= n) {
            reason = ContributorReason.REJECTED_BY_FITNESS;
        } else if (2L * contribution <= n) {
            reason = ContributorReason.REJECTED_BY_CONTRIBUTION;
        } else if (2L * own <= n) {
            reason = ContributorReason.REJECTED_BY_OWN_ACCURACY;
        } else {
            reason = ContributorReason.REJECTED_BY_VOTE;
        }
        return new Verdict(all, reason);
    }

    /**
     * @return {@code base × rateBps / 10000}, floor, without overflow for {@code base ≤ 10^15} and
     *     {@code rateBps ≤ 10000} (where {@code base × rateBps} itself would overflow a long)
     */
    public static long penalty(long base, long rateBps) {
        return Math.addExact(Math.multiplyExact(base / 10_000L, rateBps), Math.multiplyExact(base % 10_000L, rateBps) / 10_000L);
    }

    /**
     * Settles {@code task} (state VERIFYING) from its records.
     *
     * @param bids        the task's bids; those {@code SELECTED} are settled
     * @param verifiers   the task's verifiers; those {@code DRAWN} are settled, revealed iff {@code revealedAt > 0}
     * @param checkpoints the task's checkpoints
     * @param votes       the task's revealed votes
     * @param settledAt   the settling transaction's time, epoch seconds
     * @return the settlement, lists sorted by account id
     * @throws IllegalStateException when the escrow would go negative (inconsistent records)
     * @throws ArithmeticException   on overflow (impossible within {@link Limits})
     */
    public static Settlement settle(Task task, List<Bid> bids, List<Verifier> verifiers, List<Checkpoint> checkpoints,
                                    List<Vote> votes, long settledAt) {
        TaskSpec spec = task.spec();
        int epochs = task.epochsCompleted();
        SortedMap<String, Bid> selected = new TreeMap<>();
        for (Bid b : bids) {
            if (b.status() == BidStatus.SELECTED) {
                selected.put(b.bidder(), b);
            }
        }
        SortedMap<String, Verifier> drawn = new TreeMap<>();
        for (Verifier v : verifiers) {
            if (v.status() == VerifierStatus.DRAWN) {
                drawn.put(v.verifier(), v);
            }
        }
        Map<String, Map<Integer, Checkpoint>> cps = new HashMap<>();
        for (Checkpoint c : checkpoints) {
            cps.computeIfAbsent(c.contributor(), k -> new HashMap<>()).put(c.epoch(), c);
        }
        Map<String, Vote> byVerifier = new HashMap<>();
        for (Vote v : votes) {
            byVerifier.put(v.verifier(), v);
        }
        List<String> revealed = new ArrayList<>();
        List<String> silent = new ArrayList<>();
        for (Verifier v : drawn.values()) {
            (v.revealed() ? revealed : silent).add(v.verifier());
        }
        List<ContributorOutcome> contributors = new ArrayList<>();
        List<VerifierOutcome> verifierOutcomes = new ArrayList<>();
        long escrowLeft = task.escrow();

        if (revealed.isEmpty()) {
            for (Bid b : selected.values()) {
                contributors.add(new ContributorOutcome(b.bidder(), false, ContributorReason.REFUNDED,
                        finalModel(cps, b.bidder(), epochs), 0, 0, 0, b.stake(), 0, 0));
            }
            for (Verifier v : drawn.values()) {
                verifierOutcomes.add(new VerifierOutcome(v.verifier(), false, 0, v.stake(), 0, 0, 0));
            }
            return new Settlement(task.taskId(), SettlementOutcome.REFUNDED, settledAt, epochs, revealed, silent,
                    contributors, verifierOutcomes, 0, 0, 0, 0, escrowLeft, List.of());
        }

        List<Vote> revealedVotes = new ArrayList<>();
        for (String v : revealed) {
            revealedVotes.add(byVerifier.get(v));
        }
        record Judged(Bid bid, String finalModel, int late, Verdict verdict, long payment) {
        }
        List<Judged> judged = new ArrayList<>();
        long slashPool = 0;
        int acceptedCount = 0;
        for (Bid b : selected.values()) {
            String finalModel = finalModel(cps, b.bidder(), epochs);
            Map<Integer, Checkpoint> mine = cps.getOrDefault(b.bidder(), Map.of());
            int late = 0;
            for (int e = 1; e <= epochs; e++) {
                Checkpoint c = mine.get(e);
                if (c == null || c.late()) {
                    late++;
                }
            }
            Verdict verdict = tally(spec, b.bidder(), revealedVotes);
            if (finalModel == null) {
                verdict = new Verdict(verdict.positiveVotes(), ContributorReason.NO_FINAL_MODEL);
            }
            long payment = 0;
            if (verdict.accepted()) {
                long base = Math.multiplyExact(b.maxEarnings(), (long) epochs) / spec.maxEpochs();
                long rate = Math.min(10_000L, Math.multiplyExact((long) spec.latePenaltyBps(), late));
                payment = Math.subtractExact(base, penalty(base, rate));
                escrowLeft = Math.subtractExact(escrowLeft, payment);
                acceptedCount++;
            } else {
                slashPool = Math.addExact(slashPool, b.stake());
            }
            judged.add(new Judged(b, finalModel, late, verdict, payment));
        }
        long forfeitPool = 0;
        for (Verifier v : drawn.values()) {
            if (!v.revealed()) {
                forfeitPool = Math.addExact(forfeitPool, v.stake());
            }
        }
        long recipients = (long) acceptedCount + revealed.size();
        long slashShare = slashPool / recipients;
        long forfeitShare = forfeitPool / revealed.size();
        long remainder = Math.addExact(slashPool - Math.multiplyExact(slashShare, recipients),
                forfeitPool - Math.multiplyExact(forfeitShare, (long) revealed.size()));
        List<AccessGrant> grants = new ArrayList<>();
        for (Judged j : judged) {
            boolean ok = j.verdict().accepted();
            contributors.add(new ContributorOutcome(j.bid().bidder(), ok, j.verdict().reason(), j.finalModel(), j.late(),
                    j.verdict().positiveVotes(), j.payment(), ok ? j.bid().stake() : 0, ok ? 0 : j.bid().stake(),
                    ok ? slashShare : 0));
            if (ok) {
                grants.add(new AccessGrant(j.bid().bidder(), j.finalModel()));
            }
        }
        for (Verifier v : drawn.values()) {
            if (v.revealed()) {
                escrowLeft = Math.subtractExact(escrowLeft, spec.verifierFee());
                verifierOutcomes.add(new VerifierOutcome(v.verifier(), true, spec.verifierFee(), v.stake(), 0,
                        slashShare, forfeitShare));
            } else {
                verifierOutcomes.add(new VerifierOutcome(v.verifier(), false, 0, 0, v.stake(), 0, 0));
            }
        }
        if (escrowLeft < 0) {
            throw new IllegalStateException("escrow of task " + task.taskId() + " would go negative");
        }
        return new Settlement(task.taskId(), SettlementOutcome.SETTLED, settledAt, epochs, revealed, silent,
                contributors, verifierOutcomes, slashPool, slashShare, forfeitPool, forfeitShare,
                Math.addExact(escrowLeft, remainder), grants);
    }

    /**
     * @return the credits each account receives from {@code settlement} of a task initiated by
     *     {@code initiator}, by account id: contributors {@code payment + stakeReturned + slashShare},
     *     verifiers {@code feePaid + stakeReturned + slashShare + forfeitShare}, the initiator
     *     {@code initiatorRefund}; zero amounts are left out
     */
    public static SortedMap<String, Long> payouts(String initiator, Settlement settlement) {
        SortedMap<String, Long> pay = new TreeMap<>();
        for (ContributorOutcome c : settlement.contributors()) {
            add(pay, c.contributor(), Math.addExact(Math.addExact(c.payment(), c.stakeReturned()), c.slashShare()));
        }
        for (VerifierOutcome v : settlement.verifiers()) {
            add(pay, v.verifier(), Math.addExact(Math.addExact(v.feePaid(), v.stakeReturned()),
                    Math.addExact(v.slashShare(), v.forfeitShare())));
        }
        add(pay, initiator, settlement.initiatorRefund());
        pay.values().removeIf(v -> v == 0);
        return pay;
    }

    private static void add(Map<String, Long> pay, String who, long amount) {
        pay.merge(who, amount, Math::addExact);
    }

    private static String finalModel(Map<String, Map<Integer, Checkpoint>> cps, String who, int epoch) {
        Checkpoint c = cps.getOrDefault(who, Map.of()).get(epoch);
        return c == null ? null : c.modelHash();
    }
}
