package dev.fusionledger.ledger;

/** Lifecycle of a task: {@code BIDDING -> TRAINING -> VERIFYING -> SETTLED}, or {@code CANCELLED}. */
public enum TaskState {
    BIDDING, TRAINING, VERIFYING, SETTLED, CANCELLED
}
