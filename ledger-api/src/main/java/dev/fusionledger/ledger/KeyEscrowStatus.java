package dev.fusionledger.ledger;

/** Where an accepted contributor's payment for a sealed model stands ({@link KeyEscrow}). */
public enum KeyEscrowStatus {
    /** Settled, waiting for the contributor's key for the initiator; counted in the task's escrow. */
    HELD,
    /** The key for the initiator is on the ledger: the payment went to the contributor. */
    RELEASED,
    /** The deadline passed without the key: the payment went back to the initiator, the contributor got a strike. */
    RETURNED
}
