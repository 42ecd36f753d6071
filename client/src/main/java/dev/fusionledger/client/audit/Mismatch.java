package dev.fusionledger.client.audit;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A value recorded on the ledger that differs from what the rules give.
 *
 * @param subject  what it is about: {@code settlement}, {@code escrow}, a contributor or verifier
 *                 account id, or a vote
 * @param field    the field, e.g. {@code payment}
 * @param recorded the value on the ledger
 * @param expected the value re-computed from the recorded bids, checkpoints and votes
 */
@JsonPropertyOrder({"subject", "field", "recorded", "expected"})
public record Mismatch(String subject, String field, String recorded, String expected) {
}
