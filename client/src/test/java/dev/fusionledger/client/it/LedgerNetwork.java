package dev.fusionledger.client.it;

import dev.fusionledger.chaincode.it.FabricNetwork;
import dev.fusionledger.client.ConnectionProfile;
import dev.fusionledger.client.Deadlines;
import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.LedgerException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The real network for the client's integration tests, brought up by the project's own network
 * scripts (idempotent: a healthy network is reused) with the chaincode deployed, through the chaincode
 * module's {@link FabricNetwork} fixture.
 */
final class LedgerNetwork {
    static final Path ROOT = FabricNetwork.ROOT;
    private static ConnectionProfile profile;

    private LedgerNetwork() {
    }

    /** Starts the network and deploys the chaincode if needed ({@link FabricNetwork#ensureUp()}); returns the connection profile path. */
    static synchronized Path up() throws Exception {
        Path path = ConnectionProfile.defaultPath();
        if (profile == null) {
            FabricNetwork.ensureUp();
            profile = ConnectionProfile.load(path);
        }
        return path;
    }

    /** A client signing as {@code user} of {@code org}. */
    static FusionLedgerClient client(String org, String user) throws Exception {
        up();
        return FusionLedgerClient.builder().profile(profile).organization(org).user(user)
                .deadlines(new Deadlines(Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(20),
                        Duration.ofMinutes(2)))
                .endorseRetries(10, Duration.ofMillis(200)) // docs/ledger-api.md: peers may be a block apart
                .connect();
    }

    /**
     * Makes sure the market is initialized (treasurer Org1MSP, unless an earlier run chose
     * another) and gives every account in {@code accounts} at least {@code credits}.
     *
     * @return the treasurer's client (an admin), to be closed by the caller
     */
    static FusionLedgerClient fund(List<String> accounts, long credits) throws Exception {
        List<FusionLedgerClient> admins = List.of(client("Org1", "Admin"), client("Org2", "Admin"));
        FusionLedgerClient treasurer = dev.fusionledger.client.testing.Treasury.fund(admins, accounts, credits);
        for (FusionLedgerClient a : admins) {
            if (a != treasurer) {
                a.close();
            }
        }
        return treasurer;
    }

    /** Sleeps until the ledger time (this machine's clock, which signs the proposals) passes {@code epochSeconds}. */
    static void sleepUntilAfter(long epochSeconds) throws InterruptedException {
        long ms = (epochSeconds + 1) * 1000 - System.currentTimeMillis() + 200;
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }

    /**
     * The change of an account's balance, in credits, made by the given transactions, read from
     * the account key's history (robust to other transactions on the same account meanwhile).
     */
    static long changeBy(FusionLedgerClient c, String account, java.util.Collection<String> txIds) throws LedgerException {
        long previous = 0;
        long change = 0;
        java.util.Set<String> ours = new java.util.HashSet<>(txIds);
        for (var h : c.getHistory(dev.fusionledger.client.HistoryKind.ACCOUNT, account)) {
            long now = h.value() == null ? 0 : h.value().path("balance").asLong();
            if (ours.contains(h.txId())) {
                change += now - previous;
            }
            previous = now;
        }
        return change;
    }

    /** Balance of an account, credits. */
    static long balance(FusionLedgerClient c, String account) throws LedgerException {
        return c.balanceOf(account).balance();
    }

    /** The clients of one test class: opened by {@link #client}, funded together, closed together. */
    static final class Parties implements AutoCloseable {
        private final List<FusionLedgerClient> all = new java.util.ArrayList<>();

        /** A client signing as {@code user} of {@code org}, closed with the others. */
        FusionLedgerClient client(String org, String user) throws Exception {
            FusionLedgerClient c = LedgerNetwork.client(org, user);
            all.add(c);
            return c;
        }

        /** Funds every client opened so far with {@code credits}; returns the treasurer, closed with the others. */
        FusionLedgerClient funded(long credits) throws Exception {
            List<String> accounts = new java.util.ArrayList<>();
            for (FusionLedgerClient c : all) {
                accounts.add(c.clientAccountId());
            }
            FusionLedgerClient treasurer = fund(accounts, credits);
            all.add(treasurer);
            return treasurer;
        }

        @Override
        public void close() {
            all.forEach(FusionLedgerClient::close);
        }
    }
}
