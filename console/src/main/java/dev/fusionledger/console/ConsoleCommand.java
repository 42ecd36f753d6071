package dev.fusionledger.console;

import dev.fusionledger.client.cli.FusionLedgerCli;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fusionledger console}: serves the web console until interrupted (Ctrl-C). */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = {"Serve the web console (tasks, accounts, audits, live events; announce, resolve, end epoch,"
                + " settle) with the caller's identity (--org, --user).",
            "Binds 127.0.0.1 by default; any other address needs --token (or FUSIONLEDGER_CONSOLE_TOKEN)."},
        footer = {"", "Example:", "  fusionledger --org Org1 --user User1 console --port 8470",
            "  then open http://127.0.0.1:8470/"})
public final class ConsoleCommand extends FusionLedgerCli.Leaf {
    @Option(names = "--host", defaultValue = ConsoleSettings.DEFAULT_HOST,
            description = "Address to bind (default: ${DEFAULT-VALUE}, loopback only).")
    String host;

    @Option(names = "--port", defaultValue = "" + ConsoleSettings.DEFAULT_PORT,
            description = "TCP port, 0..65535 (default: ${DEFAULT-VALUE}; 0: any free port).")
    int port;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Access token (>= 16 characters), required when --host is not loopback "
                    + "(default: $FUSIONLEDGER_CONSOLE_TOKEN). Open the console once with ?token=TOKEN.")
    String token;

    @Option(names = "--reports", paramLabel = "DIR",
            description = "Verification reports to chart (fused accuracy after models 1..k), as this identity's verifier "
                    + "agent writes them (default: <state-dir>/reports).")
    java.nio.file.Path reports;

    @Override
    protected void run() throws Exception {
        String t = token != null ? token : System.getenv("FUSIONLEDGER_CONSOLE_TOKEN");
        ConsoleSettings settings = new ConsoleSettings(host, port, t);
        System.setProperty("java.awt.headless", "true");
        // the web server's start-up lines would bury the one line this command prints
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        CountDownLatch stopped = new CountDownLatch(1);
        ConsoleServer server = ConsoleServer.start(client(), settings,
                reports != null ? reports : root().stateDir().resolve("reports"));
        try {
            out().println("fusionledger console: http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                    + server.port() + "/ as " + Fmt.who(server.identity()) + (settings.token() != null ? " (token required)" : "")
                    + "; Ctrl-C stops it");
            out().flush();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "console-stop"));
            stopped.await();
        } finally {
            server.close();
        }
    }
}
