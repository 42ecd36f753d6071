package dev.fusionledger.ledger;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Result of {@code Transfer}.
 *
 * @param amount      credits moved
 * @param fromBalance the sender's balance after, credits
 */
@JsonPropertyOrder({"from", "to", "amount", "fromBalance"})
public record TransferResult(String from, String to, long amount, long fromBalance) {
}
