package dev.fusionledger.client.state;

/** The initiator's access to an accepted contributor's final model (its content hash). */
public record AccessGrant(String contributor, String modelHash) {
}
