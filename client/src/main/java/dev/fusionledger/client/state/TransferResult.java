package dev.fusionledger.client.state;

/** Result of {@code Transfer}: amount and the sender's balance after, in credits. */
public record TransferResult(String from, String to, long amount, long fromBalance) {
}
