package dev.fusionledger.chaincode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionledger.ledger.ErrorCode;
import dev.fusionledger.ledger.MarketException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Default;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.junit.jupiter.api.Test;

/** The adapter's contract with clients: names, intents, default contract, error format. */
class MarketContractTest {

    @Test
    void isTheDefaultContractWithTheDocumentedTransactions() {
        assertThat(MarketContract.class.getAnnotation(Default.class)).isNotNull();
        assertThat(MarketContract.class.getAnnotation(Contract.class).name()).isEqualTo("market");
        List<String> submit = new ArrayList<>();
        List<String> evaluate = new ArrayList<>();
        for (Method m : MarketContract.class.getDeclaredMethods()) {
            Transaction t = m.getAnnotation(Transaction.class);
            if (t != null) {
                (t.intent() == Transaction.TYPE.SUBMIT ? submit : evaluate).add(t.name());
                for (Class<?> p : m.getParameterTypes()) {
                    assertThat(p.getSimpleName()).isIn("Context", "String");
                }
                assertThat(m.getReturnType()).isEqualTo(String.class);
            }
        }
        assertThat(submit).containsExactlyInAnyOrder("Initialize", "Mint", "Transfer", "AnnounceTask", "CancelTask",
                "SubmitBid", "WithdrawBid", "RegisterVerifier", "ResolveBidding", "SubmitCheckpoint", "EndEpoch",
                "CommitVote", "RevealVote", "Settle", "SubmitSealedCheckpoint", "DeliverKey", "ReclaimKeyEscrow", "DisputeKey");
        assertThat(evaluate).containsExactlyInAnyOrder("BalanceOf", "ClientAccountId", "GetTotals", "GetTask", "ListTasks",
                "GetBids", "GetVerifiers", "GetCheckpoints", "GetVotes", "GetSettlement", "GetReputation", "GetHistory",
                "GetKeyDeliveries", "GetKeyEscrows", "GetKeyDisputes");
    }

    @Test
    void marketErrorsBecomeChaincodeExceptionsWithTheCodeAsPayload() {
        for (ErrorCode code : ErrorCode.values()) {
            ChaincodeException e = MarketContract.toChaincodeException(new MarketException(code, "mafrBps", "must be in 0..10000, got 12000"));
            assertThat(e.getMessage()).isEqualTo(code.name() + ": mafrBps: must be in 0..10000, got 12000");
            assertThat(new String(e.getPayload(), StandardCharsets.UTF_8)).isEqualTo(code.name());
            assertThat(e.getMessage().substring(0, e.getMessage().indexOf(':'))).isEqualTo(code.name());
        }
    }
}
