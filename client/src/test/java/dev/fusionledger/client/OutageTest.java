package dev.fusionledger.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.SubmitException;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;
import org.junit.jupiter.api.Test;

/** {@link Outage}: what is down, in one line with the next step (docs/network.md, "When something is down"). */
class OutageTest {
    static final String TX = "b".repeat(64);
    static final String GATEWAY = "127.0.0.1:7101";

    static StatusRuntimeException status(int code, String message, ErrorDetail... details) {
        com.google.rpc.Status.Builder b = com.google.rpc.Status.newBuilder().setCode(code).setMessage(message);
        for (ErrorDetail d : details) {
            b.addDetails(Any.pack(d));
        }
        return StatusProto.toStatusRuntimeException(b.build());
    }

    static ErrorDetail detail(String address, String msp, String message) {
        return ErrorDetail.newBuilder().setAddress(address).setMspId(msp).setMessage(message).build();
    }

    @Test
    void aDeadEndorsingPeerIsNamedWithItsOrg() {
        EndorseException e = new EndorseException(TX, status(14, "failed to endorse transaction, see attached details for more info",
                detail("127.0.0.1:7201", "Org2MSP", "rpc error: code = Unavailable desc = connection error: desc = \"transport:"
                        + " Error while dialing: dial tcp 127.0.0.1:7201: connect: connection refused\"")));
        String line = Outage.describe(e, GATEWAY);
        assertThat(line).isEqualTo("peer 127.0.0.1:7201 (Org2MSP) is down or unreachable; " + Outage.NEXT_STEP);
        assertThat(line).contains("make network-up").doesNotContain("\n");
    }

    @Test
    void theClientsOwnGatewayPeerDown() {
        EndorseException e = new EndorseException(TX, status(14, "io exception"));
        assertThat(Outage.describe(e, GATEWAY)).startsWith("peer " + GATEWAY + " (this client's gateway) is down");
        assertThat(Outage.describe(new StatusRuntimeException(io.grpc.Status.UNAVAILABLE), GATEWAY))
                .startsWith("peer " + GATEWAY + " (this client's gateway)");
    }

    @Test
    void theChaincodeServerDown() {
        EndorseException e = new EndorseException(TX, status(10, "failed to endorse transaction",
                detail("127.0.0.1:7101", "Org1MSP", "chaincode response 500, error in simulation: failed to execute transaction"
                        + " " + TX + ": could not launch chaincode fusionledger_1:abc: connection to chaincode failed")));
        assertThat(Outage.describe(e, GATEWAY)).startsWith("the chaincode server is not running");
    }

    @Test
    void noEndorsersAndNoOrderers() {
        EndorseException e = new EndorseException(TX, status(14,
                "no combination of peers can be derived which satisfy the endorsement policy: required chaincodes are not installed on sufficient peers"));
        assertThat(Outage.describe(e, GATEWAY)).startsWith("not enough peers are up to endorse");
        SubmitException s = new SubmitException(TX, status(14, "no orderers could successfully process transaction",
                detail("127.0.0.1:7050", "OrdererMSP", "rpc error: code = Unavailable desc = SERVICE_UNAVAILABLE")));
        assertThat(Outage.describe(s, GATEWAY)).startsWith("no orderer accepted the transaction (tried 127.0.0.1:7050)");
    }

    @Test
    void aRuleViolationIsNotAnOutage() {
        EndorseException e = new EndorseException(TX, status(10, "failed to endorse transaction",
                detail("127.0.0.1:7101", "Org1MSP", "chaincode response 500, FAILED_PRECONDITION: state: task is not in BIDDING")));
        assertThat(Outage.describe(e, GATEWAY)).isNull();
    }
}
