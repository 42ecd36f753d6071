package dev.fusionledger.chaincode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionledger.ledger.ErrorCode;
import dev.fusionledger.ledger.MarketException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ResponseUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, defect 7: a rejection by a market rule is logged in one line, the shim's SEVERE record
 * with its stack trace is dropped; a bug keeps its stack trace. Runs the shim's own error path
 * ({@link ResponseUtils#newErrorResponse(Throwable)}) through a root handler with the policy.
 */
class RejectionLogTest {
    final List<LogRecord> records = new ArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (isLoggable(r)) {
                records.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void install() {
        capture.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(capture);
        RejectionLog.install();
        RejectionLog.install(); // idempotent
    }

    @AfterEach
    void remove() {
        Logger.getLogger("").removeHandler(capture);
    }

    private List<String> lines() {
        List<String> out = new ArrayList<>();
        for (LogRecord r : records) {
            out.addAll(r.getMessage().lines().toList());
        }
        return out;
    }

    @Test
    void anExpectedRejectionIsOneLineWithoutStackTrace() {
        MarketException e = MarketException.invalid("mafrBps", "must be in 0..10000, got 12000\u001b[31m");
        RejectionLog.rejected("AnnounceTask", "0123abcd", e);
        ResponseUtils.newErrorResponse(MarketContract.toChaincodeException(e));
        Logger invocation = Logger.getLogger(RejectionLog.INVOCATION);
        invocation.severe(String.format("[%-8.8s] Invoke failed with error code %d. Sending %s", "0123abcd", 500, "ERROR"));
        invocation.severe(String.format("[%-8.8s] Invoke failed with error code %d. Sending %s", "99999999", 500, "ERROR"));
        assertThat(lines()).containsExactly(
                "rejected AnnounceTask tx 0123abcd: INVALID_ARGUMENT: mafrBps: must be in 0..10000, got 12000\\u001b[31m",
                "[99999999] Invoke failed with error code 500. Sending ERROR");
        assertThat(records.get(0).getLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void aBugKeepsTheShimsRecordWithItsStackTrace() {
        RejectionLog.rejected("Settle", "ffff", new MarketException(ErrorCode.NOT_FOUND, "task", "no task 'x'"));
        ResponseUtils.newErrorResponse(MarketContract.toChaincodeException(
                new MarketException(ErrorCode.NOT_FOUND, "task", "no task 'x'")));
        records.clear();
        ResponseUtils.newErrorResponse(new ChaincodeException("boom", new IllegalStateException("corrupt state")));
        assertThat(records).hasSize(1);
        assertThat(records.get(0).getLevel()).isEqualTo(Level.SEVERE);
        assertThat(records.get(0).getMessage()).contains("boom").contains("\tat ");
    }

    @Test
    void theRoutersPerCallInfoLinesAreDroppedOthersKept() {
        Logger router = Logger.getLogger(RejectionLog.ROUTER);
        router.setLevel(Level.ALL);
        router.info("Got invoke routing request");
        router.info("Got the invoke request for:AnnounceTask [{\"labels\":...}]");
        router.info("Got routing:market");
        router.info("Starting chaincode as server");
        router.warning("Got routing: something odd");
        assertThat(lines()).containsExactly("Starting chaincode as server", "Got routing: something odd");
    }
}
