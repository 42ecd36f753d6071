package dev.fusionledger.agent.verifier;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The fusion engine ({@code fusion-engine serve}) as a child process of the demo: started from its
 * shaded jar on 127.0.0.1, health-checked through {@code grpc.health.v1.Health} until it reports
 * {@code SERVING}, and stopped by its pid (SIGTERM, then SIGKILL after a grace period) on
 * {@link #close()}.
 */
public final class FusionEngineProcess implements AutoCloseable {
    private final Process process;
    private final ManagedChannel channel;
    private final int port;
    private final Path log;

    private FusionEngineProcess(Process process, ManagedChannel channel, int port, Path log) {
        this.process = process;
        this.channel = channel;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts {@code java -jar jar serve --port port --model-dir modelDir} and waits until it is healthy.
     *
     * @param jar the shaded fusion-engine jar
     * @param port TCP port on 127.0.0.1, 1..65535
     * @param modelDir where the engine stores fused models
     * @param log file receiving the child's stdout and stderr
     * @param startupSeconds how long to wait for {@code SERVING}, seconds
     * @throws IllegalArgumentException if the jar does not exist or the port is outside 1..65535
     * @throws IOException if the process cannot start, exits, or is not healthy in time (it is then stopped)
     */
    public static FusionEngineProcess start(Path jar, int port, Path modelDir, Path log, int startupSeconds)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("fusionJar: " + jar + " does not exist (build it with "
                    + "`mvn -o -q -pl fusion-engine -am package -DskipTests`)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("fusionPort: must be in 1..65535, got " + port);
        }
        Files.createDirectories(modelDir);
        Files.createDirectories(log.toAbsolutePath().getParent());
        // run a private copy: a rebuild of the shared target/ directory must not pull the jar away
        Path copy = log.toAbsolutePath().getParent().resolve("fusion-engine.jar");
        Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xmx1g", "-jar", copy.toString(), "serve",
                "--port", Integer.toString(port), "--model-dir", modelDir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
        FusionEngineProcess fe = new FusionEngineProcess(p, ch, port, log);
        try {
            fe.awaitServing(startupSeconds);
        } catch (IOException | RuntimeException e) {
            fe.close();
            throw e;
        }
        return fe;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void awaitServing(int seconds) throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String last = "no answer";
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IOException("fusion engine exited with " + process.exitValue() + " before serving; log: " + log);
            }
            try {
                HealthCheckResponse r = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.newBuilder().setService("").build());
                if (r.getStatus() == HealthCheckResponse.ServingStatus.SERVING) {
                    return;
                }
                last = r.getStatus().name();
            } catch (StatusRuntimeException e) {
                last = e.getStatus().getCode().name();
            }
            Thread.sleep(250);
        }
        throw new IOException("fusion engine on port " + port + " not SERVING after " + seconds + " s (last: " + last
                + "); log: " + log);
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    /** A plaintext channel to the engine on 127.0.0.1 (closed by {@link #close()}). */
    public ManagedChannel channel() {
        return channel;
    }

    /** The TCP port. */
    public int port() {
        return port;
    }

    /** The child's log file. */
    public Path log() {
        return log;
    }

    /** Stops the child by its pid: SIGTERM, up to 15 s for a graceful shutdown, then SIGKILL. */
    @Override
    public void close() {
        channel.shutdownNow();
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
