package dev.fusionledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionledger.client.cli.ClientFactory;
import dev.fusionledger.client.cli.FusionLedgerCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code fusionledger console} is found through the CLI's extension point and checks its options first. */
class ConsoleCommandTest {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final ClientFactory noNetwork = (profile, org, user, retries) -> {
        throw new AssertionError("no client may be connected");
    };

    int run(String... args) {
        return FusionLedgerCli.run(noNetwork, new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    void consoleIsACommandOfFusionledger() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("console");
        assertThat(new picocli.CommandLine(new ConsoleCommand()).getUsageMessage()).contains("--host").contains("--port")
                .contains("--token").contains("127.0.0.1");
    }

    @Test
    void aNonLoopbackAddressWithoutTokenIsRefusedBeforeConnecting() {
        assertThat(run("console", "--host", "0.0.0.0")).isEqualTo(2);
        assertThat(err.toString()).contains("token: required when --host is not a loopback address");
    }

    @Test
    void aBadPortIsRefused() {
        assertThat(run("console", "--port", "70000")).isEqualTo(2);
        assertThat(err.toString()).contains("port: must be in 0..65535, got 70000");
    }
}
