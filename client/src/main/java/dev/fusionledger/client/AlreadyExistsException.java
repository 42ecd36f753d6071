package dev.fusionledger.client;

import dev.fusionledger.ledger.ErrorCode;

/** Chaincode code {@code ALREADY_EXISTS}: the bid, registration, commitment or reveal was made already. */
public class AlreadyExistsException extends MarketRuleException {
    private static final long serialVersionUID = 1L;

    public AlreadyExistsException(String field, String reason, String transactionId, Phase phase, Throwable cause) {
        super(ErrorCode.ALREADY_EXISTS, field, reason, transactionId, phase, cause);
    }
}
