package dev.fusionledger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CallOptions;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.client.CommitStatusException;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.client.SubmitException;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.client.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;

/**
 * {@link GatewayTransport#submitUntilKnown}: the same signed transaction is sent again while its
 * commit status is unknown, within the bound (docs/ledger-api.md, "Lost or unknown commits").
 */
class ResubmitTest {
    static final String TX = "a".repeat(64);

    /** A signed transaction whose sends and status waits follow a script. */
    static final class ScriptedTx implements Transaction {
        final Deque<Object> submits = new ArrayDeque<>();   // null = accepted, else a SubmitException
        final Deque<Object> statuses = new ArrayDeque<>();  // a TxValidationCode, or a CommitStatusException
        final List<byte[]> sent = new ArrayList<>();
        final List<Long> sentAt = new ArrayList<>();
        final byte[] envelope = {1, 2, 3};

        @Override
        public byte[] getResult() {
            return "ok".getBytes();
        }

        @Override
        public String getTransactionId() {
            return TX;
        }

        @Override
        public byte[] submit(UnaryOperator<CallOptions> options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SubmittedTransaction submitAsync(UnaryOperator<CallOptions> options) throws SubmitException {
            Object next = submits.isEmpty() ? null : submits.poll();
            if (next instanceof SubmitException e) {
                throw e;
            }
            sent.add(envelope);
            sentAt.add(System.nanoTime() / 1_000_000);
            return new SubmittedTransaction() {
                @Override
                public byte[] getResult() {
                    return "ok".getBytes();
                }

                @Override
                public String getTransactionId() {
                    return TX;
                }

                @Override
                public Status getStatus(UnaryOperator<CallOptions> o) throws CommitStatusException {
                    Object s = statuses.isEmpty() ? unknown() : statuses.poll();
                    if (s instanceof CommitStatusException e) {
                        throw e;
                    }
                    TxValidationCode code = (TxValidationCode) s;
                    return new Status() {
                        @Override
                        public String getTransactionId() {
                            return TX;
                        }

                        @Override
                        public long getBlockNumber() {
                            return 7;
                        }

                        @Override
                        public TxValidationCode getCode() {
                            return code;
                        }

                        @Override
                        public boolean isSuccessful() {
                            return code == TxValidationCode.VALID;
                        }
                    };
                }

                @Override
                public byte[] getBytes() {
                    return envelope;
                }

                @Override
                public byte[] getDigest() {
                    return envelope;
                }
            };
        }

        @Override
        public byte[] getBytes() {
            return envelope;
        }

        @Override
        public byte[] getDigest() {
            return envelope;
        }
    }

    static CommitStatusException unknown() {
        return new CommitStatusException(TX, new StatusRuntimeException(io.grpc.Status.DEADLINE_EXCEEDED));
    }

    static SubmitException unavailable() {
        return new SubmitException(TX, new StatusRuntimeException(io.grpc.Status.UNAVAILABLE.withDescription("no orderers")));
    }

    static String describe(GatewayException e) {
        return e.getStatus().getCode().name();
    }

    @Test
    void unknownStatusResendsTheSameSignedTransactionUntilItIsKnown() throws Exception {
        ScriptedTx tx = new ScriptedTx();
        tx.statuses.add(unknown());
        tx.statuses.add(unknown());
        tx.statuses.add(TxValidationCode.VALID);
        GatewayTransport.Attempt a = GatewayTransport.submitUntilKnown("SubmitBid", tx, Duration.ofSeconds(30),
                Duration.ofSeconds(1), ResubmitTest::describe);
        assertThat(a.code()).isEqualTo(TxValidationCode.VALID);
        assertThat(a.txId()).isEqualTo(TX);
        assertThat(a.sends()).isEqualTo(3);
        assertThat(tx.sent).hasSize(3).allSatisfy(b -> assertThat(b).isSameAs(tx.envelope));
        assertThat(a.blockNumber()).isEqualTo(7);
    }

    @Test
    void ordererRefusalsAreRetriedWithinTheBound() throws Exception {
        ScriptedTx tx = new ScriptedTx();
        tx.submits.add(unavailable());
        tx.submits.add(unavailable());
        tx.statuses.add(TxValidationCode.VALID);
        GatewayTransport.Attempt a = GatewayTransport.submitUntilKnown("SubmitBid", tx, Duration.ofSeconds(30),
                Duration.ofSeconds(5), ResubmitTest::describe);
        assertThat(a.code()).isEqualTo(TxValidationCode.VALID);
        assertThat(a.sends()).isEqualTo(1);
    }

    @Test
    void noOrdererWithinTheBoundIsASubmitFailure() {
        ScriptedTx tx = new ScriptedTx();
        for (int i = 0; i < 100; i++) {
            tx.submits.add(unavailable());
        }
        assertThatThrownBy(() -> GatewayTransport.submitUntilKnown("SubmitBid", tx, Duration.ofMillis(1500),
                Duration.ofMillis(500), ResubmitTest::describe))
                .isInstanceOf(SubmitFailedException.class)
                .hasMessageContaining("no orderer accepted transaction " + TX)
                .hasMessageContaining("UNAVAILABLE");
        assertThat(tx.sent).isEmpty();
    }

    @Test
    void statusStillUnknownAtTheBoundNamesTheIdAndHowToLookItUp() {
        ScriptedTx tx = new ScriptedTx();
        assertThatThrownBy(() -> GatewayTransport.submitUntilKnown("SubmitBid", tx, Duration.ofMillis(1200),
                Duration.ofMillis(400), ResubmitTest::describe))
                .isInstanceOf(CommitStatusFailedException.class)
                .hasMessageContaining("still unknown")
                .hasMessageContaining("fusionledger tx status " + TX)
                .satisfies(e -> assertThat(((LedgerException) e).transactionId()).isEqualTo(TX));
        assertThat(tx.sent.size()).as("sends at (ms) " + tx.sentAt).isBetween(2, 4);
    }

    @Test
    void aRefusalOfTheTransactionItselfIsFinal() {
        ScriptedTx tx = new ScriptedTx();
        tx.submits.add(new SubmitException(TX, new StatusRuntimeException(io.grpc.Status.ABORTED
                .withDescription("received unsuccessful response from orderer: status=BAD_REQUEST"))));
        assertThatThrownBy(() -> GatewayTransport.submitUntilKnown("SubmitBid", tx, Duration.ofSeconds(30),
                Duration.ofSeconds(5), ResubmitTest::describe))
                .isInstanceOf(SubmitFailedException.class).hasMessageContaining("refused");
        assertThat(tx.sent).isEmpty();
    }

    @Test
    void anInvalidCommitIsReportedNotResent() throws Exception {
        ScriptedTx tx = new ScriptedTx();
        tx.statuses.add(TxValidationCode.MVCC_READ_CONFLICT);
        GatewayTransport.Attempt a = GatewayTransport.submitUntilKnown("SubmitBid", tx, Duration.ofSeconds(30),
                Duration.ofSeconds(5), ResubmitTest::describe);
        assertThat(a.code()).isEqualTo(TxValidationCode.MVCC_READ_CONFLICT);
        assertThat(a.result()).isNull();
        assertThat(tx.sent).hasSize(1);
    }
}
