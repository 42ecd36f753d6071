package dev.fusionledger.client.state;

/** Result of {@code Initialize}: the treasurer MSP and credits minted so far. */
public record LedgerConfig(String treasurerMspId, long minted) {
}
