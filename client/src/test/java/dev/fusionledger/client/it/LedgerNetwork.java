package dev.fusionledger.client.it;

import dev.fusionledger.client.AlreadyExistsException;
import dev.fusionledger.client.ConnectionProfile;
import dev.fusionledger.client.Deadlines;
import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.LedgerException;
import dev.fusionledger.client.PermissionDeniedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real network for the client's integration tests, brought up by the project's own network
 * scripts (idempotent: a healthy network is reused) with the chaincode deployed. Commands can be
 * overridden with the system properties {@code fusionledger.it.up} and {@code fusionledger.it.deploy}
 * (shell command lines run in the repository root).
 */
final class LedgerNetwork {
    static final Path ROOT = findRoot();
    private static ConnectionProfile profile;

    private LedgerNetwork() {
    }

    private static Path findRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("network"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("repository root (with network/) not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** Starts the network and deploys the chaincode if needed; returns the connection profile path. */
    static synchronized Path up() throws Exception {
        Path path = ConnectionProfile.defaultPath();
        if (profile == null) {
            String makefile = Files.isRegularFile(ROOT.resolve("Makefile")) ? Files.readString(ROOT.resolve("Makefile")) : "";
            String upCmd = System.getProperty("fusionledger.it.up",
                    makefile.contains("network-up:") ? "make network-up" : "bash network/up.sh");
            run(upCmd);
            String deploy = System.getProperty("fusionledger.it.deploy",
                    makefile.contains("chaincode-deploy:") ? "make chaincode-deploy"
                            : Files.isRegularFile(ROOT.resolve("network/chaincode-deploy.sh")) ? "bash network/chaincode-deploy.sh" : "");
            if (!deploy.isBlank()) {
                run(deploy);
            }
            profile = ConnectionProfile.load(path);
        }
        return path;
    }

    private static void run(String command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("fusionledger-it-", ".log");
        Process p = new ProcessBuilder("bash", "-c", command).directory(ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroy();
            throw new IllegalStateException("`" + command + "` did not finish in 15 min; log: " + log);
        }
        if (p.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log);
            throw new IllegalStateException("`" + command + "` failed with exit " + p.exitValue() + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
        }
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
        List<FusionLedgerClient> admins = new ArrayList<>(List.of(client("Org1", "Admin"), client("Org2", "Admin")));
        try {
            admins.get(0).initialize("Org1MSP");
        } catch (AlreadyExistsException e) {
            // initialized by an earlier run or another test
        }
        FusionLedgerClient treasurer = null;
        for (FusionLedgerClient a : admins) {
            try {
                a.mint(credits * (accounts.size() + 1));
                treasurer = a;
                break;
            } catch (PermissionDeniedException e) {
                // not the treasurer MSP
            }
        }
        if (treasurer == null) {
            throw new IllegalStateException("neither Org1 nor Org2 Admin may mint: treasurer MSP is another one");
        }
        for (String acc : accounts) {
            long have = treasurer.balanceOf(acc).balance();
            if (have < credits) {
                treasurer.transfer(acc, credits - have);
            }
        }
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
}
