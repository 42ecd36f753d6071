package dev.fusionledger.chaincode.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.Hash;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;

/**
 * The real FusionLedger network for failsafe integration tests ({@code *IT}) of the chaincode.
 *
 * <p>The first call of any method runs the project's own scripts from the repository root, once per
 * JVM: {@code network/up.sh} (idempotent: a healthy network is reused, a stopped one restarted) and
 * {@code network/chaincode-deploy.sh chaincode/target/fusionledger-chaincode.jar} (deploys the jar
 * this build produced; does nothing when that very jar already runs, else installs it with the next
 * sequence). The scripts' output goes to {@code target/network-it.log}; a failing script fails the
 * test with the tail of that log. So {@code mvn verify} alone works on a machine with nothing running;
 * {@code make test} also stops a network it started.
 *
 * <p>Clients connect through the Fabric Gateway of the first peer of the user's organisation, with
 * TLS, using the certificates and keys named in the connection profile
 * ({@code <workdir>/connection-profile.json}, format in {@code docs/network.md}). Gateways are cached
 * per (organisation, user) and closed when the JVM exits.
 *
 * <p>Usage:
 * <pre>{@code
 * Contract market = FabricNetwork.contract("Org1", "User1");          // default (market) contract
 * Contract smoke  = FabricNetwork.contract("Org2", "User1", "smoke"); // a named contract
 * }</pre>
 * Organisations are named {@code "Org1"} or {@code "Org1MSP"}; users {@code "Admin"},
 * {@code "User1"}..{@code "User5"}.
 *
 * <p>System properties: {@code fusionledger.it.deploy=false} skips the deployment (the chaincode
 * already running is used); {@code fusionledger.network.dir} overrides the work directory
 * (default: the environment's {@code FUSIONLEDGER_NETWORK_DIR}, else
 * {@code ~/.cache/fusionledger/network}), passed on to the scripts.
 */
public final class FabricNetwork {
    /** Repository root: the nearest directory above the working directory with {@code network/up.sh}. */
    public static final Path ROOT = findRoot();
    /** The network's work directory (state, logs, connection profile). */
    public static final Path WORK_DIR = workDir();
    /** Seconds a network script may take before the test fails. */
    public static final long SCRIPT_TIMEOUT_SECONDS = 900;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Gateway> GATEWAYS = new LinkedHashMap<>();
    private static final List<ManagedChannel> CHANNELS = new ArrayList<>();
    private static JsonNode profile;

    private FabricNetwork() {
    }

