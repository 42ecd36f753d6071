package dev.fusionledger.client.state;

/** An account and its balance in credits. */
public record Account(String accountId, long balance) {
}
