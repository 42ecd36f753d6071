package dev.fusionledger.chaincode.market;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;

/** A revealed vote (key {@code vote[taskId, verifier]}). */
@JsonPropertyOrder({"taskId", "verifier", "votes", "salt", "commitment", "revealedAt"})
public final class Vote {
    /** One evaluation: fitness 0..10000 bps, contribution -10000..10000 bps. */
    @JsonPropertyOrder({"contributor", "fitnessBps", "contributionBps"})
    public static final class Entry {
        public String contributor;
        public int fitnessBps;
        public int contributionBps;

        public Entry() {
        }

        public Entry(String contributor, int fitnessBps, int contributionBps) {
            this.contributor = contributor;
            this.fitnessBps = fitnessBps;
            this.contributionBps = contributionBps;
        }
    }

    public String taskId;
    public String verifier;
    /** In canonical order (sorted by contributor). */
    public List<Entry> votes = new ArrayList<>();
    public String salt;
    public String commitment;
    public long revealedAt;
}