    /**
     * Brings the network up and deploys this build's chaincode, once per JVM.
     *
     * @return the parsed connection profile
     * @throws IllegalStateException when a script fails (message: the script's log tail) or the
     *                               chaincode jar has not been built ({@code mvn package} first)
     */
    public static synchronized JsonNode ensureUp() throws IOException, InterruptedException {
        if (profile == null) {
            run("network/up.sh");
            if (!"false".equals(System.getProperty("fusionledger.it.deploy"))) {
                Path jar = ROOT.resolve("chaincode/target/fusionledger-chaincode.jar");
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalStateException(jar + " not found: run `mvn -pl chaincode package` (or `mvn verify`) first");
                }
                run("network/chaincode-deploy.sh", jar.toString());
            }
            profile = JSON.readTree(WORK_DIR.resolve("connection-profile.json").toFile());
            Runtime.getRuntime().addShutdownHook(new Thread(FabricNetwork::closeAll, "fabric-network-close"));
        }
        return profile;
    }

    /** @return the channel name from the connection profile ({@code fusionledger}) */
    public static String channelName() throws IOException, InterruptedException {
        return ensureUp().get("channel").asText();
    }

    /** @return the chaincode name from the connection profile ({@code fusionledger}) */
    public static String chaincodeName() throws IOException, InterruptedException {
        return ensureUp().get("chaincode").asText();
    }

    /**
     * The MSP id of an organisation.
     *
     * @param org {@code "Org1"} or {@code "Org1MSP"} (any org of the profile)
     * @return e.g. {@code "Org1MSP"}
     * @throws IllegalArgumentException when the profile has no such organisation
     */
    public static String mspId(String org) throws IOException, InterruptedException {
        return organization(org).get("mspId").asText();
    }

    /**
     * A Gateway connection signing as {@code user} of {@code org}, connected to the org's first
     * peer (TLS). Cached; do not close it (closed at JVM exit).
     *
     * @throws IllegalArgumentException when the org or user is not in the connection profile
     */
    public static synchronized Gateway gateway(String org, String user)
            throws IOException, InterruptedException, CertificateException, java.security.InvalidKeyException {
        JsonNode o = organization(org);
        String key = o.get("mspId").asText() + "/" + user;
        Gateway g = GATEWAYS.get(key);
        if (g == null) {
            JsonNode u = o.get("users").get(user);
            if (u == null) {
                throw new IllegalArgumentException("user: '" + user + "' not in the connection profile of "
                        + o.get("mspId").asText() + " (have " + names(o.get("users")) + ")");
            }
            JsonNode peer = o.get("peers").get(0);
            ManagedChannel channel = Grpc.newChannelBuilder(peer.get("endpoint").asText(),
                            TlsChannelCredentials.newBuilder()
                                    .trustManager(Path.of(peer.get("tlsCaCert").asText()).toFile()).build())
                    .overrideAuthority(peer.get("hostnameOverride").asText())
                    .build();
            CHANNELS.add(channel);
            X509Identity identity;
            try (BufferedReader r = Files.newBufferedReader(Path.of(u.get("certificate").asText()))) {
                identity = new X509Identity(o.get("mspId").asText(), Identities.readX509Certificate(r));
            }
            java.security.PrivateKey pk;
            try (BufferedReader r = Files.newBufferedReader(Path.of(u.get("privateKey").asText()))) {
                pk = Identities.readPrivateKey(r);
            }
            g = Gateway.newInstance()
                    .identity(identity)
                    .signer(Signers.newPrivateKeySigner(pk))
                    .hash(Hash.SHA256)
                    .connection(channel)
                    .evaluateOptions(opt -> opt.withDeadlineAfter(30, TimeUnit.SECONDS))
                    .endorseOptions(opt -> opt.withDeadlineAfter(60, TimeUnit.SECONDS))
                    .submitOptions(opt -> opt.withDeadlineAfter(30, TimeUnit.SECONDS))
                    .commitStatusOptions(opt -> opt.withDeadlineAfter(2, TimeUnit.MINUTES))
                    .connect();
            GATEWAYS.put(key, g);
        }
        return g;
    }

    /** The {@code fusionledger} channel as seen by {@code user} of {@code org}. */
    public static Network network(String org, String user) throws Exception {
        return gateway(org, user).getNetwork(channelName());
    }

    /** The chaincode's default contract (the market) for {@code user} of {@code org}. */
    public static Contract contract(String org, String user) throws Exception {
        return network(org, user).getContract(chaincodeName());
    }

    /** A named contract of the chaincode (e.g. {@code "smoke"}) for {@code user} of {@code org}. */
    public static Contract contract(String org, String user, String contractName) throws Exception {
        return network(org, user).getContract(chaincodeName(), contractName);
    }

    private static JsonNode organization(String org) throws IOException, InterruptedException {
        String msp = org.endsWith("MSP") ? org : org + "MSP";
        for (JsonNode o : ensureUp().get("organizations")) {
            if (o.get("mspId").asText().equals(msp)) {
                return o;
            }
        }
        throw new IllegalArgumentException("org: '" + org + "' is not in the connection profile "
                + WORK_DIR.resolve("connection-profile.json"));
    }

    private static String names(JsonNode object) {
        List<String> n = new ArrayList<>();
        object.fieldNames().forEachRemaining(n::add);
        return String.join(", ", n);
    }

    private static synchronized void closeAll() {
        GATEWAYS.values().forEach(Gateway::close);
        GATEWAYS.clear();
        for (ManagedChannel c : CHANNELS) {
            c.shutdownNow();
        }
        CHANNELS.clear();
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Path log = ROOT.resolve("chaincode/target/network-it.log");
        Files.createDirectories(log.getParent());
        List<String> cmd = new ArrayList<>(List.of("bash"));
        cmd.add(ROOT.resolve(command[0]).toString());
        cmd.addAll(List.of(command).subList(1, command.length));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("FUSIONLEDGER_NETWORK_DIR", WORK_DIR.toString());
        Process p = pb.start();
        if (!p.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroy();
            throw new IllegalStateException(String.join(" ", command) + " did not finish within "
                    + SCRIPT_TIMEOUT_SECONDS + " s; log: " + log);
        }
        if (p.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log);
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "), log "
                    + log + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
        }
    }

    private static Path findRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("network/up.sh"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("repository root (with network/up.sh) not found above "
                    + Path.of("").toAbsolutePath());
        }
        return p;
    }

    private static Path workDir() {
        String dir = System.getProperty("fusionledger.network.dir", System.getenv("FUSIONLEDGER_NETWORK_DIR"));
        return dir == null || dir.isBlank()
                ? Path.of(System.getenv().getOrDefault("HOME", System.getProperty("user.home")), ".cache", "fusionledger", "network")
                : Path.of(dir).toAbsolutePath();
    }
}
