package dev.fusionledger.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.testing.Scenario;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fusionledger tx status}: the ledger's record of a transaction id, on the market rules in memory. */
class TxCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void statusOfACommittedTransactionAndOfAMalformedId() throws Exception {
        Scenario s = new Scenario().funded(100_000);
        ClientFactory factory = (profile, org, user, retries) -> FusionLedgerClient.over(s.market.as("Org1MSP", user,
                user.equals("Admin")));
        String txId = s.treasurer.transfer(s.alice.clientAccountId(), 5).transactionId();

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FusionLedgerCli.run(factory, new PrintWriter(out), new PrintWriter(err),
                "--state-dir", tmp.toString(), "tx", "status", txId);
        assertThat(code).as(err.toString()).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains(txId).contains("VALID").contains("Org1MSP");

        StringWriter err2 = new StringWriter();
        int bad = FusionLedgerCli.run(factory, new PrintWriter(new StringWriter()), new PrintWriter(err2),
                "--state-dir", tmp.toString(), "tx", "status", "xyz");
        assertThat(bad).isEqualTo(ExitCodes.USAGE);
        assertThat(err2.toString()).contains("TXID: must be 64 lowercase hexadecimal digits").doesNotContain("Exception");
    }
}
