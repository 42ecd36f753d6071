package dev.fusionledger.chaincode.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.ProcessedTransaction;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;

/**
 * End-to-end proof of the network (issue 2): a transaction submitted through the Fabric Gateway as
 * Org1 User1 is endorsed by both organisations (MAJORITY of two), committed, read back through Org2's
 * peer, and the peer's history database returns every write of the key.
 */
class SmokeIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void putIsEndorsedByBothOrgsAndVisibleWithHistoryOnTheOtherOrgsPeer() throws Exception {
        Contract org1 = FabricNetwork.contract("Org1", "User1", "smoke");
        Contract org2 = FabricNetwork.contract("Org2", "User1", "smoke");
        String key = "smoke-it-" + UUID.randomUUID();

        String tx1 = submit(org1, "Put", key, "first value");
        assertThat(endorsingMsps(tx1)).containsExactly("Org1MSP", "Org2MSP");

        assertThat(readOnOrg2(org2, key, "first value")).isEqualTo("first value");

        String tx2 = submit(org1, "Put", key, "second value");
        assertThat(tx2).isNotEqualTo(tx1);
        assertThat(readOnOrg2(org2, key, "second value")).isEqualTo("second value");

        JsonNode history = JSON.readTree(org2.newProposal("History").addArguments(key)
                .setEndorsingOrganizations("Org2MSP").build().evaluate());
        assertThat(history.size()).isGreaterThanOrEqualTo(2);
        List<String> txIds = new ArrayList<>();
        List<String> values = new ArrayList<>();
        history.forEach(h -> {
            txIds.add(h.get("txId").asText());
            values.add(h.get("value").asText());
            assertThat(h.get("deleted").asBoolean()).isFalse();
        });
        assertThat(txIds).containsExactlyInAnyOrder(tx1, tx2);
        assertThat(values).containsExactlyInAnyOrder("first value", "second value");
    }

    /**
     * The value of {@code key} on Org2's peer. A submit returns once the block is committed on the
     * gateway's peer (Org1's); Org2's peer commits the same block a moment later, so the read is
     * repeated (every 100 ms, at most 10 s) until it shows {@code expected}; the last value read is
     * returned either way.
     */
    private static String readOnOrg2(Contract org2, String key, String expected) throws Exception {
        String read = null;
        for (int i = 0; i < 100 && !expected.equals(read); i++) {
            if (i > 0) {
                Thread.sleep(100);
            }
            read = new String(org2.newProposal("Get").addArguments(key).setEndorsingOrganizations("Org2MSP").build()
                    .evaluate(), StandardCharsets.UTF_8);
        }
        return read;
    }

    @Test
    void endorsementByOneOrgAloneIsRejectedAtCommitAndLeavesStateUnchanged() throws Exception {
        Contract org1 = FabricNetwork.contract("Org1", "User2", "smoke");
        String key = "smoke-it-policy-" + UUID.randomUUID();
        submit(org1, "Put", key, "kept");

        SubmittedTransaction onlyOrg1 = org1.newProposal("Put").addArguments(key, "must not land")
                .setEndorsingOrganizations("Org1MSP").build().endorse().submitAsync();
        Status status = onlyOrg1.getStatus();
        assertThat(status.getCode()).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);

        Contract org2 = FabricNetwork.contract("Org2", "User2", "smoke");
        assertThat(new String(org2.evaluateTransaction("Get", key), StandardCharsets.UTF_8)).isEqualTo("kept");
        assertThat(JSON.readTree(org2.evaluateTransaction("History", key)).size()).isEqualTo(1);
    }

    @Test
    void badInputIsRejectedWithTheFieldAndRange() throws Exception {
        Contract org1 = FabricNetwork.contract("Org1", "User3", "smoke");
        assertThatThrownBy(() -> org1.newProposal("Put").addArguments("", "x").build().endorse())
                .isInstanceOf(EndorseException.class)
                .satisfies(e -> assertThat(details((EndorseException) e)).contains("INVALID_ARGUMENT: key: length must be in 1..256"));
        assertThatThrownBy(() -> org1.evaluateTransaction("Get", "smoke-it-never-written-" + UUID.randomUUID()))
                .hasMessageContaining("NOT_FOUND");
    }

    private static String submit(Contract contract, String tx, String... args) throws Exception {
        SubmittedTransaction s = contract.newProposal(tx).addArguments(args).build().endorse().submitAsync();
        Status st = s.getStatus();
        assertThat(st.isSuccessful()).as("%s committed as %s", tx, st.getCode()).isTrue();
        assertThat(new String(s.getResult(), StandardCharsets.UTF_8)).isEqualTo(s.getTransactionId());
        return s.getTransactionId();
    }

    /** The MSP ids of the endorsers of a committed transaction, read from the ledger (qscc). */
    private static TreeSet<String> endorsingMsps(String txId) throws Exception {
        byte[] raw = FabricNetwork.network("Org2", "User1").getContract("qscc")
                .evaluateTransaction("GetTransactionByID", FabricNetwork.channelName(), txId);
        ProcessedTransaction pt = ProcessedTransaction.parseFrom(raw);
        assertThat(pt.getValidationCode()).isEqualTo(TxValidationCode.VALID_VALUE);
        Envelope env = pt.getTransactionEnvelope();
        Transaction t = Transaction.parseFrom(Payload.parseFrom(env.getPayload()).getData());
        TreeSet<String> msps = new TreeSet<>();
        for (var action : t.getActionsList()) {
            ChaincodeActionPayload cap = ChaincodeActionPayload.parseFrom(action.getPayload());
            for (Endorsement e : cap.getAction().getEndorsementsList()) {
                msps.add(SerializedIdentity.parseFrom(e.getEndorser()).getMspid());
            }
        }
        return msps;
    }

    private static String details(EndorseException e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        e.getDetails().forEach(d -> b.append(" | ").append(d.getMessage()));
        return b.toString();
    }
}
