package dev.fusionledger.ledger;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The initiator's access to an accepted contributor's final model.
 *
 * @param modelHash the model's SHA-256 in the model store, 64 lowercase hex
 */
@JsonPropertyOrder({"contributor", "modelHash"})
public record AccessGrant(String contributor, String modelHash) {
}
