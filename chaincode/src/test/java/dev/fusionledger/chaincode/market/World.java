package dev.fusionledger.chaincode.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionledger.ledger.ErrorCode;
import dev.fusionledger.ledger.MarketException;
import dev.fusionledger.ledger.Sha256;
import dev.fusionledger.ledger.Totals;
import dev.fusionledger.ledger.VoteCommitment;
import java.util.List;
import java.util.function.Function;

/**
 * Test driver: an {@link InMemoryLedger}, a clock (epoch seconds), deterministic transaction ids
 * (SHA-256 of a counter, 64 hex like Fabric's) and a cast of identities in two organisations.
 */
public final class World {
    public static final Ledger.Caller TREASURER = new Ledger.Caller("Org1MSP::x509::CN=Admin@org1::CN=ca.org1", "Org1MSP", true);
    public static final Ledger.Caller ADMIN2 = new Ledger.Caller("Org2MSP::x509::CN=Admin@org2::CN=ca.org2", "Org2MSP", true);
    public static final Ledger.Caller INIT = user("Org1MSP", "initiator");
    public static final Ledger.Caller ALICE = user("Org1MSP", "alice");
    public static final Ledger.Caller BOB = user("Org2MSP", "bob");
    public static final Ledger.Caller CAROL = user("Org1MSP", "carol");
    public static final Ledger.Caller DAVE = user("Org2MSP", "dave");
    public static final Ledger.Caller ERIN = user("Org1MSP", "erin");
    public static final Ledger.Caller FRANK = user("Org2MSP", "frank");
    public static final List<Ledger.Caller> USERS = List.of(INIT, ALICE, BOB, CAROL, DAVE, ERIN, FRANK);
    public static final String HASH_A = "a".repeat(64);
    public static final String HASH_B = "b".repeat(64);

    public final InMemoryLedger ledger = new InMemoryLedger();
    public long now = 1_700_000_000L;
    private long counter;
    private final String seed;
    /** Transaction id of the last transaction run. */
    public String lastTxId;

    public World() {
        this("tx");
    }

    public World(String seed) {
        this.seed = seed;
    }

    public static Ledger.Caller user(String msp, String name) {
        return new Ledger.Caller(msp + "::x509::CN=" + name + ",OU=client::CN=ca", msp, false);
    }

    public String nextTxId() {
        return Sha256.hex(seed + ":" + (++counter));
    }

    public <T> T as(Ledger.Caller who, Function<Market, T> body) {
        lastTxId = nextTxId();
        return ledger.run(who, lastTxId, now, body);
    }

    /** Runs a query returning a list (typed for AssertJ). */
    public <T> List<T> all(Ledger.Caller who, Function<Market, List<T>> body) {
        return as(who, body);
    }

    /** Asserts the call fails with {@code code} and leaves every state byte unchanged. */
    public MarketException rejects(ErrorCode code, Ledger.Caller who, Function<Market, ?> body) {
        byte[] before = ledger.snapshot();
        int events = ledger.events().size();
        MarketException[] caught = new MarketException[1];
        assertThatThrownBy(() -> as(who, body)).isInstanceOfSatisfying(MarketException.class, e -> caught[0] = e);
        assertThat(caught[0].code()).as(caught[0].getMessage()).isEqualTo(code);
        assertThat(caught[0].getMessage()).startsWith(code.name() + ": " + caught[0].field() + ": ");
        assertThat(ledger.snapshot()).as("state unchanged after " + caught[0].getMessage()).isEqualTo(before);
        assertThat(ledger.events()).hasSize(events);
        return caught[0];
    }

    public long balance(Ledger.Caller who) {
        return as(who, m -> m.balanceOf(who.accountId())).balance();
    }

    public Totals totals() {
        return as(TREASURER, Market::totals);
    }

    /** Initializes with Org1MSP as treasurer and gives every user {@code each} credits. */
    public World funded(long each) {
        as(TREASURER, m -> m.initialize("Org1MSP"));
        as(TREASURER, m -> m.mint(Long.toString(each * USERS.size())));
        for (Ledger.Caller u : USERS) {
            as(TREASURER, m -> m.transfer(u.accountId(), Long.toString(each)));
        }
        return this;
    }

    /** A valid spec JSON with the given budget, fee, quorum, stake and epochs. */
    public static String spec(long budget, long fee, int quorum, long verifierStake, int maxEpochs) {
        return "{\"labels\":[\"0\",\"1\",\"2\"],\"inputShape\":[28,28,1],\"verificationDataHash\":\"" + "c".repeat(64)
                + "\",\"mafrBps\":9000,\"minContributionBps\":0,\"requiredDataPoints\":1000,\"rewardBudget\":" + budget
                + ",\"verifierFee\":" + fee + ",\"verifierQuorum\":" + quorum + ",\"verifierStake\":" + verifierStake
                + ",\"maxEpochs\":" + maxEpochs + ",\"epochSeconds\":100,\"latePenaltyBps\":1000,\"biddingSeconds\":100,"
                + "\"commitSeconds\":50,\"revealSeconds\":50}";
    }

    public static String spec() {
        return spec(10_000, 100, 2, 50, 2);
    }

    /**
     * Votes JSON from triples (contributor, fitnessBps, contributionBps), each with ownAccuracyBps
     * 10000; see {@link #votesWithOwnAccuracy} to set it.
     */
    public static String votes(Object... contributorFitnessContribution) {
        List<Object> quads = new java.util.ArrayList<>();
        for (int i = 0; i < contributorFitnessContribution.length; i += 3) {
            quads.addAll(List.of(contributorFitnessContribution[i], contributorFitnessContribution[i + 1],
                    contributorFitnessContribution[i + 2], 10_000));
        }
        return votesWithOwnAccuracy(quads.toArray());
    }

    /** Votes JSON from quadruples (contributor, fitnessBps, contributionBps, ownAccuracyBps). */
    public static String votesWithOwnAccuracy(Object... contributorFitnessContributionOwn) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < contributorFitnessContributionOwn.length; i += 4) {
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"contributor\":\"").append(((Ledger.Caller) contributorFitnessContributionOwn[i]).accountId())
                    .append("\",\"fitnessBps\":").append(contributorFitnessContributionOwn[i + 1])
                    .append(",\"contributionBps\":").append(contributorFitnessContributionOwn[i + 2])
                    .append(",\"ownAccuracyBps\":").append(contributorFitnessContributionOwn[i + 3]).append('}');
        }
        return b.append(']').toString();
    }

    public String commit(String taskId, Ledger.Caller verifier, String votesJson, String salt) {
        return VoteCommitment.commitment(taskId, verifier.accountId(), VoteCommitment.parseVotes(votesJson), salt);
    }
}
