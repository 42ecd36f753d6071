package dev.fusionledger.client.state;

import java.util.List;

/**
 * The settlement of a task (docs/ledger-api.md, "Settlement rule"); amounts in credits.
 *
 * @param outcome SETTLED or REFUNDED
 */
public record Settlement(String taskId, String outcome, long settledAt, int epochsCompleted,
                         List<String> revealedVerifiers, List<String> silentVerifiers,
                         List<ContributorOutcome> contributors, List<VerifierOutcome> verifiers,
                         long slashPool, long slashShare, long forfeitPool, long forfeitShare,
                         long initiatorRefund, List<AccessGrant> accessGrants) {
}
