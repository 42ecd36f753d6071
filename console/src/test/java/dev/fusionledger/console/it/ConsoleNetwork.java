package dev.fusionledger.console.it;

import dev.fusionledger.chaincode.it.FabricNetwork;
import dev.fusionledger.client.ConnectionProfile;
import dev.fusionledger.client.Deadlines;
import dev.fusionledger.client.FusionLedgerClient;
import java.time.Duration;
import java.util.List;

/**
 * The real network for the console's integration test: brought up by the project's own scripts
 * with this build's chaincode through the chaincode module's {@link FabricNetwork} fixture (which
 * honours FUSIONLEDGER_NETWORK_DIR and, through the scripts, FUSIONLEDGER_PORT_BASE).
 */
final class ConsoleNetwork {
    private static ConnectionProfile profile;

    private ConsoleNetwork() {
    }

    static synchronized ConnectionProfile up() throws Exception {
        if (profile == null) {
            FabricNetwork.ensureUp();
            profile = ConnectionProfile.load(FabricNetwork.WORK_DIR.resolve("connection-profile.json"));
        }
        return profile;
    }

    /** A client signing as {@code user} of {@code org}. */
    static FusionLedgerClient client(String org, String user) throws Exception {
        return FusionLedgerClient.builder().profile(up()).organization(org).user(user)
                .deadlines(new Deadlines(Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(20),
                        Duration.ofMinutes(2)))
                .endorseRetries(10, Duration.ofMillis(200)) // docs/ledger-api.md: peers may be a block apart
                .connect();
    }

    /** Initializes the market if needed (treasurer Org1MSP) and gives each account at least {@code credits}. */
    static void fund(List<String> accounts, long credits) throws Exception {
        List<FusionLedgerClient> admins = List.of(client("Org1", "Admin"), client("Org2", "Admin"));
        try {
            dev.fusionledger.client.testing.Treasury.fund(admins, accounts, credits);
        } finally {
            admins.forEach(FusionLedgerClient::close);
        }
    }

    /** Sleeps until this machine's clock (which signs the proposals) has passed {@code epochSeconds}. */
    static void sleepUntilAfter(long epochSeconds) throws InterruptedException {
        long ms = (epochSeconds + 1) * 1000 - System.currentTimeMillis() + 200;
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }
}
