package dev.fusionledger.fusion.server;

import dev.fusionledger.proto.fusion.v1.Dataset;
import dev.fusionledger.proto.fusion.v1.EvaluateRequest;
import dev.fusionledger.proto.fusion.v1.FusionServiceGrpc;
import dev.fusionledger.proto.fusion.v1.GetModelRequest;
import dev.fusionledger.proto.fusion.v1.Matrix;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server over real TCP (Netty, as {@code fusion-engine serve} runs it): health, size limit, shutdown. */
class NettyTransportTest {
    @Test
    void servesOverTcpEnforcesTheMessageLimitAndShutsDownGracefully(@TempDir Path dir) throws Exception {
        ServerLimits limits = new ServerLimits(64 * 1024, 1_000_000L, 8, 10, 1);
        FusionServer server = new FusionServer(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)),
                new ModelStore(dir), limits).start();
        int port = server.port();
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            assertThat(HealthGrpc.newBlockingStub(ch).check(HealthCheckRequest.getDefaultInstance()).getStatus())
                    .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
            FusionServiceGrpc.FusionServiceBlockingStub stub = FusionServiceGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> stub.getModel(GetModelRequest.newBuilder().setModelId("1".repeat(64)).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
            Matrix.Builder big = Matrix.newBuilder().setRows(20_000).setCols(1);
            for (int i = 0; i < 20_000; i++) {
                big.addValues(i);
            }
            EvaluateRequest req = EvaluateRequest.newBuilder().setModelId("1".repeat(64))
                    .setData(Dataset.newBuilder().addFeatures(big)).build();
            assertThat(req.getSerializedSize()).isGreaterThan(64 * 1024);
            assertThatThrownBy(() -> stub.evaluate(req)).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        } finally {
            ch.shutdownNow();
            server.shutdown(5, TimeUnit.SECONDS);
        }
        ManagedChannel after = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            assertThatThrownBy(() -> HealthGrpc.newBlockingStub(after).withDeadlineAfter(2, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isIn(Status.Code.UNAVAILABLE,
                                    Status.Code.DEADLINE_EXCEEDED));
        } finally {
            after.shutdownNow();
        }
    }
}
