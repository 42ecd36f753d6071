package dev.fusionledger.client;

import dev.fusionledger.ledger.ErrorCode;

/** Chaincode code {@code INSUFFICIENT_FUNDS}: the caller's balance does not cover the amount, escrow or stake. */
public class InsufficientFundsException extends MarketRuleException {
    private static final long serialVersionUID = 1L;

    public InsufficientFundsException(String field, String reason, String transactionId, Phase phase, Throwable cause) {
        super(ErrorCode.INSUFFICIENT_FUNDS, field, reason, transactionId, phase, cause);
    }
}
