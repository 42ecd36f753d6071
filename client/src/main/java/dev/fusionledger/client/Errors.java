package dev.fusionledger.client;

import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;

/** Maps Gateway failures to the client's exception hierarchy. */
final class Errors {
    private Errors() {
    }

    /**
     * Finds a chaincode rule violation {@code "<CODE>: <field>: <text>"} in any of {@code messages}
     * and returns it as a typed exception, or {@code null} when none carries one.
     */
    static MarketRuleException ruleViolation(List<String> messages, String txId, Phase phase, Throwable cause) {
        for (String m : messages) {
            MarketRuleException e = MarketRuleException.parse(m, txId, phase, cause);
            if (e != null) {
                return e;
            }
        }
        return null;
    }

    /** The messages of a Gateway failure: the details from each peer first, then the gRPC status. */
    static List<String> messages(GatewayException e) {
        List<String> out = new ArrayList<>();
        for (ErrorDetail d : e.getDetails()) {
            out.add(d.getMessage());
        }
        out.add(e.getStatus().getDescription());
        return out;
    }

    /** One-line description of a gRPC failure: status code, description, peer details. */
    static String describe(GatewayException e) {
        StringBuilder sb = new StringBuilder(e.getStatus().getCode().name());
        if (e.getStatus().getDescription() != null) {
            sb.append(": ").append(e.getStatus().getDescription());
        }
        for (ErrorDetail d : e.getDetails()) {
            sb.append(" [").append(d.getMspId()).append(' ').append(d.getAddress()).append(": ")
                    .append(d.getMessage()).append(']');
        }
        return sb.toString();
    }

    static String describe(StatusRuntimeException e) {
        return e.getStatus().getCode() + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription());
    }
}
