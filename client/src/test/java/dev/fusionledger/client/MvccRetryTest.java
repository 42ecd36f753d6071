package dev.fusionledger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;

/** Only MVCC read conflicts are retried, a bounded number of times, each with a fresh transaction. */
class MvccRetryTest {

    private static GatewayTransport.Try sequence(List<String> txIds, TxValidationCode... codes) {
        return () -> {
            int n = txIds.size();
            String tx = "tx" + n;
            txIds.add(tx);
            TxValidationCode c = codes[Math.min(n, codes.length - 1)];
            return new GatewayTransport.Attempt(tx, 10 + n, c == TxValidationCode.VALID ? new byte[] {1} : null, c);
        };
    }

    @Test
    void retriesMvccConflictsUntilValid() throws Exception {
        List<String> txs = new ArrayList<>();
        Submitted<byte[]> s = GatewayTransport.submitWithRetry(5, Duration.ofMillis(1), sequence(txs,
                TxValidationCode.MVCC_READ_CONFLICT, TxValidationCode.MVCC_READ_CONFLICT, TxValidationCode.VALID));
        assertThat(s.attempts()).isEqualTo(3);
        assertThat(s.transactionId()).isEqualTo("tx2");
        assertThat(txs).containsExactly("tx0", "tx1", "tx2");
    }

    @Test
    void givesUpAfterMaxAttempts() {
        List<String> txs = new ArrayList<>();
        assertThatThrownBy(() -> GatewayTransport.submitWithRetry(4, Duration.ofMillis(1),
                sequence(txs, TxValidationCode.MVCC_READ_CONFLICT)))
                .isInstanceOfSatisfying(CommitFailedException.class, e -> {
                    assertThat(e.attempts()).isEqualTo(4);
                    assertThat(e.validationCode()).isEqualTo("MVCC_READ_CONFLICT");
                    assertThat(e.transactionId()).isEqualTo("tx3");
                    assertThat(e.phase()).isEqualTo(Phase.COMMIT);
                });
        assertThat(txs).hasSize(4);
    }

    @Test
    void otherValidationFailuresAreNotRetried() {
        List<String> txs = new ArrayList<>();
        assertThatThrownBy(() -> GatewayTransport.submitWithRetry(5, Duration.ofMillis(1),
                sequence(txs, TxValidationCode.ENDORSEMENT_POLICY_FAILURE, TxValidationCode.VALID)))
                .isInstanceOfSatisfying(CommitFailedException.class, e -> assertThat(e.attempts()).isEqualTo(1));
        assertThat(txs).hasSize(1);
    }

    @Test
    void exceptionsOfATryAreNotRetried() {
        int[] calls = {0};
        assertThatThrownBy(() -> GatewayTransport.submitWithRetry(5, Duration.ofMillis(1), () -> {
            calls[0]++;
            throw new EndorseFailedException("peers down", "tx0", null);
        })).isInstanceOf(EndorseFailedException.class);
        assertThat(calls[0]).isEqualTo(1);
    }

    @Test
    void outOfStepEndorsementsAreRetriedOnlyWhenAskedAndOnlyThose() throws Exception {
        int[] calls = {0};
        GatewayTransport.Try flaky = () -> {
            calls[0]++;
            if (calls[0] <= 2) {
                throw new EndorseFailedException("ProposalResponsePayloads do not match", "tx" + calls[0], true, null);
            }
            return new GatewayTransport.Attempt("tx" + calls[0], 7, new byte[] {1}, TxValidationCode.VALID);
        };
        assertThatThrownBy(() -> GatewayTransport.submitWithRetry(5, Duration.ofMillis(1), flaky))
                .isInstanceOfSatisfying(EndorseFailedException.class, e -> assertThat(e.peersOutOfStep()).isTrue());
        assertThat(calls[0]).isEqualTo(1);
        Submitted<byte[]> s = GatewayTransport.submitWithRetry(5, Duration.ofMillis(1), 3, Duration.ofMillis(1), flaky);
        assertThat(s.transactionId()).isEqualTo("tx3");
        assertThat(s.attempts()).isEqualTo(1);
        int[] other = {0};
        assertThatThrownBy(() -> GatewayTransport.submitWithRetry(5, Duration.ofMillis(1), 3, Duration.ofMillis(1), () -> {
            other[0]++;
            throw new EndorseFailedException("UNAVAILABLE", "tx", false, null);
        })).isInstanceOf(EndorseFailedException.class);
        assertThat(other[0]).isEqualTo(1);
    }
}
