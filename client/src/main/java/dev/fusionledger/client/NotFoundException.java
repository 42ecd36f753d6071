package dev.fusionledger.client;

import dev.fusionledger.ledger.ErrorCode;

/** Chaincode code {@code NOT_FOUND}: the task, bid, verifier or settlement does not exist. */
public class NotFoundException extends MarketRuleException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String field, String reason, String transactionId, Phase phase, Throwable cause) {
        super(ErrorCode.NOT_FOUND, field, reason, transactionId, phase, cause);
    }
}
