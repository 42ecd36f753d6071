package dev.fusionledger.ledger;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The market configuration (key {@code config[]}), result of {@code Initialize}.
 *
 * @param treasurerMspId the MSP whose admins mint
 * @param minted         credits minted so far, the ledger-wide total
 */
@JsonPropertyOrder({"treasurerMspId", "minted"})
public record LedgerConfig(String treasurerMspId, long minted) {

    /** @return this configuration with {@code minted} credits minted */
    public LedgerConfig withMinted(long minted) {
        return new LedgerConfig(treasurerMspId, minted);
    }
}
