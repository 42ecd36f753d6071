package dev.fusionledger.demo.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fusionledger.agent.contributor.ContributorRole;
import dev.fusionledger.agent.contributor.Training;
import dev.fusionledger.agent.model.CnnModel;
import dev.fusionledger.agent.verifier.Verification;
import dev.fusionledger.agent.verifier.VerifierRole;
import dev.fusionledger.client.VoteBook;
import dev.fusionledger.client.AlreadyExistsException;
import dev.fusionledger.client.ConnectionProfile;
import dev.fusionledger.client.EndorseFailedException;
import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.HistoryKind;
import dev.fusionledger.client.LedgerException;
import dev.fusionledger.client.PermissionDeniedException;
import dev.fusionledger.client.Submitted;
import dev.fusionledger.client.audit.Auditor;
import dev.fusionledger.client.audit.TaskAudit;
import dev.fusionledger.ledger.VoteEntry;
import dev.fusionledger.ledger.Bid;
import dev.fusionledger.ledger.Checkpoint;
import dev.fusionledger.ledger.ContributorOutcome;
import dev.fusionledger.ledger.HistoryEntry;
import dev.fusionledger.ledger.Settlement;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskSpec;
import dev.fusionledger.ledger.TaskState;
import dev.fusionledger.ledger.Totals;
import dev.fusionledger.ledger.VerifierOutcome;
import dev.fusionledger.client.seal.ContributorKeys;
import dev.fusionledger.demo.data.Split;
import dev.fusionledger.agent.model.CnnArchitecture;
import dev.fusionledger.agent.model.CnnModel;
import dev.fusionledger.demo.model.ContributorTrainer;
import dev.fusionledger.demo.model.Scenario;
import dev.fusionledger.demo.model.TrainingConfig;
import dev.fusionledger.demo.model.TrainingResult;
import dev.fusionledger.demo.run.DemoResult.ContributorRow;
import dev.fusionledger.demo.run.DemoResult.ScenarioResult;
import dev.fusionledger.demo.run.DemoResult.VerifierRow;
import dev.fusionledger.demo.run.DemoRunner.Context;
import dev.fusionledger.demo.run.DemoRunner.Party;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.fusionledger.demo.run.DemoRunner.CONTRIBUTORS;
import static dev.fusionledger.demo.run.DemoRunner.FREE_RIDERS;
import static dev.fusionledger.demo.run.DemoRunner.PRICES;
import static dev.fusionledger.demo.run.DemoRunner.VERIFIERS;
import static dev.fusionledger.demo.run.DemoRunner.bps;
import static dev.fusionledger.demo.run.DemoRunner.since;

