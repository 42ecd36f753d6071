package dev.fusionledger.chaincode.market;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;

/** The outcome of {@code Settle} (key {@code settlement[taskId]}); all amounts in credits. */
@JsonPropertyOrder({"taskId", "outcome", "settledAt", "epochsCompleted", "revealedVerifiers", "silentVerifiers",
    "contributors", "verifiers", "slashPool", "slashShare", "forfeitPool", "forfeitShare", "initiatorRefund",
    "accessGrants"})
public final class Settlement {
    /** SETTLED: tallied and paid; REFUNDED: no verifier revealed, everything refunded. */
    public enum Outcome { SETTLED, REFUNDED }

    /** Why a contributor was paid or slashed. */
    public enum Reason { ACCEPTED, REJECTED_BY_VOTE, NO_FINAL_MODEL, REFUNDED }

    /** One selected contributor's result. */
    @JsonPropertyOrder({"contributor", "accepted", "reason", "finalModelHash", "lateEpochs", "positiveVotes",
        "payment", "stakeReturned", "slashed", "slashShare"})
    public static final class ContributorResult {
        public String contributor;
        public boolean accepted;
        public Reason reason;
        public String finalModelHash;
        public int lateEpochs;
        public int positiveVotes;
        public long payment;
        public long stakeReturned;
        public long slashed;
        public long slashShare;
    }

    /** One drawn verifier's result. */
    @JsonPropertyOrder({"verifier", "revealed", "feePaid", "stakeReturned", "stakeForfeited", "slashShare",
        "forfeitShare"})
    public static final class VerifierResult {
        public String verifier;
        public boolean revealed;
        public long feePaid;
        public long stakeReturned;
        public long stakeForfeited;
        public long slashShare;
        public long forfeitShare;
    }

    /** The initiator's access to an accepted model. */
    @JsonPropertyOrder({"contributor", "modelHash"})
    public static final class AccessGrant {
        public String contributor;
        public String modelHash;

        public AccessGrant() {
        }

        AccessGrant(String contributor, String modelHash) {
            this.contributor = contributor;
            this.modelHash = modelHash;
        }
    }

    public String taskId;
    public Outcome outcome;
    public long settledAt;
    public int epochsCompleted;
    public List<String> revealedVerifiers = new ArrayList<>();
    public List<String> silentVerifiers = new ArrayList<>();
    public List<ContributorResult> contributors = new ArrayList<>();
    public List<VerifierResult> verifiers = new ArrayList<>();
    public long slashPool;
    public long slashShare;
    public long forfeitPool;
    public long forfeitShare;
    public long initiatorRefund;
    public List<AccessGrant> accessGrants = new ArrayList<>();
}
