package dev.fusionledger.client;

import dev.fusionledger.ledger.ErrorCode;

/** Chaincode code {@code INVALID_ARGUMENT}: an argument is malformed or out of its allowed range. */
public class InvalidArgumentException extends MarketRuleException {
    private static final long serialVersionUID = 1L;

    public InvalidArgumentException(String field, String reason, String transactionId, Phase phase, Throwable cause) {
        super(ErrorCode.INVALID_ARGUMENT, field, reason, transactionId, phase, cause);
    }
}