/** One scenario of the demo = one task on the ledger, from announcement to audit. */
final class ScenarioRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One ledger submission, repeatable as a fresh transaction. */
    @FunctionalInterface
    interface LedgerCall<T> {
        Submitted<T> submit() throws LedgerException;
    }

    private final Context ctx;
    private final DemoConfig cfg;
    private final Scenario scenario;
    private final String name;
    private final Map<String, Party> parties;
    private final SealedSteps sealedSteps;
    private final Map<String, String> txIds = new LinkedHashMap<>();
    private final Map<String, Double> phases = new LinkedHashMap<>();

    ScenarioRun(Context ctx, Scenario scenario) {
        this.ctx = ctx;
        this.cfg = ctx.cfg();
        this.scenario = scenario;
        this.name = "scenario " + DemoRunner.scenarioName(scenario);
        this.parties = ctx.parties();
        this.sealedSteps = new SealedSteps(ctx, DemoRunner.scenarioName(scenario), name);
    }

    /**
     * Submits through {@code call}; an endorsement failure (nothing was ordered, e.g. the chaincode
     * JVM being redeployed) is retried up to 5 times, 3 s apart, each a fresh transaction.
     */
    private <T> T tx(String step, LedgerCall<T> call) throws LedgerException, InterruptedException {
        Submitted<T> s = null;
        for (int attempt = 1; s == null; attempt++) {
            try {
                s = call.submit();
            } catch (EndorseFailedException e) {
                if (attempt >= 5) {
                    throw e;
                }
                ctx.log(name, step + ": endorsement failed (" + e.getMessage() + "), retrying in 3 s");
                Thread.sleep(3000);
            }
        }
        txIds.put(step, s.transactionId());
        ctx.log(name, String.format(Locale.ROOT, "%-22s tx %s block %d", step, s.transactionId().substring(0, 16),
                s.blockNumber()));
        return s.value();
    }

    /** A role's step that submits one transaction: retried like {@link #tx}, its transaction recorded under {@code step}. */
    private <T> T step(String step, RoleCall<T> call, java.util.function.Function<T, String> txOf) throws Exception {
        T out = null;
        for (int attempt = 1; out == null; attempt++) {
            try {
                out = call.step();
            } catch (EndorseFailedException e) {
                if (attempt >= 5) {
                    throw e;
                }
                ctx.log(name, step + ": endorsement failed (" + e.getMessage() + "), retrying in 3 s");
                Thread.sleep(3000);
            }
        }
        String id = txOf.apply(out);
        if (id != null) {
            synchronized (txIds) {
                txIds.put(step, id);
            }
            ctx.log(name, String.format(Locale.ROOT, "%-22s tx %s", step, id.substring(0, 16)));
        }
        return out;
    }

    private String step(String step, RoleCall<String> call) throws Exception {
        return step(step, call, id -> id);
    }

    /** One step of a role. */
    @FunctionalInterface
    interface RoleCall<T> {
        T step() throws Exception;
    }

    /** Data points a contributor bids: its training split's size (a free rider claims its victim's or C1's). */
    private long dataPoints(String id) {
        String owner = FREE_RIDERS.containsKey(id) ? DemoRunner.VICTIMS.getOrDefault(id, "C1") : id;
        return ctx.partition().training(owner).size();
    }

    ScenarioResult run() throws Exception {
        long t = System.nanoTime();
        Party initiator = parties.get("initiator");
        // ---- announce, bid, register, resolve
        String recommended = null;
        if (scenario == Scenario.ALL_C1) {
            try (CnnModel untrained = CnnModel.untrained(CnnArchitecture.C1, cfg.seed())) {
                recommended = ctx.store("initiator").put(untrained.toArtifact(), DemoRunner.storeManifest());
            }
            ctx.log(name, "initiator recommends C1's architecture, untrained model " + recommended);
        }
        long required = 0;
        long budget = 0;
        for (String c : CONTRIBUTORS) {
            required += dataPoints(c);
            budget += dataPoints(c) * PRICES.get(c);
        }
        TaskSpec spec = new TaskSpec(DemoRunner.LABELS, List.of(28, 28, 1),
                ctx.verificationHash(), recommended, cfg.mafrBps(),
                cfg.minContributionBps(), cfg.minOwnAccuracyBps(), required, budget, DemoRunner.VERIFIER_FEE, VERIFIERS.size(),
                DemoRunner.VERIFIER_STAKE, cfg.ledgerEpochs(), 3600, 1000, 600, 600, 600);
        Map<String, Long> strikesBefore = new HashMap<>();
        Map<String, Long> need = new LinkedHashMap<>();
        need.put("initiator", spec.escrowRequired());
        for (String c : CONTRIBUTORS) {
            long strikes = initiator.client().getReputation(parties.get(c).account()).strikes();
            strikesBefore.put(c, strikes);
            need.put(c, dataPoints(c) * PRICES.get(c) * (1 + strikes));
        }
        for (String v : VERIFIERS) {
            need.put(v, DemoRunner.VERIFIER_STAKE);
        }
        fund(need);
        Map<String, Long> before = new HashMap<>();
        for (Party p : parties.values()) {
            before.put(p.id(), p.client().balanceOf(p.account()).balance());
        }
        Task task = tx("AnnounceTask", () -> initiator.client().announceTask(spec));
        String taskId = task.taskId();
        ctx.log(name, "task " + taskId + ": budget " + budget + " credits for " + required + " data points, MAFR "
                + cfg.mafrBps() + " bps, min contribution " + cfg.minContributionBps() + " bps, min own accuracy "
                + cfg.minOwnAccuracyBps() + " bps");
        Map<String, TrainingResult> trained = new LinkedHashMap<>();
        Map<String, ContributorRole> roles = new LinkedHashMap<>();
        for (String c : CONTRIBUTORS) {
            roles.put(c, new ContributorRole(parties.get(c).client(), ctx.store(c), training(c, taskId, trained),
                    cfg.outDir().resolve("training").resolve(c), line -> {
                        int at = line.indexOf(" to the ");
                        if (line.contains("delivered the key") && at > 0) {
                            // "... delivered the key of model H to the verifier|initiator ACCOUNT"
                            String[] whom = line.substring(at + 8).split(" ", 2);
                            String who = idOf(whom[1]);
                            ctx.log(name, c + " delivered its key to the " + (who.equals(whom[0]) ? who : whom[0] + " " + who));
                        }
                    }, sealedSteps.contributorKeys(c)));
        }
        for (String c : CONTRIBUTORS) {
            step("SubmitBid " + c, () -> roles.get(c).step(taskId, dataPoints(c), PRICES.get(c)).transactionId());
        }
        Map<String, Bid> bids = new HashMap<>();
        for (Bid b : initiator.client().getBids(taskId)) {
            parties.values().stream().filter(p -> p.account().equals(b.bidder())).forEach(p -> bids.put(p.id(), b));
        }
        for (String v : VERIFIERS) {
            tx("RegisterVerifier " + v, () -> parties.get(v).client().registerVerifier(taskId));
        }
        task = tx("ResolveBidding", () -> initiator.client().resolveBidding(taskId));
        if (task.state() != TaskState.TRAINING || task.selectedBidders().size() != CONTRIBUTORS.size()) {
            throw new IllegalStateException("resolution selected " + task.selectedBidders().size()
                    + " bidders, state " + task.state() + "; expected all " + CONTRIBUTORS.size());
        }
        phases.put("announce+bid+resolve", since(t));

        // ---- training, then one checkpoint per ledger epoch and contributor
        t = System.nanoTime();
        int rounds = cfg.ledgerEpochs();
        Set<Integer> snapshotAt = new TreeSet<>();
        for (int r = 1; r <= rounds; r++) {
            snapshotAt.add(localBudget(r));
        }
        Map<String, String> finalHash = new HashMap<>();
        try {
            TrainingConfig recipe = DemoRunner.trainingConfig(cfg);
            for (String c : DemoRunner.HONEST) {
                CnnArchitecture arch = scenario.architectureFor(c);
                Split train = ctx.partition().training(c);
                Split test = ctx.partition().test(c);
                TrainingResult tr = ContributorTrainer.train(arch, train.images(ctx.data()), train.labels(ctx.data()),
                        test.images(ctx.data()), test.labels(ctx.data()), recipe, null, snapshotAt);
                tr.model().close();
                trained.put(c, tr);
                ctx.log(name, String.format(Locale.ROOT, "%s trained %s: %d local epochs (best %d), test accuracy %.3f, "
                        + "%.1f s", c, arch, tr.epochs().size(), tr.bestEpoch(), tr.bestTestAccuracy(), tr.seconds()));
            }
            phases.put("training", since(t));
            t = System.nanoTime();
            for (int r = 1; r <= rounds; r++) {
                for (String c : CONTRIBUTORS) {
                    int epoch = r;
                    if (ctx.sealed() && DemoRunner.VICTIMS.containsKey(c)) {
                        finalHash.put(c, step("SubmitCheckpoint " + c + " e" + r, () -> sealedSteps.copySealed(c, taskId, epoch, localBudget(epoch)),
                                Submitted::transactionId).value().modelHash());
                        continue;
                    }
                    ContributorRole.Outcome o = step("SubmitCheckpoint " + c + " e" + r, () -> roles.get(c)
                            .step(taskId, dataPoints(c), PRICES.get(c)), ContributorRole.Outcome::transactionId);
                    finalHash.put(c, o.modelHash());
                }
                boolean more = r < rounds;
                task = tx("EndEpoch " + r, () -> initiator.client().endEpoch(taskId, more));
            }
        } finally {
            for (TrainingResult tr : trained.values()) {
                tr.model().close();
            }
        }
        if (task.state() != TaskState.VERIFYING) {
            throw new IllegalStateException("after the last epoch the task is " + task.state() + ", not VERIFYING");
        }
        phases.put("checkpoints", since(t));

        // ---- verification: each drawn verifier fuses and scores independently, all at once
        t = System.nanoTime();
        List<String> drawn = new ArrayList<>();
        for (String v : VERIFIERS) {
            if (task.drawnVerifiers().contains(parties.get(v).account())) {
                drawn.add(v);
            }
        }
        if (ctx.sealed()) {
            // the draw is on the ledger: each contributor's role delivers its key to the drawn verifiers
            deliverKeys(roles, taskId);
        }
        Map<String, VerifierRole> verifierRoles = new LinkedHashMap<>();
        for (String v : drawn) {
            verifierRoles.put(v, verifierRole(v));
        }
        Map<String, Verification.Report> reports = new LinkedHashMap<>();
        Map<String, List<VoteEntry>> votes = new LinkedHashMap<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(drawn.size());
        try {
            Map<String, java.util.concurrent.Future<VerifierRole.Outcome>> running = new LinkedHashMap<>();
            for (String v : drawn) {
                running.put(v, pool.submit(() -> step("CommitVote " + v, () -> verifierRoles.get(v).step(taskId),
                        VerifierRole.Outcome::transactionId)));
            }
            for (Map.Entry<String, java.util.concurrent.Future<VerifierRole.Outcome>> e : running.entrySet()) {
                VerifierRole.Outcome o = e.getValue().get();
                if (o.action() != VerifierRole.Action.COMMITTED || o.report() == null) {
                    throw new IllegalStateException(e.getKey() + " did not verify and commit: " + o.action());
                }
                reports.put(e.getKey(), o.report());
                votes.put(e.getKey(), o.votes());
                logReport(e.getKey(), o.report());
            }
        } finally {
            pool.shutdownNow();
        }
        phases.put("verification+commit", since(t));
        t = System.nanoTime();
        for (String v : drawn) {
            VerifierRole.Outcome o = step("RevealVote " + v, () -> verifierRoles.get(v).step(taskId),
                    VerifierRole.Outcome::transactionId);
            if (o.action() != VerifierRole.Action.REVEALED) {
                throw new IllegalStateException(v + " did not reveal: " + o.action());
            }
        }
        phases.put("reveal", since(t));
        t = System.nanoTime();

        // ---- settle and audit
        t = System.nanoTime();
        Settlement settlement = tx("Settle", () -> initiator.client().settle(taskId));
        if (ctx.sealed()) {
            // settled: the accepted contributors deliver their keys to the initiator, releasing their payments
            deliverKeys(roles, taskId);
            sealedSteps.initiatorKeys(taskId);
        }
        Totals totals = initiator.client().totals();
        TaskAudit audit = new Auditor(initiator.client()).auditTask(taskId);
        Files.writeString(cfg.outDir().resolve("audit-" + DemoRunner.scenarioName(scenario) + ".json"),
                Auditor.toJson(audit));
        ctx.log(name, "settled: refund to initiator " + settlement.initiatorRefund() + ", slash pool "
                + settlement.slashPool() + "; totals conserved " + totals.conserved() + "; audit "
                + (audit.consistent() ? "consistent" : audit.mismatches().size() + " mismatches"));
        phases.put("settle+audit", since(t));
        return result(taskId, recommended, initiator, bids, trained, finalHash, strikesBefore, before, reports, votes,
                settlement, totals, audit);
    }

    /** Local epochs behind the checkpoint of ledger epoch {@code r}: ceil(localEpochs * r / ledgerEpochs). */
    private int localBudget(int r) {
        return (int) Math.ceil((double) cfg.localEpochs() * r / cfg.ledgerEpochs());
    }

    private ScenarioResult result(String taskId, String recommended, Party initiator, Map<String, Bid> bids,
            Map<String, TrainingResult> trained, Map<String, String> finalHash, Map<String, Long> strikesBefore,
            Map<String, Long> before, Map<String, Verification.Report> reports, Map<String, List<VoteEntry>> votes,
            Settlement settlement, Totals totals, TaskAudit audit) throws LedgerException {
        Verification.Report first = reports.values().iterator().next();
        List<VoteEntry> firstVotes = votes.values().iterator().next();
        boolean agree = votes.values().stream().allMatch(x -> x.equals(firstVotes));
        Map<String, ContributorOutcome> outcomes = new HashMap<>();
        for (ContributorOutcome o : settlement.contributors()) {
            outcomes.put(o.contributor(), o);
        }
        Map<String, Verification.ModelFinding> findings = new HashMap<>();
        for (Verification.ModelFinding f : first.models()) {
            findings.put(f.account(), f);
        }
        List<ContributorRow> rows = new ArrayList<>();
        String bestId = null;
        double best = -1;
        for (String c : CONTRIBUTORS) {
            Party p = parties.get(c);
            ContributorOutcome o = outcomes.get(p.account());
            VoteEntry vote = firstVotes.stream().filter(v -> v.contributor().equals(p.account())).findFirst()
                    .orElseThrow();
            Verification.ModelFinding f = findings.get(p.account());
            Bid bid = bids.get(c);
            FreeRider kind = FREE_RIDERS.get(c);
            TrainingResult tr = trained.get(c);
            if (kind == null && f.allAccuracy() > best) {
                best = f.allAccuracy();
                bestId = c;
            }
            String arch = kind == null ? scenario.architectureFor(c).name() : switch (kind) {
                case UNTRAINED -> "untrained C1";
                case COPY, NOISY_COPY -> (ctx.sealed() ? "ciphertext"
                        : kind.name().toLowerCase(Locale.ROOT).replace('_', ' ')) + " of " + DemoRunner.VICTIMS.get(c);
            };
            rows.add(new ContributorRow(c, p.identity(), p.account(), kind == null ? null : kind.name(), arch,
                    f.declaredDigits(), bid.dataPoints(), bid.pricePerPoint(), bid.maxEarnings(), bid.stake(),
                    tr == null ? 0 : tr.epochs().size(), tr == null ? 0 : tr.bestEpoch(),
                    tr == null ? Double.NaN : tr.bestTestAccuracy(), tr == null ? 0 : tr.seconds(), finalHash.get(c),
                    f.ownAccuracy(), f.allAccuracy(), f.prefixI(), f.prefixII(), vote.fitnessBps(),
                    vote.contributionBps(), vote.ownAccuracyBps(), idOf(f.duplicateOf()), o.positiveVotes(),
                    o.accepted(),
                    o.reason() == null ? null : o.reason().name(),
                    o.payment(), o.stakeReturned(), o.slashed(), o.slashShare(),
                    o.payment() + o.slashShare() - o.slashed(), before.get(c),
                    p.client().balanceOf(p.account()).balance(), strikesBefore.get(c),
                    p.client().getReputation(p.account()).strikes(), strikesAddedBy(p, txIds.get("Settle"))));
        }
        List<VerifierRow> vrows = new ArrayList<>();
        for (String v : VERIFIERS) {
            Party p = parties.get(v);
            VerifierOutcome o = settlement.verifiers().stream().filter(x -> x.verifier().equals(p.account()))
                    .findFirst().orElse(null);
            vrows.add(new VerifierRow(v, p.identity(), p.account(), o != null, o != null && o.revealed(),
                    o == null ? 0 : o.feePaid(), o == null ? 0 : o.stakeReturned(), o == null ? 0 : o.slashShare(),
                    before.get(v), p.client().balanceOf(p.account()).balance()));
        }
        return new ScenarioResult(DemoRunner.scenarioName(scenario), taskId, recommended,
                initiator.client().getTask(taskId).state().name(), rows, vrows,
                first.fusedI(), first.fitness(), bestId, best,
                reports.values().stream().map(Verification.Report::seconds).toList(), agree, totals.conserved(),
                totals.minted(), audit.consistent(), audit.mismatches().stream().map(Object::toString).toList(),
                settlement.initiatorRefund(), settlement.slashPool(), settlement.slashShare(), phases, txIds);
    }

    /** The demo id (C1..C8) of an account, or null. */
    private String idOf(String account) {
        if (account == null) {
            return null;
        }
        return parties.values().stream().filter(p -> p.account().equals(account)).map(Party::id).findFirst()
                .orElse(account);
    }

    /** Strikes added to {@code p}'s reputation by transaction {@code txId} (reputation key history). */
    private int strikesAddedBy(Party p, String txId) throws LedgerException {
        List<HistoryEntry> h = p.client().getHistory(HistoryKind.REPUTATION, p.account());
        for (int i = 0; i < h.size(); i++) {
            if (h.get(i).txId().equals(txId) && h.get(i).value() != null) {
                int prev = i == 0 || h.get(i - 1).value() == null ? 0 : h.get(i - 1).value().path("strikes").asInt();
                return h.get(i).value().path("strikes").asInt() - prev;
            }
        }
        return 0;
    }

    /** A drawn verifier's role: the demo's data directory, the run's fusion engine and settings. */
    private VerifierRole verifierRole(String v) throws java.io.IOException {
        Party p = parties.get(v);
        VerifierRole role = new VerifierRole(p.client(), ctx.store(v), ctx.verificationData(),
                new Verification(ctx.fusion(), cfg.verifierConfig()),
                new VoteBook(cfg.outDir().resolve("votes").resolve(DemoRunner.scenarioName(scenario)).resolve(v)),
                line -> ctx.log(name, v + " " + line), () -> java.time.Instant.now().getEpochSecond(),
                cfg.outDir().resolve("reports").resolve(v));
        return ctx.sealed() ? role.withEnrolmentKey(ctx.enrolmentKey(v)) : role;
    }

    /** One step of every contributor's role: each delivers the keys due now ({@link ContributorKeys#deliverDue}). */
    private void deliverKeys(Map<String, ContributorRole> roles, String taskId) throws Exception {
        for (String c : CONTRIBUTORS) {
            step("DeliverKey " + c, () -> roles.get(c).step(taskId, dataPoints(c), PRICES.get(c)), o -> null);
        }
    }

    private void logReport(String v, Verification.Report rep) {
        ctx.log(name, String.format(Locale.ROOT, "%s: contribution bps %s; own accuracy bps %s; duplicates %s", v,
                rep.models().stream().map(m -> Integer.toString(bps(m.contribution()))).toList(),
                rep.models().stream().map(m -> Integer.toString(bps(m.ownAccuracy()))).toList(),
                rep.models().stream().filter(m -> m.duplicateOf() != null).count()));
    }

    /**
     * A contributor's training as the role sees it: an honest contributor checkpoints the snapshot
     * of its DJL training after the local epochs of that ledger epoch; a free rider makes its
     * artifact (a copier copies its victim's checkpoint of the same epoch, read from the ledger).
     */
    private Training training(String c, String taskId, Map<String, TrainingResult> trained) {
        FreeRider kind = FREE_RIDERS.get(c);
        if (kind == null) {
            return context -> {
                TrainingResult tr = trained.get(c);
                int budget = localBudget(context.epoch());
                ObjectNode metrics = JSON.createObjectNode()
                        .put("localEpochs", Math.min(budget, tr.epochs().size())).put("bestEpoch", tr.bestEpoch())
                        .put("testAccuracyBps", bps(tr.bestTestAccuracy()))
                        .put("trainMillis", Math.round(tr.seconds() * 1000));
                return new Training.EpochModel(tr.snapshots().get(budget), metrics);
            };
        }
        return context -> {
            if (c.equals(CONTRIBUTORS.get(DemoRunner.HONEST.size()))) {
                Thread.sleep(1100); // a copier must first see the checkpoint it copies on the ledger
            }
            String victim = DemoRunner.VICTIMS.get(c);
            byte[] copied = null;
            if (victim != null) {
                String victimAccount = parties.get(victim).account();
                String hash = parties.get(c).client().getCheckpoints(taskId).stream()
                        .filter(cp -> cp.contributor().equals(victimAccount) && cp.epoch() == context.epoch())
                        .map(Checkpoint::modelHash).findFirst().orElseThrow();
                copied = ctx.store(c).get(hash).bytes();
            }
            ObjectNode metrics = JSON.createObjectNode().put("claimedTestAccuracyBps", 9900)
                    .put("localEpochs", localBudget(context.epoch()));
            return new Training.EpochModel(kind.artifact(copied, cfg.seed() + c.hashCode()), metrics);
        };
    }

    /** Tops every party up to {@code need} credits: the treasurer (an admin of the treasurer MSP) mints and transfers. */
    private void fund(Map<String, Long> need) throws Exception {
        ConnectionProfile profile = ConnectionProfile.load(ctx.cfg().profile());
        List<FusionLedgerClient> admins = List.of(DemoRunner.connect(profile, "Org1", "Admin"), DemoRunner.connect(profile, "Org2", "Admin"));
        try {
            try {
                tx("Initialize", () -> admins.get(0).initialize("Org1MSP"));
            } catch (AlreadyExistsException e) {
                // initialized before
            }
            long shortfall = 0;
            Map<String, Long> top = new LinkedHashMap<>();
            for (Map.Entry<String, Long> e : need.entrySet()) {
                Party p = ctx.parties().get(e.getKey());
                long have = p.client().balanceOf(p.account()).balance();
                if (have < e.getValue()) {
                    top.put(e.getKey(), e.getValue() - have);
                    shortfall += e.getValue() - have;
                }
            }
            if (top.isEmpty()) {
                return;
            }
            FusionLedgerClient treasurer = null;
            for (FusionLedgerClient a : admins) {
                try {
                    long have = a.balanceOf(a.clientAccountId()).balance();
                    long amount = Math.max(1, shortfall - have);
                    tx("Mint", () -> a.mint(amount));
                    treasurer = a;
                    break;
                } catch (PermissionDeniedException e) {
                    // not the treasurer MSP
                }
            }
            if (treasurer == null) {
                throw new IllegalStateException("neither Org1 nor Org2 Admin may mint: the treasurer MSP is another one");
            }
            FusionLedgerClient tr = treasurer;
            for (Map.Entry<String, Long> e : top.entrySet()) {
                tx("Transfer " + e.getKey(), () -> tr.transfer(ctx.parties().get(e.getKey()).account(), e.getValue()));
            }
        } finally {
            admins.forEach(FusionLedgerClient::close);
        }
    }
}
