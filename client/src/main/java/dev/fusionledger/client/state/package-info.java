/**
 * Java records of the market's ledger state and transaction results, exactly the JSON shapes of
 * docs/ledger-api.md ("State objects"). Amounts are whole credits, rates basis points (0..10000),
 * times epoch seconds taken from transaction timestamps.
 */
package dev.fusionledger.client.state;
