package dev.fusionledger.agent.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One {@code fusionledger} process of the agents' module (its built classes and class path), pid-tracked. */
final class AgentProcess {
    private static final Path MODULE = Path.of(System.getProperty("user.dir"));
    private final List<String> command;
    private final Path log;
    private Process process;

    AgentProcess(Path log, List<String> args) throws IOException {
        String cp = MODULE.resolve("target/classes") + ":" + Files.readString(MODULE.resolve("target/classpath.txt")).strip();
        this.command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", cp, "dev.fusionledger.client.cli.FusionLedgerCli"));
        this.command.addAll(args);
        this.log = log;
    }

    /** Starts (or restarts) the process; its output is appended to the log. */
    AgentProcess start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("OMP_NUM_THREADS", "1");
        process = pb.start();
        return this;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** Kills the process at once (SIGKILL): a crash, nothing flushed or cleaned up. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Stops the process with SIGTERM, waits up to 20 s, then kills it. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
