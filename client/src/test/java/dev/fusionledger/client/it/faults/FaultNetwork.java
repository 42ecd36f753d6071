package dev.fusionledger.client.it.faults;

import dev.fusionledger.client.ConnectionProfile;
import dev.fusionledger.client.Deadlines;
import dev.fusionledger.client.FusionLedgerClient;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.Hash;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;

/**
 * A private Fabric network for the fault suite, started and stopped by the suite itself with the
 * project's scripts: 3 Raft orderers, 2 organisations with one peer each, the chaincode of this build
 * under its supervisor. It never touches the network of {@code make network-up}.
 *
 * <p>Settings (system property, else environment variable, else default): port base
 * {@code fusionledger.faults.portBase} / {@code FUSIONLEDGER_FAULTS_PORT_BASE} (12000); work directory
 * {@code fusionledger.faults.dir} / {@code FUSIONLEDGER_FAULTS_NETWORK_DIR}
 * ({@code ~/.cache/fusionledger/network-faults-suite}). Script output goes to
 * {@code client/target/fault-network.log}.
 *
 * <p>Node names are those of the pid files ({@code orderer1.example.com}, {@code peer0.org2.example.com},
 * {@code chaincode-fusionledger}); port plan as in docs/network.md.
 */
final class FaultNetwork implements AutoCloseable {
    static final int ORDERERS = 3;
    final Path root;
    final Path work;
    final int base;
    final Path log;
    private ConnectionProfile profile;
    private final List<FusionLedgerClient> clients = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<Gateway> gateways = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    FaultNetwork(Path root) {
        this.root = root;
        this.base = Integer.parseInt(setting("fusionledger.faults.portBase", "FUSIONLEDGER_FAULTS_PORT_BASE", "12000"));
        this.work = Path.of(setting("fusionledger.faults.dir", "FUSIONLEDGER_FAULTS_NETWORK_DIR",
                System.getProperty("user.home") + "/.cache/fusionledger/network-faults-suite"));
        this.log = root.resolve("client/target/fault-network.log");
    }

