package dev.fusionledger.client;

import io.grpc.Status;
import java.util.List;
import java.util.Locale;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;

/**
 * Turns a Gateway failure caused by a node that is down into one short line naming that node and the
 * next step, instead of Fabric's multi-line error (docs/network.md, "When something is down"). The
 * full Fabric error stays available as the exception's cause.
 */
final class Outage {
    /** What to run when a node of the local network is down. */
    static final String NEXT_STEP = "run `make network-up` (restarts stopped nodes), then retry";

    private Outage() {
    }

    /**
     * @param gatewayEndpoint the endpoint of the peer this client talks to (e.g. {@code 127.0.0.1:7101})
     * @return one line naming what is down and what to do, or {@code null} when the failure is not an outage
     */
    static String describe(GatewayException e, String gatewayEndpoint) {
        List<String> messages = Errors.messages(e);
        String all = String.join("\n", messages.stream().map(m -> m == null ? "" : m).toList()).toLowerCase(Locale.ROOT);
        Status.Code code = e.getStatus().getCode();
        if (all.contains("could not launch chaincode") || all.contains("chaincode registration failed")
                || all.contains("error starting connection to chaincode") || all.contains("timeout expired while starting chaincode")
                || all.contains("chaincode stream terminated")) {
            return "the chaincode server is not running or not reachable from the peers (its supervisor restarts a"
                    + " killed one within seconds); if this persists, " + NEXT_STEP;
        }
        if (all.contains("no orderers") || all.contains("failed to send transaction to orderer")
                || all.contains("failed to send transaction to any orderer") || all.contains("no raft leader")
                || all.contains("service_unavailable")) {
            List<String> tried = e.getDetails().stream().map(ErrorDetail::getAddress).filter(a -> !a.isBlank()).toList();
            return "no orderer accepted the transaction" + (tried.isEmpty() ? "" : " (tried " + String.join(", ", tried) + ")")
                    + ": orderers down, or a Raft leader election under way; " + NEXT_STEP;
        }
        for (ErrorDetail d : e.getDetails()) {
            String m = d.getMessage() == null ? "" : d.getMessage().toLowerCase(Locale.ROOT);
            if (unreachable(m)) {
                return "peer " + d.getAddress() + " (" + d.getMspId() + ") is down or unreachable; " + NEXT_STEP;
            }
        }
        if (all.contains("no combination of peers can be derived") || all.contains("no peers available")
                || all.contains("failed to select a set of endorsers")) {
            return "not enough peers are up to endorse (every organisation's peer must endorse); " + NEXT_STEP;
        }
        if (code == Status.Code.UNAVAILABLE && (messages.isEmpty() || e.getDetails().isEmpty())) {
            return "peer " + gatewayEndpoint + " (this client's gateway) is down or unreachable; " + NEXT_STEP;
        }
        return null;
    }

    /** The same for a bare gRPC failure (the gateway peer itself did not answer). */
    static String describe(io.grpc.StatusRuntimeException e, String gatewayEndpoint) {
        if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
            return "peer " + gatewayEndpoint + " (this client's gateway) is down or unreachable; " + NEXT_STEP;
        }
        return null;
    }

    private static boolean unreachable(String m) {
        return m.contains("connection refused") || m.contains("connect: connection") || m.contains("unavailable")
                || m.contains("error while dialing") || m.contains("transport is closing") || m.contains("failed to connect");
    }
}
