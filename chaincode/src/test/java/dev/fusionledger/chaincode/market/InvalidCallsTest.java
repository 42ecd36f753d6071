package dev.fusionledger.chaincode.market;

import static dev.fusionledger.chaincode.market.World.ALICE;
import static dev.fusionledger.chaincode.market.World.BOB;
import static dev.fusionledger.chaincode.market.World.DAVE;
import static dev.fusionledger.chaincode.market.World.ERIN;
import static dev.fusionledger.chaincode.market.World.FRANK;
import static dev.fusionledger.chaincode.market.World.HASH_A;
import static dev.fusionledger.chaincode.market.World.INIT;
import static dev.fusionledger.chaincode.market.World.TREASURER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionledger.ledger.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The table of invalid calls: each case builds a ledger at some stage of the reference scenario,
 * makes one invalid call, and asserts the error code, the message format and that not one state
 * byte (nor any event) changed.
 */
class InvalidCallsTest {

    record Case(String name, UnaryOperator<Flows> stage, Ledger.Caller who, BiFunction<Flows, Market, Object> call,
                ErrorCode code) {
        @Override
        public String toString() {
            return name + " -> " + code;
        }
    }

    private static final UnaryOperator<Flows> FRESH = f -> f;
    private static final UnaryOperator<Flows> FUNDED = f -> {
        f.w.funded(100_000);
        return f;
    };
    private static final UnaryOperator<Flows> BIDDING = f -> FUNDED.apply(f).bidding();
    private static final UnaryOperator<Flows> BIDDING_CLOSED = f -> {
        BIDDING.apply(f).w.now += 200;
        return f;
    };
    private static final UnaryOperator<Flows> TRAINING = f -> FUNDED.apply(f).training();
    private static final UnaryOperator<Flows> VERIFYING = f -> FUNDED.apply(f).verifying();
    private static final UnaryOperator<Flows> COMMITTED = f -> {
        VERIFYING.apply(f);
        f.w.as(ERIN, m -> m.commitVote(f.taskId, f.w.commit(f.taskId, ERIN, f.erinVotes(), "s1")));
        return f;
    };
    private static final UnaryOperator<Flows> REVEAL_OPEN = f -> {
        COMMITTED.apply(f).w.now += 51;
        return f;
    };
    private static final UnaryOperator<Flows> REVEALED = f -> FUNDED.apply(f).revealed();
    private static final UnaryOperator<Flows> SETTLED = f -> FUNDED.apply(f).settled();

    private static final String SPEC = World.spec();

