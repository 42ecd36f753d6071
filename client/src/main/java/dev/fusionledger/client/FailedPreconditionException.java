package dev.fusionledger.client;

import dev.fusionledger.ledger.ErrorCode;

/** Chaincode code {@code FAILED_PRECONDITION}: the task is in the wrong state or phase for this call. */
public class FailedPreconditionException extends MarketRuleException {
    private static final long serialVersionUID = 1L;

    public FailedPreconditionException(String field, String reason, String transactionId, Phase phase, Throwable cause) {
        super(ErrorCode.FAILED_PRECONDITION, field, reason, transactionId, phase, cause);
    }
}
