package dev.fusionledger.chaincode.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.Hash;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;

/**
 * The real network for the market's integration tests and benchmark: brought up and the current
 * chaincode jar deployed by the project's own scripts ({@code network/up.sh},
 * {@code network/chaincode-deploy.sh}; both reuse what is already running), then one Gateway
 * connection per signer from {@code <workdir>/connection-profile.json} (docs/network.md).
 */
final class MarketNetwork {
    private static final Path ROOT = root();
    private static JsonNode profile;
    private static final Map<String, ManagedChannel> CHANNELS = new HashMap<>();
    private static final Map<String, Party> PARTIES = new HashMap<>();

    private MarketNetwork() {
    }

    /** @return a signer: {@code org} "Org1"/"Org2", {@code user} "Admin", "User1".."User5" */
    static synchronized Party party(String org, String user) throws Exception {
        String name = org + "/" + user;
        Party p = PARTIES.get(name);
        if (p == null) {
            p = new Party(name, contract(org, user));
            PARTIES.put(name, p);
        }
        return p;
    }

    /** @return the chaincode's contract as {@code user} of {@code org} ({@code subContract} e.g. "smoke", or null) */
    static synchronized Contract contract(String org, String user, String subContract) throws Exception {
        JsonNode o = org(org);
        JsonNode peer = o.get("peers").get(0);
        ManagedChannel ch = CHANNELS.get(org);
        if (ch == null) {
            ch = NettyChannelBuilder.forTarget(peer.get("endpoint").asText())
                    .sslContext(GrpcSslContexts.forClient().trustManager(Path.of(peer.get("tlsCaCert").asText()).toFile()).build())
                    .overrideAuthority(peer.get("hostnameOverride").asText()).build();
            CHANNELS.put(org, ch);
        }
        JsonNode u = o.get("users").get(user);
        if (u == null) {
            throw new IllegalArgumentException("no user " + user + " in " + org);
        }
        X509Identity id;
        try (Reader r = Files.newBufferedReader(Path.of(u.get("certificate").asText()))) {
            id = new X509Identity(o.get("mspId").asText(), Identities.readX509Certificate(r));
        }
        Reader kr = Files.newBufferedReader(Path.of(u.get("privateKey").asText()));
        Gateway gw;
        try (kr) {
            gw = Gateway.newInstance().identity(id).signer(Signers.newPrivateKeySigner(Identities.readPrivateKey(kr)))
                    .hash(Hash.SHA256).connection(ch)
                    .evaluateOptions(c -> c.withDeadlineAfter(20, TimeUnit.SECONDS))
                    .endorseOptions(c -> c.withDeadlineAfter(30, TimeUnit.SECONDS))
                    .submitOptions(c -> c.withDeadlineAfter(20, TimeUnit.SECONDS))
                    .commitStatusOptions(c -> c.withDeadlineAfter(2, TimeUnit.MINUTES))
                    .connect();
        }
        var network = gw.getNetwork(profile.get("channel").asText());
        String cc = profile.get("chaincode").asText();
        return subContract == null ? network.getContract(cc) : network.getContract(cc, subContract);
    }

    static Contract contract(String org, String user) throws Exception {
        return contract(org, user, null);
    }

    private static JsonNode org(String org) throws Exception {
        up();
        for (JsonNode o : profile.get("organizations")) {
            if (o.get("mspId").asText().equals(org + "MSP")) {
                return o;
            }
        }
        throw new IllegalArgumentException("no organization " + org + "MSP in the connection profile");
    }

    /** Starts the network and deploys the chaincode when needed (idempotent scripts). */
    static synchronized void up() throws Exception {
        if (profile != null) {
            return;
        }
        run("network/up.sh");
        run("network/chaincode-deploy.sh");
        String dir = System.getenv().getOrDefault("FUSIONLEDGER_NETWORK_DIR",
                System.getProperty("user.home") + "/.cache/fusionledger/network");
        profile = new ObjectMapper().readTree(Path.of(dir, "connection-profile.json").toFile());
    }

    private static void run(String script) throws IOException, InterruptedException {
        Path log = Files.createTempFile("fusionledger-market-it-", ".log");
        Process p = new ProcessBuilder(List.of("bash", ROOT.resolve(script).toString())).directory(ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroy();
            throw new IllegalStateException(script + " did not finish in 15 min; log: " + log);
        }
        if (p.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log);
            throw new IllegalStateException(script + " failed (exit " + p.exitValue() + "):\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        }
    }

    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("network/up.sh"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("repository root (with network/up.sh) not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
