package dev.fusionledger.ledger;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The outcome of {@code Settle} (key {@code settlement[taskId]}; the rule: {@link SettlementRule}).
 * Amounts in credits; lists sorted by account id.
 *
 * @param settledAt       epoch seconds
 * @param slashPool       stakes of rejected contributors
 * @param slashShare      {@code slashPool / (accepted contributors + revealing verifiers)}, floor
 * @param forfeitPool     stakes of silent drawn verifiers
 * @param forfeitShare    {@code forfeitPool / revealing verifiers}, floor
 * @param initiatorRefund escrow left plus the slash and forfeit remainders
 */
@JsonPropertyOrder({"taskId", "outcome", "settledAt", "epochsCompleted", "revealedVerifiers", "silentVerifiers",
    "contributors", "verifiers", "slashPool", "slashShare", "forfeitPool", "forfeitShare", "initiatorRefund",
    "accessGrants"})
public record Settlement(String taskId, SettlementOutcome outcome, long settledAt, int epochsCompleted,
                         List<String> revealedVerifiers, List<String> silentVerifiers,
                         List<ContributorOutcome> contributors, List<VerifierOutcome> verifiers,
                         long slashPool, long slashShare, long forfeitPool, long forfeitShare,
                         long initiatorRefund, List<AccessGrant> accessGrants) {
    public Settlement {
        revealedVerifiers = copy(revealedVerifiers);
        silentVerifiers = copy(silentVerifiers);
        contributors = copy(contributors);
        verifiers = copy(verifiers);
        accessGrants = copy(accessGrants);
    }

    private static <T> List<T> copy(List<T> l) {
        return l == null ? List.of() : List.copyOf(l);
    }
}