    private static String specWith(String field, String value) {
        return SPEC.replaceFirst("\"" + field + "\":[^,}]+", "\"" + field + "\":" + value);
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // credits
        c.add(new Case("Initialize with empty msp", FRESH, TREASURER, (f, m) -> m.initialize(""), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Initialize twice", FUNDED, TREASURER, (f, m) -> m.initialize("Org1MSP"), ErrorCode.ALREADY_EXISTS));
        c.add(new Case("Initialize by a client", FRESH, ALICE, (f, m) -> m.initialize("Org1MSP"), ErrorCode.PERMISSION_DENIED));
        c.add(new Case("Initialize for another org", FRESH, TREASURER, (f, m) -> m.initialize("Org2MSP"), ErrorCode.PERMISSION_DENIED));
        c.add(new Case("Mint before Initialize", FRESH, TREASURER, (f, m) -> m.mint("5"), ErrorCode.FAILED_PRECONDITION));
        c.add(new Case("Mint zero", FUNDED, TREASURER, (f, m) -> m.mint("0"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Mint negative", FUNDED, TREASURER, (f, m) -> m.mint("-5"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Mint not a number", FUNDED, TREASURER, (f, m) -> m.mint("12e3"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Mint overflowing long", FUNDED, TREASURER, (f, m) -> m.mint("99999999999999999999"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Mint above 10^15", FUNDED, TREASURER, (f, m) -> m.mint("1000000000000001"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Mint by a client", FUNDED, ALICE, (f, m) -> m.mint("5"), ErrorCode.PERMISSION_DENIED));
        c.add(new Case("Mint by another org's admin", FUNDED, World.ADMIN2, (f, m) -> m.mint("5"), ErrorCode.PERMISSION_DENIED));
        c.add(new Case("Transfer negative", FUNDED, ALICE, (f, m) -> m.transfer(BOB.accountId(), "-1"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Transfer to self", FUNDED, ALICE, (f, m) -> m.transfer(ALICE.accountId(), "1"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Transfer to malformed account", FUNDED, ALICE, (f, m) -> m.transfer("bob", "1"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Transfer above balance", FUNDED, ALICE, (f, m) -> m.transfer(BOB.accountId(), "100001"), ErrorCode.INSUFFICIENT_FUNDS));
        c.add(new Case("BalanceOf empty id", FUNDED, ALICE, (f, m) -> m.balanceOf(""), ErrorCode.INVALID_ARGUMENT));
        // announce
        c.add(new Case("Announce malformed JSON", FUNDED, INIT, (f, m) -> m.announceTask("{\"labels\":"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Announce JSON array", FUNDED, INIT, (f, m) -> m.announceTask("[1]"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Announce unknown field", FUNDED, INIT, (f, m) -> m.announceTask(SPEC.replace("{", "{\"bonus\":1,")), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Announce duplicate field", FUNDED, INIT, (f, m) -> m.announceTask(SPEC.replace("{", "{\"mafrBps\":1,")), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Announce mafrBps 12000", FUNDED, INIT, (f, m) -> m.announceTask(specWith("mafrBps", "12000")), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Announce fractional budget", FUNDED, INIT, (f, m) -> m.announceTask(specWith("rewardBudget", "10.5")), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Announce zero budget", FUNDED, INIT, (f, m) -> m.announceTask(specWith("rewardBudget", "0")), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Announce missing rewardBudget", FUNDED, INIT, (f, m) -> m.announceTask(SPEC.replace("\"rewardBudget\":10000,", "")), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Announce bad verification hash", FUNDED, INIT, (f, m) -> m.announceTask(specWith("verificationDataHash", "\"ABC\"")), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Announce empty labels", FUNDED, INIT, (f, m) -> m.announceTask(specWith("labels", "[]").replace("\"1\",\"2\"],", "")), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Announce quorum 0", FUNDED, INIT, (f, m) -> m.announceTask(specWith("verifierQuorum", "0")), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Announce oversized spec", FUNDED, INIT, (f, m) -> m.announceTask(SPEC.replace("{", "{" + " ".repeat(17_000))), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Announce minOwnAccuracyBps -1", FUNDED, INIT, (f, m) -> m.announceTask(SPEC.replace("{", "{\"minOwnAccuracyBps\":-1,")), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Announce minOwnAccuracyBps 10001", FUNDED, INIT, (f, m) -> m.announceTask(SPEC.replace("{", "{\"minOwnAccuracyBps\":10001,")), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Announce fractional minOwnAccuracyBps", FUNDED, INIT, (f, m) -> m.announceTask(SPEC.replace("{", "{\"minOwnAccuracyBps\":90.5,")), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Announce minOwnAccuracyBps as a string", FUNDED, INIT, (f, m) -> m.announceTask(SPEC.replace("{", "{\"minOwnAccuracyBps\":\"9000\",")), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Announce minContributionBps -1", FUNDED, INIT, (f, m) -> m.announceTask(specWith("minContributionBps", "-1")), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Announce budget above balance", FUNDED, INIT, (f, m) -> m.announceTask(specWith("rewardBudget", "100001")), ErrorCode.INSUFFICIENT_FUNDS));
        // bids
        c.add(new Case("Bid on unknown task", FUNDED, ALICE, (f, m) -> m.submitBid("nope", "1", "1"), ErrorCode.NOT_FOUND));
        c.add(new Case("Bid with oversized task id", FUNDED, ALICE, (f, m) -> m.submitBid("x".repeat(200), "1", "1"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Bid zero data points", BIDDING, FRANK, (f, m) -> m.submitBid(f.taskId, "0", "1"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Bid negative price", BIDDING, ERIN, (f, m) -> m.submitBid(f.taskId, "10", "-1"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Bid overflowing earnings", BIDDING, TREASURER, (f, m) -> m.submitBid(f.taskId, "1000000000000", "1000000000000000"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Bid earnings above budget", BIDDING, TREASURER, (f, m) -> m.submitBid(f.taskId, "10001", "1"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Duplicate bid", BIDDING, ALICE, (f, m) -> m.submitBid(f.taskId, "10", "1"), ErrorCode.ALREADY_EXISTS));
        c.add(new Case("Bid on own task", BIDDING, INIT, (f, m) -> m.submitBid(f.taskId, "10", "1"), ErrorCode.PERMISSION_DENIED));
        c.add(new Case("Bid by a registered verifier", BIDDING, ERIN, (f, m) -> m.submitBid(f.taskId, "10", "1"), ErrorCode.PERMISSION_DENIED));
        c.add(new Case("Bid after the deadline", BIDDING_CLOSED, TREASURER, (f, m) -> m.submitBid(f.taskId, "10", "1"), ErrorCode.FAILED_PRECONDITION));
        c.add(new Case("Bid during training", TRAINING, TREASURER, (f, m) -> m.submitBid(f.taskId, "10", "1"), ErrorCode.FAILED_PRECONDITION));
        c.add(new Case("Bid without funds", BIDDING, TREASURER, (f, m) -> m.submitBid(f.taskId, "10", "1"), ErrorCode.INSUFFICIENT_FUNDS));
        c.add(new Case("Withdraw without a bid", BIDDING, TREASURER, (f, m) -> m.withdrawBid(f.taskId), ErrorCode.NOT_FOUND));
        c.add(new Case("Withdraw after resolution", TRAINING, ALICE, (f, m) -> m.withdrawBid(f.taskId), ErrorCode.FAILED_PRECONDITION));
        // verifiers, resolution, cancel
        c.add(new Case("Bidder registers as verifier", BIDDING, BOB, (f, m) -> m.registerVerifier(f.taskId), ErrorCode.PERMISSION_DENIED));
        c.add(new Case("Initiator registers as verifier", BIDDING, INIT, (f, m) -> m.registerVerifier(f.taskId), ErrorCode.PERMISSION_DENIED));
        c.add(new Case("Verifier registers twice", BIDDING, ERIN, (f, m) -> m.registerVerifier(f.taskId), ErrorCode.ALREADY_EXISTS));
        c.add(new Case("Register while verifying", VERIFYING, TREASURER, (f, m) -> m.registerVerifier(f.taskId), ErrorCode.FAILED_PRECONDITION));
        c.add(new Case("Register without funds", BIDDING, TREASURER, (f, m) -> m.registerVerifier(f.taskId), ErrorCode.INSUFFICIENT_FUNDS));
        c.add(new Case("Resolve early by a non-initiator", BIDDING, ALICE, (f, m) -> m.resolveBidding(f.taskId), ErrorCode.FAILED_PRECONDITION));
        c.add(new Case("Resolve twice", TRAINING, INIT, (f, m) -> m.resolveBidding(f.taskId), ErrorCode.FAILED_PRECONDITION));
        c.add(new Case("Cancel by another account", BIDDING, ALICE, (f, m) -> m.cancelTask(f.taskId), ErrorCode.PERMISSION_DENIED));
        c.add(new Case("Cancel after resolution", TRAINING, INIT, (f, m) -> m.cancelTask(f.taskId), ErrorCode.FAILED_PRECONDITION));
        c.add(new Case("Cancel unknown task", FUNDED, INIT, (f, m) -> m.cancelTask("missing"), ErrorCode.NOT_FOUND));
        // checkpoints and epochs
        c.add(new Case("Checkpoint with uppercase hash", TRAINING, ALICE, (f, m) -> m.submitCheckpoint(f.taskId, "1", HASH_A.toUpperCase(), "{}"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Checkpoint with short hash", TRAINING, ALICE, (f, m) -> m.submitCheckpoint(f.taskId, "1", "abc", "{}"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Checkpoint metrics not an object", TRAINING, ALICE, (f, m) -> m.submitCheckpoint(f.taskId, "1", HASH_A, "[1]"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Checkpoint metrics oversized", TRAINING, ALICE, (f, m) -> m.submitCheckpoint(f.taskId, "1", HASH_A, "{\"a\":\"" + "x".repeat(5000) + "\"}"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Checkpoint metrics malformed", TRAINING, ALICE, (f, m) -> m.submitCheckpoint(f.taskId, "1", HASH_A, "{\"a\":}"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Checkpoint epoch 0", TRAINING, ALICE, (f, m) -> m.submitCheckpoint(f.taskId, "0", HASH_A, "{}"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Checkpoint for a future epoch", TRAINING, ALICE, (f, m) -> m.submitCheckpoint(f.taskId, "2", HASH_A, "{}"), ErrorCode.FAILED_PRECONDITION));
        c.add(new Case("Checkpoint by a non-selected bidder", TRAINING, DAVE, (f, m) -> m.submitCheckpoint(f.taskId, "1", HASH_A, "{}"), ErrorCode.PERMISSION_DENIED));
        c.add(new Case("Checkpoint during bidding", BIDDING, ALICE, (f, m) -> m.submitCheckpoint(f.taskId, "1", HASH_A, "{}"), ErrorCode.FAILED_PRECONDITION));
        c.add(new Case("Checkpoint twice", f -> {
            TRAINING.apply(f).w.as(ALICE, m -> m.submitCheckpoint(f.taskId, "1", HASH_A, "{}"));
            return f;
        }, ALICE, (f, m) -> m.submitCheckpoint(f.taskId, "1", HASH_A, "{}"), ErrorCode.ALREADY_EXISTS));
        c.add(new Case("Checkpoint after verification started", VERIFYING, ALICE, (f, m) -> m.submitCheckpoint(f.taskId, "1", HASH_A, "{}"), ErrorCode.FAILED_PRECONDITION));
        c.add(new Case("EndEpoch by a contributor", TRAINING, ALICE, (f, m) -> m.endEpoch(f.taskId, "true"), ErrorCode.PERMISSION_DENIED));
        c.add(new Case("EndEpoch with 'yes'", TRAINING, INIT, (f, m) -> m.endEpoch(f.taskId, "yes"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("EndEpoch while verifying", VERIFYING, INIT, (f, m) -> m.endEpoch(f.taskId, "true"), ErrorCode.FAILED_PRECONDITION));
        // votes
        c.add(new Case("Commit malformed", VERIFYING, ERIN, (f, m) -> m.commitVote(f.taskId, "zz"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Commit by a non-verifier", VERIFYING, DAVE, (f, m) -> m.commitVote(f.taskId, HASH_A), ErrorCode.PERMISSION_DENIED));
        c.add(new Case("Commit by a contributor", VERIFYING, ALICE, (f, m) -> m.commitVote(f.taskId, HASH_A), ErrorCode.PERMISSION_DENIED));
        c.add(new Case("Double commit", COMMITTED, ERIN, (f, m) -> m.commitVote(f.taskId, HASH_A), ErrorCode.ALREADY_EXISTS));
        c.add(new Case("Commit after the deadline", REVEAL_OPEN, FRANK, (f, m) -> m.commitVote(f.taskId, HASH_A), ErrorCode.FAILED_PRECONDITION));
        c.add(new Case("Commit during training", TRAINING, ERIN, (f, m) -> m.commitVote(f.taskId, HASH_A), ErrorCode.FAILED_PRECONDITION));
        c.add(new Case("Reveal before commits close", COMMITTED, ERIN, (f, m) -> m.revealVote(f.taskId, f.erinVotes(), "s1"), ErrorCode.FAILED_PRECONDITION));
        c.add(new Case("Reveal that does not match", REVEAL_OPEN, ERIN, (f, m) -> m.revealVote(f.taskId, World.votes(ALICE, 9500, 100), "s1"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Reveal with the wrong salt", REVEAL_OPEN, ERIN, (f, m) -> m.revealVote(f.taskId, f.erinVotes(), "s2"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Reveal without commit", REVEAL_OPEN, FRANK, (f, m) -> m.revealVote(f.taskId, f.erinVotes(), "s1"), ErrorCode.FAILED_PRECONDITION));
        c.add(new Case("Reveal malformed votes", REVEAL_OPEN, ERIN, (f, m) -> m.revealVote(f.taskId, "[{\"contributor\":", "s1"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Reveal fitness 10001", REVEAL_OPEN, ERIN, (f, m) -> m.revealVote(f.taskId, World.votes(ALICE, 10001, 0), "s1"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Reveal ownAccuracyBps 10001", REVEAL_OPEN, ERIN, (f, m) -> m.revealVote(f.taskId, World.votesWithOwnAccuracy(ALICE, 9500, 100, 10001), "s1"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Reveal ownAccuracyBps -1", REVEAL_OPEN, ERIN, (f, m) -> m.revealVote(f.taskId, World.votesWithOwnAccuracy(ALICE, 9500, 100, -1), "s1"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Reveal vote without ownAccuracyBps", REVEAL_OPEN, ERIN, (f, m) -> m.revealVote(f.taskId, "[{\"contributor\":\"" + ALICE.accountId() + "\",\"fitnessBps\":1,\"contributionBps\":1}]", "s1"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Reveal with another ownAccuracyBps than committed", REVEAL_OPEN, ERIN, (f, m) -> m.revealVote(f.taskId, f.erinVotes().replaceFirst("\"ownAccuracyBps\":10000", "\"ownAccuracyBps\":9999"), "s1"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Reveal duplicate contributor", REVEAL_OPEN, ERIN, (f, m) -> m.revealVote(f.taskId, World.votes(ALICE, 1, 0, ALICE, 2, 0), "s1"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Reveal vote for a non-contributor", REVEAL_OPEN, ERIN, (f, m) -> m.revealVote(f.taskId, World.votes(DAVE, 1, 0), "s1"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Reveal extra vote field", REVEAL_OPEN, ERIN, (f, m) -> m.revealVote(f.taskId, "[{\"contributor\":\"a::b\",\"fitnessBps\":1,\"contributionBps\":1,\"ownAccuracyBps\":1,\"x\":1}]", "s1"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Reveal salt with a bar", REVEAL_OPEN, ERIN, (f, m) -> m.revealVote(f.taskId, f.erinVotes(), "s|1"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("Reveal after the deadline", f -> {
            REVEAL_OPEN.apply(f).w.now += 100;
            return f;
        }, ERIN, (f, m) -> m.revealVote(f.taskId, f.erinVotes(), "s1"), ErrorCode.FAILED_PRECONDITION));
        c.add(new Case("Double reveal", f -> {
            REVEAL_OPEN.apply(f).w.as(ERIN, m -> m.revealVote(f.taskId, f.erinVotes(), "s1"));
            return f;
        }, ERIN, (f, m) -> m.revealVote(f.taskId, f.erinVotes(), "s1"), ErrorCode.ALREADY_EXISTS));
        // settle and queries
        c.add(new Case("Settle too early", REVEAL_OPEN, DAVE, (f, m) -> m.settle(f.taskId), ErrorCode.FAILED_PRECONDITION));
        c.add(new Case("Settle during training", TRAINING, DAVE, (f, m) -> m.settle(f.taskId), ErrorCode.FAILED_PRECONDITION));
        c.add(new Case("Settle twice", SETTLED, DAVE, (f, m) -> m.settle(f.taskId), ErrorCode.FAILED_PRECONDITION));
        c.add(new Case("Settle unknown task", FUNDED, DAVE, (f, m) -> m.settle("missing"), ErrorCode.NOT_FOUND));
        c.add(new Case("GetSettlement before settling", REVEALED, DAVE, (f, m) -> m.getSettlement(f.taskId), ErrorCode.NOT_FOUND));
        c.add(new Case("ListTasks with an unknown state", FUNDED, DAVE, (f, m) -> m.listTasks("DONE"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("GetHistory of an unknown kind", FUNDED, DAVE, (f, m) -> m.getHistory("wallet", "x"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("GetHistory of a bid without '|'", FUNDED, DAVE, (f, m) -> m.getHistory("bid", "x"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("GetHistory of a checkpoint without epoch", FUNDED, DAVE, (f, m) -> m.getHistory("checkpoint", "t|a::b"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("GetHistory of a checkpoint with epoch 1001", FUNDED, DAVE, (f, m) -> m.getHistory("checkpoint", "t|a::b|1001"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("GetHistory of a vote without '|'", FUNDED, DAVE, (f, m) -> m.getHistory("vote", "x"), ErrorCode.INVALID_ARGUMENT));
        c.add(new Case("GetReputation of a malformed id", FUNDED, DAVE, (f, m) -> m.getReputation("dave"), ErrorCode.INVALID_ARGUMENT));
        return c;
    }

    static Stream<Case> table() {
        return cases().stream();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("table")
    void rejectedWithCodeAndStateUnchanged(Case c) {
        Flows f = c.stage().apply(new Flows(new World()));
        f.w.rejects(c.code(), c.who(), m -> c.call().apply(f, m));
    }

    @Test
    void tableIsLargeAndCoversEveryCode() {
        assertThat(cases()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(cases()).extracting(Case::code).containsAll(List.of(ErrorCode.values()));
        assertThat(cases()).extracting(Case::name).doesNotHaveDuplicates();
    }
}
