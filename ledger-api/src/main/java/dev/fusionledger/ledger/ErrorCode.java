package dev.fusionledger.ledger;

/**
 * Stable error codes of the market. The chaincode sends the code name as the
 * {@code ChaincodeException} payload and as the message prefix; clients recover it from either
 * (docs/ledger-api.md, "Errors").
 */
public enum ErrorCode {
    /** An argument is malformed or outside its allowed range. */
    INVALID_ARGUMENT,
    /** The task, bid, settlement or other object named by the arguments does not exist. */
    NOT_FOUND,
    /** The caller's identity may not perform this transaction. */
    PERMISSION_DENIED,
    /** The object is not in a state (phase, deadline) that allows the transaction. */
    FAILED_PRECONDITION,
    /** The caller's balance is below the amount to pay, escrow or stake. */
    INSUFFICIENT_FUNDS,
    /** The object to create exists already (one per account, once per task...). */
    ALREADY_EXISTS
}
