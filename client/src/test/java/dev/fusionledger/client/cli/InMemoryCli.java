package dev.fusionledger.client.cli;

import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.testing.InMemoryMarket;
import dev.fusionledger.client.testing.Scenario;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CLI over the market's real rules in memory: a funded {@link Scenario}, a client factory that
 * maps {@code --org}/{@code --user} to its parties, and the CLI's model store and state directory
 * under one folder. Shared by the CLI's unit tests.
 */
final class InMemoryCli {

    /** One CLI call: its exit code and what it printed on stdout and stderr. */
    record Result(int code, String out, String err) {
    }

    final Scenario scenario;
    final ClientFactory factory;
    private final Path dir;

    /** @param dir where the CLI's {@code --store} and {@code --state-dir} live */
    InMemoryCli(Path dir) throws Exception {
        this.dir = dir;
        this.scenario = new Scenario().funded(100_000);
        InMemoryMarket market = scenario.market;
        this.factory = (profile, org, user, endorseRetries) -> {
            String msp = org == null ? "Org1MSP" : org.toUpperCase(Locale.ROOT).startsWith("ORG")
                    ? "Org" + org.substring(3, 4) + "MSP" : org;
            return FusionLedgerClient.over(market.as(msp, user, user.equals("Admin")));
        };
    }

    /** Runs {@code fusionledger --store DIR/store --state-dir DIR/state ARGS...}. */
    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--store", dir.resolve("store").toString(),
                "--state-dir", dir.resolve("state").toString()));
        all.addAll(List.of(args));
        int code = FusionLedgerCli.run(factory, new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }
}