    private static String setting(String property, String env, String dflt) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? dflt : v;
    }

    /** Wipes any earlier state of this work directory, starts the network and deploys the chaincode jar. */
    void start(Path chaincodeJar) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Files.writeString(log, "");
        script("network/down.sh");
        script("network/up.sh");
        script("network/chaincode-deploy.sh", chaincodeJar.toString());
        profile = ConnectionProfile.load(work.resolve(ConnectionProfile.FILE_NAME));
    }

    /** Runs {@code network/up.sh} (restarts stopped nodes on their ledgers). */
    void up() throws IOException, InterruptedException {
        script("network/up.sh");
    }

    @Override
    public void close() {
        clients.forEach(FusionLedgerClient::close);
        gateways.forEach(Gateway::close);
        channels.forEach(ManagedChannel::shutdownNow);
        try {
            script("network/down.sh");
        } catch (Exception e) {
            System.err.println("[faults] network/down.sh failed: " + e.getMessage() + " (log " + log + ")");
        }
    }

    void script(String... cmd) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("bash"));
        c.addAll(List.of(cmd));
        c.set(1, root.resolve(cmd[0]).toString());
        ProcessBuilder pb = new ProcessBuilder(c).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = pb.environment();
        env.put("FUSIONLEDGER_NETWORK_DIR", work.toString());
        env.put("FUSIONLEDGER_PORT_BASE", Integer.toString(base));
        env.put("FUSIONLEDGER_ORDERERS", Integer.toString(ORDERERS));
        env.put("FUSIONLEDGER_ORGS", "2");
        env.remove("FUSIONLEDGER_PEERS_PER_ORG");
        env.remove("FUSIONLEDGER_USERS");
        Process p = pb.start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(cmd[0] + " did not finish within 15 minutes (log " + log + ")");
        }
        if (p.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log);
            throw new IllegalStateException(cmd[0] + " failed with exit " + p.exitValue() + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        }
    }

    /** A client of the SDK signing as {@code user} of {@code org}, closed with the network. */
    FusionLedgerClient client(String org, String user) throws IOException {
        FusionLedgerClient c = FusionLedgerClient.builder().profile(profile).organization(org).user(user)
                .deadlines(new Deadlines(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(10),
                        Duration.ofSeconds(60)))
                .resubmitEvery(Duration.ofSeconds(5))
                .endorseRetries(10, Duration.ofMillis(300))
                .connect();
        clients.add(c);
        return c;
    }

    /** A bare Fabric Gateway (no SDK) on the first peer of {@code org}, for steps the SDK does not expose. */
    Gateway gateway(String org, String user) throws Exception {
        ConnectionProfile.Organization o = profile.organization(org);
        ConnectionProfile.User u = ConnectionProfile.user(o, user);
        ConnectionProfile.Peer peer = o.peers().get(0);
        ManagedChannel ch = Grpc.newChannelBuilder(peer.endpoint(), TlsChannelCredentials.newBuilder()
                        .trustManager(Path.of(peer.tlsCaCert()).toFile()).build())
                .overrideAuthority(peer.hostnameOverride()).build();
        channels.add(ch);
        X509Identity id;
        try (BufferedReader r = Files.newBufferedReader(Path.of(u.certificate()))) {
            id = new X509Identity(o.mspId(), Identities.readX509Certificate(r));
        }
        java.security.PrivateKey key;
        try (BufferedReader r = Files.newBufferedReader(Path.of(u.privateKey()))) {
            key = Identities.readPrivateKey(r);
        }
        Gateway g = Gateway.newInstance().identity(id).signer(Signers.newPrivateKeySigner(key)).hash(Hash.SHA256)
                .connection(ch)
                .endorseOptions(op -> op.withDeadlineAfter(20, TimeUnit.SECONDS))
                .submitOptions(op -> op.withDeadlineAfter(10, TimeUnit.SECONDS))
                .commitStatusOptions(op -> op.withDeadlineAfter(60, TimeUnit.SECONDS))
                .connect();
        gateways.add(g);
        return g;
    }

    ConnectionProfile profile() {
        return profile;
    }

    // ---- processes ---------------------------------------------------------------------------

    /** The pid of a node from its pid file, when the process runs with the recorded command line. */
    OptionalLong pid(String node) throws IOException {
        Path f = work.resolve("pids/" + node + ".pid");
        if (!Files.isRegularFile(f)) {
            return OptionalLong.empty();
        }
        List<String> lines = Files.readAllLines(f);
        if (lines.isEmpty() || !lines.get(0).matches("\\d+")) {
            return OptionalLong.empty();
        }
        long pid = Long.parseLong(lines.get(0));
        Path cmdline = Path.of("/proc/" + pid + "/cmdline");
        if (!Files.exists(cmdline)) {
            return OptionalLong.empty();
        }
        String got = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ');
        String want = lines.size() > 1 ? lines.get(1) : "";
        return got.endsWith(want) ? OptionalLong.of(pid) : OptionalLong.empty();
    }

    /** Kills a node with SIGKILL (no clean shutdown) and waits until it is gone; returns its pid. */
    long kill(String node) throws IOException, InterruptedException {
        long pid = pid(node).orElseThrow(() -> new IllegalStateException(node + " is not running"));
        ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
        h.destroyForcibly();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (h.isAlive() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        if (h.isAlive()) {
            throw new IllegalStateException(node + " (pid " + pid + ") survived SIGKILL for 10 s");
        }
        return pid;
    }

    // ---- ports and metrics (Prometheus on each node's operations endpoint) ----------------------

    String ordererName(int n) {
        return "orderer" + n + ".example.com";
    }

    int ordererOpsPort(int n) {
        return base + 52 + 10 * n;
    }

    String peerName(int org) {
        return "peer0.org" + org + ".example.com";
    }

    int peerOpsPort(int org) {
        return base + 100 * org + 3;
    }

    /** Index of the orderer reporting itself Raft leader of the channel, or -1 when none does. */
    int raftLeader() {
        for (int n = 0; n < ORDERERS; n++) {
            OptionalLong v = metric(ordererOpsPort(n), "consensus_etcdraft_is_leader");
            if (v.isPresent() && v.getAsLong() == 1) {
                return n;
            }
        }
        return -1;
    }

    /** Channel height of orderer {@code n} (blocks in its ledger), empty when it does not answer. */
    OptionalLong ordererHeight(int n) {
        return metric(ordererOpsPort(n), "ledger_blockchain_height");
    }

    /** Channel height of the peer of {@code org}, empty when it does not answer. */
    OptionalLong peerHeight(int org) {
        return metric(peerOpsPort(org), "ledger_blockchain_height");
    }

    /** Every node's channel height by name (-1 for a node that does not answer). */
    Map<String, Long> heights() {
        Map<String, Long> h = new LinkedHashMap<>();
        for (int n = 0; n < ORDERERS; n++) {
            h.put(ordererName(n), ordererHeight(n).orElse(-1));
        }
        for (int o = 1; o <= 2; o++) {
            h.put(peerName(o), peerHeight(o).orElse(-1));
        }
        return h;
    }

    /**
     * Waits until every node reports the same channel height, at least {@code min}.
     *
     * @return seconds it took
     * @throws IllegalStateException with the heights when they still differ after {@code timeout}
     */
    double awaitSameHeight(long min, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        while (true) {
            Map<String, Long> h = heights();
            if (h.values().stream().distinct().count() == 1 && h.values().iterator().next() >= min) {
                return (System.nanoTime() - start) / 1e9;
            }
            if (System.nanoTime() - start > timeout.toNanos()) {
                throw new IllegalStateException("channel heights still differ after " + timeout.toSeconds() + " s: " + h);
            }
            Thread.sleep(250);
        }
    }

    private OptionalLong metric(int port, String name) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return OptionalLong.empty();
            }
            Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*channel=\"fusionledger\"[^}]*\\} ([0-9.e+]+)$")
                    .matcher(r.body());
            return m.find() ? OptionalLong.of((long) Double.parseDouble(m.group(1))) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }
}
