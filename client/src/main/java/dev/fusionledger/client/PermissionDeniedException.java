package dev.fusionledger.client;

import dev.fusionledger.ledger.ErrorCode;

/** Chaincode code {@code PERMISSION_DENIED}: the caller may not do this (wrong role, own task, not the treasurer). */
public class PermissionDeniedException extends MarketRuleException {
    private static final long serialVersionUID = 1L;

    public PermissionDeniedException(String field, String reason, String transactionId, Phase phase, Throwable cause) {
        super(ErrorCode.PERMISSION_DENIED, field, reason, transactionId, phase, cause);
    }
}
