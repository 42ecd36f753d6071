package dev.fusionledger.client;

/** The chaincode's error codes (docs/ledger-api.md, "Errors"). */
public enum ErrorCode {
    INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, FAILED_PRECONDITION, INSUFFICIENT_FUNDS, ALREADY_EXISTS
}
