/**
 * The FusionLedger market's shapes and rules, shared by the chaincode (which decides with them)
 * and the client SDK (which types its results with them): the state records of docs/ledger-api.md
 * ("State objects"), {@link dev.fusionledger.ledger.ErrorCode}, {@link dev.fusionledger.ledger.Limits},
 * the task spec and its validator ({@link dev.fusionledger.ledger.TaskSpec#validate()}), the vote
 * commitment ({@link dev.fusionledger.ledger.VoteCommitment}) and the settlement rule
 * ({@link dev.fusionledger.ledger.SettlementRule}). Amounts are whole credits, rates and
 * accuracies basis points (0..10000), times epoch seconds from transaction timestamps.
 */
package dev.fusionledger.ledger;
