package dev.fusionledger.client.it;

import dev.fusionledger.client.ConnectionProfile;
import dev.fusionledger.client.FusionLedgerClient;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.Hash;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;
import org.junit.jupiter.api.Test;

/**
 * Latency of the typed SDK against the bare Fabric Gateway API on the same network, same identity,
 * same transactions, in the same run: BalanceOf (evaluate) and Transfer of 1 credit (submit and wait
 * for commit), sequential. Prints p50/p99/mean in milliseconds and calls per second; asserts nothing.
 * Run: {@code mvn -o -pl client verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ClientBenchmark}
 */
class ClientBenchmark {
    static final int EVALUATES = 200;
    static final int SUBMITS = 40;

    interface Call {
        void run() throws Exception;
    }

    static String measure(String label, int n, Call call) throws Exception {
        for (int i = 0; i < Math.min(10, n); i++) {
            call.run(); // warm-up
        }
        List<Double> ms = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            call.run();
            ms.add((System.nanoTime() - t) / 1e6);
        }
        double total = (System.nanoTime() - start) / 1e9;
        Collections.sort(ms);
        double mean = ms.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        return String.format(Locale.ROOT, "%-34s n=%4d  p50 %7.2f ms  p99 %7.2f ms  mean %7.2f ms  %7.1f calls/s",
                label, n, ms.get(n / 2), ms.get(Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)), mean, n / total);
    }

    @Test
    void sdkVersusBareGateway() throws Exception {
        Path profilePath = LedgerNetwork.up();
        ConnectionProfile p = ConnectionProfile.load(profilePath);
        ConnectionProfile.Organization org = p.organization("Org1");
        ConnectionProfile.User u = ConnectionProfile.user(org, "User4");
        List<String> lines = new ArrayList<>();
        try (FusionLedgerClient sdk = LedgerNetwork.client("Org1", "User4")) {
            String me = sdk.clientAccountId();
            String to;
            try (FusionLedgerClient other = LedgerNetwork.client("Org2", "User4")) {
                to = other.clientAccountId();
            }
            LedgerNetwork.fund(List.of(me), 1_000_000).close();

            var peer = org.peers().get(0);
            ManagedChannel ch = Grpc.newChannelBuilder(peer.endpoint(), TlsChannelCredentials.newBuilder()
                    .trustManager(Path.of(peer.tlsCaCert()).toFile()).build())
                    .overrideAuthority(peer.hostnameOverride()).build();
            try (Reader cert = Files.newBufferedReader(Path.of(u.certificate()));
                 Reader key = Files.newBufferedReader(Path.of(u.privateKey()));
                 Gateway gw = Gateway.newInstance().identity(new X509Identity(org.mspId(), Identities.readX509Certificate(cert)))
                         .signer(Signers.newPrivateKeySigner(Identities.readPrivateKey(key))).hash(Hash.SHA256)
                         .connection(ch).connect()) {
                Contract bare = gw.getNetwork(p.channel()).getContract(p.chaincode());
                lines.add(measure("evaluate BalanceOf: bare Gateway", EVALUATES, () -> bare.evaluateTransaction("BalanceOf", me)));
                lines.add(measure("evaluate BalanceOf: FusionLedger SDK", EVALUATES, () -> sdk.balanceOf(me)));
                lines.add(measure("submit Transfer: bare Gateway", SUBMITS, () -> bare.submitTransaction("Transfer", to, "1")));
                lines.add(measure("submit Transfer: FusionLedger SDK", SUBMITS, () -> sdk.transfer(to, 1)));
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        String report = String.join("\n", lines);
        System.out.println("ClientBenchmark (" + Runtime.getRuntime().availableProcessors() + " cores, sequential):\n" + report);
        Files.writeString(LedgerNetwork.ROOT.resolve("client/target/bench-client.txt"), report + "\n");
    }
}
