package dev.fusionledger.fusion.server;

import dev.fusionledger.fusion.FusionTrainer;
import dev.fusionledger.proto.fusion.v1.FusionServiceGrpc;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The fusion engine's gRPC server: {@code fusionledger.fusion.v1.FusionService}, the standard
 * health service ({@code grpc.health.v1.Health}, SERVING for "" and the FusionService name while
 * running, NOT_SERVING while shutting down) and server reflection (v1). The transport comes
 * from the caller's {@link ServerBuilder}: Netty for {@code fusion-engine serve}, in-process in tests.
 */
public final class FusionServer {
    private static final Logger LOG = LoggerFactory.getLogger(FusionServer.class);
    private final Server server;
    private final HealthStatusManager health = new HealthStatusManager();
    private final ExecutorService training;
    private final ComputeDelegate delegate;

    /**
     * @param builder a server builder (port or in-process name already chosen)
     * @param store   where trained models are kept
     * @param limits  request limits; {@code maxMessageBytes} is applied to the builder
     * @param trainers supplies a trainer per request (its backend decides where the math runs)
     */
    public FusionServer(ServerBuilder<?> builder, ModelStore store, ServerLimits limits,
                        Supplier<FusionTrainer> trainers) {
        this(builder, store, limits, trainers, null);
    }

    /**
     * @param builder  a server builder
     * @param store    where trained models are kept
     * @param limits   request limits
     * @param trainers supplies a trainer per request
     * @param delegate runs large {@code Train} (without validation set) and {@code ScoreContributions}
     *                 requests elsewhere (e.g. on Spark), or null; closed with the server
     */
    public FusionServer(ServerBuilder<?> builder, ModelStore store, ServerLimits limits,
                        Supplier<FusionTrainer> trainers, ComputeDelegate delegate) {
        this.delegate = delegate;
        this.training = Executors.newFixedThreadPool(limits.maxConcurrentTrainings(), r -> {
            Thread t = new Thread(r, "fusion-training");
            t.setDaemon(true);
            return t;
        });
        this.server = builder.maxInboundMessageSize(limits.maxMessageBytes())
                .addService(new FusionServiceImpl(store, limits, training, trainers, delegate))
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .build();
    }

    /**
     * @param builder server builder
     * @param store   model store
     * @param limits  limits
     */
    public FusionServer(ServerBuilder<?> builder, ModelStore store, ServerLimits limits) {
        this(builder, store, limits, FusionTrainer::new);
    }

    /**
     * Starts listening and marks the services SERVING.
     *
     * @return this
     * @throws IOException when the transport cannot bind
     */
    public FusionServer start() throws IOException {
        server.start();
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(FusionServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        LOG.info("fusion engine serving on {}", server.getListenSockets());
        return this;
    }

    /** @return the port, or -1 for transports without one */
    public int port() {
        return server.getPort();
    }

    /**
     * Graceful shutdown: NOT_SERVING, stop accepting calls, wait up to {@code grace} for running
     * calls, then cancel what is left (running trainings stop at their next mini-batch).
     *
     * @param grace   how long to wait
     * @param unit    unit of grace
     * @throws InterruptedException when interrupted while waiting
     */
    public void shutdown(long grace, TimeUnit unit) throws InterruptedException {
        health.enterTerminalState();
        server.shutdown();
        if (!server.awaitTermination(grace, unit)) {
            LOG.warn("calls still running after {} {}; cancelling them", grace, unit);
            server.shutdownNow();
            server.awaitTermination(5, TimeUnit.SECONDS);
        }
        training.shutdownNow();
        training.awaitTermination(5, TimeUnit.SECONDS);
        if (delegate != null) {
            delegate.close();
        }
        LOG.info("fusion engine stopped");
    }

    /**
     * Blocks until the server terminates.
     *
     * @throws InterruptedException when interrupted
     */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }
}
