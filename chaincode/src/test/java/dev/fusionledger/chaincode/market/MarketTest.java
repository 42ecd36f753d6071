package dev.fusionledger.chaincode.market;

import static dev.fusionledger.chaincode.market.World.ADMIN2;
import static dev.fusionledger.chaincode.market.World.ALICE;
import static dev.fusionledger.chaincode.market.World.BOB;
import static dev.fusionledger.chaincode.market.World.CAROL;
import static dev.fusionledger.chaincode.market.World.DAVE;
import static dev.fusionledger.chaincode.market.World.ERIN;
import static dev.fusionledger.chaincode.market.World.FRANK;
import static dev.fusionledger.chaincode.market.World.HASH_A;
import static dev.fusionledger.chaincode.market.World.HASH_B;
import static dev.fusionledger.chaincode.market.World.INIT;
import static dev.fusionledger.chaincode.market.World.TREASURER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionledger.ledger.Account;
import dev.fusionledger.ledger.Bid;
import dev.fusionledger.ledger.BidStatus;
import dev.fusionledger.ledger.ContributorReason;
import dev.fusionledger.ledger.Checkpoint;
import dev.fusionledger.ledger.ErrorCode;
import dev.fusionledger.ledger.HistoryEntry;
import dev.fusionledger.ledger.Reputation;
import dev.fusionledger.ledger.Settlement;
import dev.fusionledger.ledger.SettlementOutcome;
import dev.fusionledger.ledger.Sha256;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskState;
import dev.fusionledger.ledger.Totals;
import dev.fusionledger.ledger.TransferResult;
import dev.fusionledger.ledger.Verifier;
import dev.fusionledger.ledger.VerifierStatus;
import dev.fusionledger.ledger.Vote;
import dev.fusionledger.ledger.VoteCommitment;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One nested class per transaction; each test asserts the exact state left on the ledger. */
class MarketTest {

    private static String acct(Ledger.Caller c) {
        return c.accountId();
    }

    private static void assertConserved(World w) {
        Totals t = w.totals();
        assertThat(t.balances() + t.escrow() + t.stakes()).isEqualTo(t.minted());
    }

    @Nested
    class Initialize {
        @Test
        void storesTreasurerOnceWithZeroMinted() {
            World w = new World();
            w.as(TREASURER, m -> m.initialize("Org1MSP"));
            assertThat(w.ledger.value("config")).isEqualTo("{\"treasurerMspId\":\"Org1MSP\",\"minted\":0}");
            assertThat(w.ledger.events()).extracting(InMemoryLedger.Event::name).containsExactly("Initialize");
            w.rejects(ErrorCode.ALREADY_EXISTS, TREASURER, m -> m.initialize("Org1MSP"));
        }

        @Test
        void onlyAnAdminOfThatMsp() {
            World w = new World();
            w.rejects(ErrorCode.PERMISSION_DENIED, ADMIN2, m -> m.initialize("Org1MSP"));
            w.rejects(ErrorCode.PERMISSION_DENIED, ALICE, m -> m.initialize("Org1MSP"));
            assertThat(w.ledger.size()).isZero();
        }
    }

    @Nested
    class Mint {
        @Test
        void creditsTheTreasurerAndCountsMinted() {
            World w = new World();
            w.as(TREASURER, m -> m.initialize("Org1MSP"));
            Account a = w.as(TREASURER, m -> m.mint("1000"));
            w.as(TREASURER, m -> m.mint("5"));
            assertThat(a.balance()).isEqualTo(1000);
            assertThat(w.ledger.value("account", acct(TREASURER)))
                    .isEqualTo("{\"accountId\":\"" + acct(TREASURER) + "\",\"balance\":1005}");
            assertThat(w.ledger.value("config")).isEqualTo("{\"treasurerMspId\":\"Org1MSP\",\"minted\":1005}");
            assertConserved(w);
        }

        @Test
        void otherOrgAdminCannotMint() {
            World w = new World();
            w.rejects(ErrorCode.FAILED_PRECONDITION, TREASURER, m -> m.mint("1"));
            w.as(TREASURER, m -> m.initialize("Org1MSP"));
            w.rejects(ErrorCode.PERMISSION_DENIED, ADMIN2, m -> m.mint("1"));
            w.rejects(ErrorCode.PERMISSION_DENIED, ALICE, m -> m.mint("1"));
        }
    }

    @Nested
    class Transfer {
        @Test
        void movesCredits() {
            World w = new World();
            w.as(TREASURER, m -> m.initialize("Org1MSP"));
            w.as(TREASURER, m -> m.mint("100"));
            TransferResult t = w.as(TREASURER, m -> m.transfer(acct(ALICE), "30"));
            assertThat(t.fromBalance()).isEqualTo(70);
            assertThat(w.balance(ALICE)).isEqualTo(30);
            assertThat(w.balance(TREASURER)).isEqualTo(70);
            assertThat(w.ledger.events().get(2).payload()).isEqualTo("{\"from\":\"" + acct(TREASURER) + "\",\"to\":\""
                    + acct(ALICE) + "\",\"amount\":30,\"fromBalance\":70}");
            w.rejects(ErrorCode.INSUFFICIENT_FUNDS, ALICE, m -> m.transfer(acct(BOB), "31"));
            assertConserved(w);
        }
    }

    @Nested
    class Queries {
        @Test
        void clientAccountIdAndUnknownBalance() {
            World w = new World();
            assertThat(w.as(BOB, Market::clientAccountId)).isEqualTo(acct(BOB));
            assertThat(w.balance(DAVE)).isZero();
            assertThat(w.as(BOB, m -> m.getReputation(acct(DAVE))).strikes()).isZero();
            assertThat(w.ledger.size()).isZero();
        }

        @Test
        void listTasksByState() {
            Flows f = Flows.funded().training();
            String other = f.w.as(INIT, m -> m.announceTask(World.spec())).taskId();
            assertThat(f.w.all(ALICE, m -> m.listTasks(""))).extracting(t -> t.taskId())
                    .isEqualTo(java.util.stream.Stream.of(f.taskId, other).sorted().toList());
            assertThat(f.w.all(ALICE, m -> m.listTasks("TRAINING"))).extracting(t -> t.taskId()).containsExactly(f.taskId);
            assertThat(f.w.all(ALICE, m -> m.listTasks("BIDDING"))).extracting(t -> t.taskId()).containsExactly(other);
        }

        @Test
        void historyOfTaskBidAndAccount() {
            Flows f = Flows.funded().settled();
            List<HistoryEntry> h = f.w.as(ALICE, m -> m.getHistory("task", f.taskId));
            assertThat(h).extracting(e -> e.value().get("state").asText())
                    .containsExactly("BIDDING", "TRAINING", "VERIFYING", "SETTLED");
            assertThat(h).extracting(e -> e.timestamp()).isSorted();
            List<HistoryEntry> b = f.w.as(ALICE, m -> m.getHistory("bid", f.taskId + "|" + acct(CAROL)));
            assertThat(b).extracting(e -> e.value().get("status").asText()).containsExactly("PENDING", "SELECTED", "REJECTED");
            assertThat(f.w.all(ALICE, m -> m.getHistory("account", acct(ALICE)))).hasSize(3);
            assertThat(f.w.all(ALICE, m -> m.getHistory("settlement", f.taskId))).hasSize(1);
        }
    }

    @Nested
    class GetHistory {
        @Test
        void checkpointHistoryHoldsTheSubmittingTransaction() {
            Flows f = Flows.funded().training();
            f.w.now += 50;
            Checkpoint c = f.w.as(ALICE, m -> m.submitCheckpoint(f.taskId, "1", HASH_A, "{\"loss\":0.5}"));
            String aliceTx = f.w.lastTxId;
            long aliceAt = f.w.now;
            f.w.now += 100;
            f.w.as(BOB, m -> m.submitCheckpoint(f.taskId, "1", HASH_B, "{}"));
            String bobTx = f.w.lastTxId;

            List<HistoryEntry> h = f.w.all(DAVE, m -> m.getHistory("checkpoint", f.taskId + "|" + acct(ALICE) + "|1"));
            assertThat(h).hasSize(1);
            assertThat(h.get(0).txId()).isEqualTo(aliceTx);
            assertThat(h.get(0).timestamp()).isEqualTo(aliceAt);
            assertThat(h.get(0).deleted()).isFalse();
            assertThat(h.get(0).value().get("contributor").asText()).isEqualTo(acct(ALICE));
            assertThat(h.get(0).value().get("epoch").asInt()).isEqualTo(c.epoch()).isEqualTo(1);
            assertThat(h.get(0).value().get("modelHash").asText()).isEqualTo(HASH_A);
            assertThat(h.get(0).value().get("late").asBoolean()).isFalse();
            // leading zeros are allowed in the epoch, as in every numeric argument
            List<HistoryEntry> b = f.w.all(DAVE, m -> m.getHistory("checkpoint", f.taskId + "|" + acct(BOB) + "|001"));
            assertThat(b).extracting(e -> e.txId()).containsExactly(bobTx);
            assertThat(b.get(0).value().get("late").asBoolean()).isTrue();
            // never written: carol's checkpoint, alice's epoch 2
            assertThat(f.w.all(DAVE, m -> m.getHistory("checkpoint", f.taskId + "|" + acct(CAROL) + "|1"))).isEmpty();
            assertThat(f.w.all(DAVE, m -> m.getHistory("checkpoint", f.taskId + "|" + acct(ALICE) + "|2"))).isEmpty();
        }

        @Test
        void voteHistoryHoldsTheRevealOnly() {
            Flows f = Flows.funded().verifying();
            String v = f.erinVotes();
            String commitment = f.w.commit(f.taskId, ERIN, v, "s1");
            f.w.as(ERIN, m -> m.commitVote(f.taskId, commitment));
            assertThat(f.w.all(DAVE, m -> m.getHistory("vote", f.taskId + "|" + acct(ERIN)))).isEmpty();
            f.w.now += 51;
            f.w.as(ERIN, m -> m.revealVote(f.taskId, v, "s1"));
            String revealTx = f.w.lastTxId;
            long revealAt = f.w.now;
            f.w.now += 50;
            f.w.as(DAVE, m -> m.settle(f.taskId));

            List<HistoryEntry> h = f.w.all(DAVE, m -> m.getHistory("vote", f.taskId + "|" + acct(ERIN)));
            assertThat(h).extracting(e -> e.txId()).containsExactly(revealTx);
            assertThat(h.get(0).timestamp()).isEqualTo(revealAt);
            assertThat(h.get(0).value().get("verifier").asText()).isEqualTo(acct(ERIN));
            assertThat(h.get(0).value().get("commitment").asText()).isEqualTo(commitment);
            assertThat(h.get(0).value().get("votes")).hasSize(3);
            // frank was silent: no vote key
            assertThat(f.w.all(DAVE, m -> m.getHistory("vote", f.taskId + "|" + acct(FRANK)))).isEmpty();
        }

        @Test
        void malformedKindsAndIdsNameTheFieldAndFormat() {
            Flows f = Flows.funded().verifying();
            String t = f.taskId;
            assertThat(f.w.rejects(ErrorCode.INVALID_ARGUMENT, DAVE, m -> m.getHistory("wallet", t)).getMessage())
                    .contains("kind").contains("checkpoint").contains("vote");
            assertThat(f.w.rejects(ErrorCode.INVALID_ARGUMENT, DAVE, m -> m.getHistory("checkpoint", t + "|" + acct(ALICE))).getMessage())
                    .isEqualTo("INVALID_ARGUMENT: id: must be 'taskId|accountId|epoch' for kind checkpoint");
            assertThat(f.w.rejects(ErrorCode.INVALID_ARGUMENT, DAVE, m -> m.getHistory("checkpoint", t)).field()).isEqualTo("id");
            assertThat(f.w.rejects(ErrorCode.INVALID_ARGUMENT, DAVE, m -> m.getHistory("checkpoint", t + "|" + acct(ALICE) + "|0")).getMessage())
                    .isEqualTo("INVALID_ARGUMENT: epoch: must be in 1..1000, got 0");
            assertThat(f.w.rejects(ErrorCode.INVALID_ARGUMENT, DAVE, m -> m.getHistory("checkpoint", t + "|" + acct(ALICE) + "|one")).field())
                    .isEqualTo("epoch");
            assertThat(f.w.rejects(ErrorCode.INVALID_ARGUMENT, DAVE, m -> m.getHistory("checkpoint", t + "|alice|1")).field()).isEqualTo("id");
            assertThat(f.w.rejects(ErrorCode.INVALID_ARGUMENT, DAVE, m -> m.getHistory("checkpoint", "|" + acct(ALICE) + "|1")).field()).isEqualTo("taskId");
            assertThat(f.w.rejects(ErrorCode.INVALID_ARGUMENT, DAVE, m -> m.getHistory("vote", t)).getMessage())
                    .isEqualTo("INVALID_ARGUMENT: id: must be 'taskId|accountId' for kind vote");
            assertThat(f.w.rejects(ErrorCode.INVALID_ARGUMENT, DAVE, m -> m.getHistory("vote", t + "|erin")).field()).isEqualTo("id");
            assertThat(f.w.rejects(ErrorCode.INVALID_ARGUMENT, DAVE, m -> m.getHistory("vote", null)).field()).isEqualTo("id");
        }
    }

    @Nested
    class AnnounceTask {
        @Test
        void escrowsBudgetPlusFeesAndStoresTask() {
            Flows f = Flows.funded().announced();
            String expected = "{\"taskId\":\"" + f.taskId + "\",\"initiator\":\"" + acct(INIT) + "\",\"spec\":"
                    + "{\"labels\":[\"0\",\"1\",\"2\"],\"inputShape\":[28,28,1],\"verificationDataHash\":\"" + "c".repeat(64)
                    + "\",\"recommendedModelHash\":null,\"mafrBps\":9000,\"minContributionBps\":0,\"minOwnAccuracyBps\":0,"
                    + "\"requiredDataPoints\":1000,\"rewardBudget\":10000,\"verifierFee\":100,\"verifierQuorum\":2,\"verifierStake\":50,\"maxEpochs\":2,"
                    + "\"epochSeconds\":100,\"latePenaltyBps\":1000,\"biddingSeconds\":100,\"commitSeconds\":50,\"revealSeconds\":50},"
                    + "\"state\":\"BIDDING\",\"announcedAt\":1700000000,\"biddingDeadline\":1700000100,\"escrow\":10200,"
                    + "\"currentEpoch\":0,\"epochDeadline\":0,\"epochsCompleted\":0,\"selectedBidders\":[],\"drawnVerifiers\":[],"
                    + "\"commitDeadline\":0,\"revealDeadline\":0,\"updatedAt\":1700000000}";
            assertThat(f.w.ledger.value("task", f.taskId)).isEqualTo(expected);
            assertThat(f.taskId).isEqualTo(f.w.lastTxId);
            assertThat(f.w.balance(INIT)).isEqualTo(100_000 - 10_200);
            InMemoryLedger.Event e = f.w.ledger.events().get(f.w.ledger.events().size() - 1);
            assertThat(e.name()).isEqualTo("AnnounceTask");
            assertThat(e.payload()).isEqualTo(expected);
            assertConserved(f.w);
        }

        @Test
        void insufficientBalanceRejected() {
            World w = new World().funded(1000);
            w.rejects(ErrorCode.INSUFFICIENT_FUNDS, INIT, m -> m.announceTask(World.spec()));
        }
    }

    @Nested
    class SubmitBid {
        @Test
        void stakesMaxEarnings() {
            Flows f = Flows.funded().announced();
            Bid b = f.w.as(ALICE, m -> m.submitBid(f.taskId, "400", "5"));
            assertThat(f.w.ledger.value("bid", f.taskId, acct(ALICE))).isEqualTo("{\"taskId\":\"" + f.taskId + "\",\"bidder\":\""
                    + acct(ALICE) + "\",\"dataPoints\":400,\"pricePerPoint\":5,\"maxEarnings\":2000,\"stake\":2000,"
                    + "\"submittedAt\":1700000000,\"status\":\"PENDING\"}");
            assertThat(b.stake()).isEqualTo(2000);
            assertThat(f.w.balance(ALICE)).isEqualTo(98_000);
            assertConserved(f.w);
        }

        @Test
        void oneBidPerAccountNotOwnTaskNotAfterDeadline() {
            Flows f = Flows.funded().announced();
            f.w.as(ALICE, m -> m.submitBid(f.taskId, "400", "5"));
            f.w.rejects(ErrorCode.ALREADY_EXISTS, ALICE, m -> m.submitBid(f.taskId, "1", "1"));
            f.w.rejects(ErrorCode.PERMISSION_DENIED, INIT, m -> m.submitBid(f.taskId, "1", "1"));
            f.w.now += 101;
            f.w.rejects(ErrorCode.FAILED_PRECONDITION, BOB, m -> m.submitBid(f.taskId, "1", "1"));
        }
    }

    @Nested
    class WithdrawBid {
        @Test
        void refundsAndDeletesThenAllowsANewBid() {
            Flows f = Flows.funded().announced();
            f.w.as(ALICE, m -> m.submitBid(f.taskId, "400", "5"));
            Bid b = f.w.as(ALICE, m -> m.withdrawBid(f.taskId));
            assertThat(b.status()).isEqualTo(BidStatus.WITHDRAWN);
            assertThat(f.w.ledger.value("bid", f.taskId, acct(ALICE))).isNull();
            assertThat(f.w.balance(ALICE)).isEqualTo(100_000);
            List<HistoryEntry> h = f.w.as(ALICE, m -> m.getHistory("bid", f.taskId + "|" + acct(ALICE)));
            assertThat(h).extracting(e -> e.deleted()).containsExactly(false, true);
            assertThat(h.get(1).value()).isNull();
            f.w.as(ALICE, m -> m.submitBid(f.taskId, "100", "5"));
            assertThat(f.w.balance(ALICE)).isEqualTo(99_500);
            assertConserved(f.w);
        }
    }

    @Nested
    class RegisterVerifier {
        @Test
        void stakesAndExcludesBiddersAndInitiator() {
            Flows f = Flows.funded().announced();
            Verifier v = f.w.as(ERIN, m -> m.registerVerifier(f.taskId));
            assertThat(f.w.ledger.value("verifier", f.taskId, acct(ERIN))).isEqualTo("{\"taskId\":\"" + f.taskId
                    + "\",\"verifier\":\"" + acct(ERIN) + "\",\"stake\":50,\"registeredAt\":1700000000,\"status\":\"REGISTERED\","
                    + "\"commitment\":null,\"committedAt\":0,\"revealedAt\":0}");
            assertThat(v.stake()).isEqualTo(50);
            assertThat(f.w.balance(ERIN)).isEqualTo(99_950);
            f.w.as(ALICE, m -> m.submitBid(f.taskId, "400", "5"));
            f.w.rejects(ErrorCode.PERMISSION_DENIED, ALICE, m -> m.registerVerifier(f.taskId));
            f.w.rejects(ErrorCode.PERMISSION_DENIED, INIT, m -> m.registerVerifier(f.taskId));
            f.w.rejects(ErrorCode.PERMISSION_DENIED, ERIN, m -> m.submitBid(f.taskId, "1", "1"));
            f.w.rejects(ErrorCode.ALREADY_EXISTS, ERIN, m -> m.registerVerifier(f.taskId));
        }
    }

    @Nested
    class ResolveBidding {
        @Test
        void selectsCheapestWholeBidsUntilCoveredAndRefundsTheRest() {
            Flows f = Flows.funded().training();
            Task t = f.w.as(ALICE, m -> m.getTask(f.taskId));
            assertThat(t.state()).isEqualTo(TaskState.TRAINING);
            assertThat(t.selectedBidders()).containsExactlyElementsOf(
                    java.util.stream.Stream.of(acct(ALICE), acct(BOB), acct(CAROL)).sorted().toList());
            assertThat(t.escrow()).isEqualTo(2000 + 2400 + 2100 + 200);
            assertThat(t.currentEpoch()).isEqualTo(1);
            assertThat(t.epochDeadline()).isEqualTo(1_700_000_011L + 100);
            assertThat(f.w.balance(INIT)).isEqualTo(100_000 - 10_200 + 3_500);
            assertThat(f.w.balance(DAVE)).isEqualTo(100_000);
            assertThat(f.w.all(ALICE, m -> m.getBids(f.taskId))).extracting(b -> b.bidder() + "=" + b.status())
                    .containsExactlyInAnyOrder(acct(ALICE) + "=SELECTED", acct(BOB) + "=SELECTED", acct(CAROL) + "=SELECTED",
                            acct(DAVE) + "=NOT_SELECTED");
            assertConserved(f.w);
        }

        @Test
        void tiesPreferMoreDataPointsThenEarlierBid() {
            World w = new World().funded(100_000);
            String id = w.as(INIT, m -> m.announceTask(World.spec(3000, 0, 1, 0, 1))).taskId();
            w.as(ALICE, m -> m.submitBid(id, "500", "2"));
            w.now += 1;
            w.as(BOB, m -> m.submitBid(id, "500", "2"));
            w.as(CAROL, m -> m.submitBid(id, "600", "2"));
            w.as(DAVE, m -> m.submitBid(id, "1000", "3"));
            Task t = w.as(INIT, m -> m.resolveBidding(id));
            // carol (600 points) first, then alice (earlier than bob): 1100 points >= 1000, cost 2200
            assertThat(t.selectedBidders()).containsExactlyInAnyOrder(acct(CAROL), acct(ALICE));
            assertThat(t.escrow()).isEqualTo(2200);
        }

        @Test
        void skipsBidsOverTheRemainingBudget() {
            World w = new World().funded(100_000);
            String id = w.as(INIT, m -> m.announceTask(World.spec(3000, 0, 1, 0, 1))).taskId();
            w.as(ALICE, m -> m.submitBid(id, "500", "2"));
            w.as(BOB, m -> m.submitBid(id, "900", "3"));
            w.as(CAROL, m -> m.submitBid(id, "300", "4"));
            Task t = w.as(INIT, m -> m.resolveBidding(id));
            assertThat(t.selectedBidders()).containsExactlyInAnyOrder(acct(ALICE), acct(CAROL));
        }

        @Test
        void nobodyMayResolveEarlyExceptTheInitiatorWithABidAndNoBidsCancels() {
            Flows f = Flows.funded().announced();
            f.w.rejects(ErrorCode.FAILED_PRECONDITION, INIT, m -> m.resolveBidding(f.taskId));
            f.w.as(ERIN, m -> m.registerVerifier(f.taskId));
            f.w.rejects(ErrorCode.FAILED_PRECONDITION, ALICE, m -> m.resolveBidding(f.taskId));
            f.w.now += 101;
            Task t = f.w.as(ALICE, m -> m.resolveBidding(f.taskId));
            assertThat(t.state()).isEqualTo(TaskState.CANCELLED);
            assertThat(t.escrow()).isZero();
            assertThat(f.w.balance(INIT)).isEqualTo(100_000);
            assertThat(f.w.balance(ERIN)).isEqualTo(100_000);
            assertThat(f.w.as(ALICE, m -> m.getVerifiers(f.taskId)).get(0).status()).isEqualTo(VerifierStatus.REFUNDED);
            assertConserved(f.w);
        }
    }

    @Nested
    class CancelTask {
        @Test
        void refundsEverything() {
            Flows f = Flows.funded().bidding();
            Task t = f.w.as(INIT, m -> m.cancelTask(f.taskId));
            assertThat(t.state()).isEqualTo(TaskState.CANCELLED);
            for (Ledger.Caller u : World.USERS) {
                assertThat(f.w.balance(u)).as(u.accountId()).isEqualTo(100_000);
            }
            Totals tot = f.w.totals();
            assertThat(tot.escrow()).isZero();
            assertThat(tot.stakes()).isZero();
            assertThat(f.w.all(ALICE, m -> m.getBids(f.taskId))).extracting(b -> b.status()).containsOnly(BidStatus.REFUNDED);
            f.w.rejects(ErrorCode.FAILED_PRECONDITION, INIT, m -> m.cancelTask(f.taskId));
        }
    }

    @Nested
    class SubmitCheckpoint {
        @Test
        void recordsOnTimeAndLateWithSortedMetrics() {
            Flows f = Flows.funded().training();
            Checkpoint c = f.w.as(ALICE, m -> m.submitCheckpoint(f.taskId, "1", HASH_A, "{\"z\":1,\"a\":{\"y\":2,\"b\":3}}"));
            assertThat(c.late()).isFalse();
            assertThat(f.w.ledger.value("checkpoint", f.taskId, acct(ALICE), "000001")).isEqualTo("{\"taskId\":\"" + f.taskId
                    + "\",\"contributor\":\"" + acct(ALICE) + "\",\"epoch\":1,\"modelHash\":\"" + HASH_A
                    + "\",\"metrics\":{\"a\":{\"b\":3,\"y\":2},\"z\":1},\"submittedAt\":1700000011,\"late\":false}");
            f.w.now += 101;
            assertThat(f.w.as(BOB, m -> m.submitCheckpoint(f.taskId, "1", HASH_B, "{}")).late()).isTrue();
            f.w.rejects(ErrorCode.ALREADY_EXISTS, BOB, m -> m.submitCheckpoint(f.taskId, "1", HASH_B, "{}"));
            f.w.rejects(ErrorCode.FAILED_PRECONDITION, CAROL, m -> m.submitCheckpoint(f.taskId, "2", HASH_B, "{}"));
            f.w.rejects(ErrorCode.PERMISSION_DENIED, DAVE, m -> m.submitCheckpoint(f.taskId, "1", HASH_B, "{}"));
        }
    }

    @Nested
    class EndEpoch {
        @Test
        void continueStartsTheNextEpoch() {
            Flows f = Flows.funded().training();
            f.w.now += 5;
            Task t = f.w.as(INIT, m -> m.endEpoch(f.taskId, "true"));
            assertThat(t.state()).isEqualTo(TaskState.TRAINING);
            assertThat(t.currentEpoch()).isEqualTo(2);
            assertThat(t.epochsCompleted()).isEqualTo(1);
            assertThat(t.epochDeadline()).isEqualTo(f.w.now + 100);
            Task v = f.w.as(INIT, m -> m.endEpoch(f.taskId, "true"));
            assertThat(v.state()).as("continuing past the last epoch verifies").isEqualTo(TaskState.VERIFYING);
            assertThat(v.epochsCompleted()).isEqualTo(2);
        }

        @Test
        void anyoneMayBackOffWhenTheInitiatorIsAbsentForAFullEpoch() {
            Flows f = Flows.funded().training();
            Task t = f.w.as(ALICE, m -> m.getTask(f.taskId));
            f.w.now = t.epochDeadline() + 100;
            f.w.rejects(ErrorCode.PERMISSION_DENIED, DAVE, m -> m.endEpoch(f.taskId, "false"));
            f.w.now += 1;
            f.w.rejects(ErrorCode.PERMISSION_DENIED, DAVE, m -> m.endEpoch(f.taskId, "true"));
            Task v = f.w.as(DAVE, m -> m.endEpoch(f.taskId, "false"));
            assertThat(v.state()).isEqualTo(TaskState.VERIFYING);
            assertThat(v.epochsCompleted()).isEqualTo(1);
        }

        @Test
        void backOffDrawsVerifiersDeterministically() {
            World w = new World().funded(100_000);
            String id = w.as(INIT, m -> m.announceTask(World.spec(10_000, 100, 2, 50, 2))).taskId();
            w.as(ALICE, m -> m.submitBid(id, "1000", "1"));
            for (Ledger.Caller v : List.of(BOB, CAROL, DAVE, ERIN, FRANK)) {
                w.as(v, m -> m.registerVerifier(id));
            }
            w.as(INIT, m -> m.resolveBidding(id));
            String endTx = w.nextTxId();
            Task t = w.ledger.run(INIT, endTx, w.now, m -> m.endEpoch(id, "false"));
            List<String> all = java.util.stream.Stream.of(BOB, CAROL, DAVE, ERIN, FRANK).map(Ledger.Caller::accountId).toList();
            assertThat(t.drawnVerifiers()).isEqualTo(VerifierDraw.draw(all, 2, endTx)).hasSize(2).isSorted();
            assertThat(t.state()).isEqualTo(TaskState.VERIFYING);
            assertThat(t.commitDeadline()).isEqualTo(w.now + 50);
            assertThat(t.revealDeadline()).isEqualTo(w.now + 100);
            for (Verifier v : w.as(ALICE, m -> m.getVerifiers(id))) {
                boolean drawn = t.drawnVerifiers().contains(v.verifier());
                assertThat(v.status()).isEqualTo(drawn ? VerifierStatus.DRAWN : VerifierStatus.NOT_DRAWN);
            }
            long refunded = java.util.stream.Stream.of(BOB, CAROL, DAVE, ERIN, FRANK).filter(c -> w.balance(c) == 100_000).count();
            assertThat(refunded).isEqualTo(3);
            assertConserved(w);
        }

        @Test
        void drawIsAPermutationPrefix() {
            List<String> c = List.of("e", "a", "d", "b", "c");
            assertThat(VerifierDraw.draw(c, 5, "x")).containsExactly("a", "b", "c", "d", "e");
            assertThat(VerifierDraw.draw(c, 9, "x")).hasSize(5);
            assertThat(VerifierDraw.draw(List.of(), 3, "x")).isEmpty();
            java.util.Set<List<String>> seen = new java.util.HashSet<>();
            for (int i = 0; i < 50; i++) {
                seen.add(VerifierDraw.draw(c, 2, "tx" + i));
            }
            assertThat(seen.size()).as("different tx ids draw different pairs").isGreaterThan(3);
        }
    }

    @Nested
    class CommitAndReveal {
        @Test
        void commitThenRevealAfterAllCommitted() {
            Flows f = Flows.funded().verifying();
            String ve = f.erinVotes();
            String vf = World.votes(ALICE, 9000, 0, BOB, 8000, 0);
            f.w.as(ERIN, m -> m.commitVote(f.taskId, f.w.commit(f.taskId, ERIN, ve, "s1")));
            f.w.rejects(ErrorCode.FAILED_PRECONDITION, ERIN, m -> m.revealVote(f.taskId, ve, "s1"));
            f.w.as(FRANK, m -> m.commitVote(f.taskId, f.w.commit(f.taskId, FRANK, vf, "s2")));
            f.w.rejects(ErrorCode.INVALID_ARGUMENT, ERIN, m -> m.revealVote(f.taskId, ve, "s2"));
            Vote v = f.w.as(ERIN, m -> m.revealVote(f.taskId, ve, "s1"));
            assertThat(v.votes()).extracting(e -> e.contributor()).isSorted();
            assertThat(f.w.ledger.value("vote", f.taskId, acct(ERIN))).startsWith("{\"taskId\":\"" + f.taskId + "\",\"verifier\":\""
                    + acct(ERIN) + "\",\"votes\":[{\"contributor\":");
            assertThat(f.w.all(ALICE, m -> m.getVotes(f.taskId))).hasSize(1);
            f.w.rejects(ErrorCode.ALREADY_EXISTS, ERIN, m -> m.revealVote(f.taskId, ve, "s1"));
            f.w.rejects(ErrorCode.FAILED_PRECONDITION, DAVE, m -> m.settle(f.taskId));
            f.w.as(FRANK, m -> m.revealVote(f.taskId, vf, "s2"));
            Settlement s = f.w.as(DAVE, m -> m.settle(f.taskId));
            assertThat(s.revealedVerifiers()).hasSize(2);
            // alice: 2 of 2 positive; bob: erin yes, frank no (8000 < 9000): 1*2 > 2 fails
            assertThat(s.contributors()).extracting(r -> r.contributor() + "=" + r.reason()).containsExactlyInAnyOrder(
                    acct(ALICE) + "=ACCEPTED", acct(BOB) + "=REJECTED_BY_FITNESS", acct(CAROL) + "=NO_FINAL_MODEL");
            assertConserved(f.w);
        }
    }

    @Nested
    class Settle {
        @Test
        void paysProRataPenalisesLateSlashesAndSharesAsDocumented() {
            Flows f = Flows.funded().settled();
            World w = f.w;
            Settlement s = w.as(ALICE, m -> m.getSettlement(f.taskId));
            assertThat(s.outcome()).isEqualTo(SettlementOutcome.SETTLED);
            assertThat(s.epochsCompleted()).isEqualTo(1);
            assertThat(s.revealedVerifiers()).containsExactly(acct(ERIN));
            assertThat(s.silentVerifiers()).containsExactly(acct(FRANK));
            assertThat(s.slashPool()).isEqualTo(2100);
            assertThat(s.slashShare()).isEqualTo(700);
            assertThat(s.forfeitPool()).isEqualTo(50);
            assertThat(s.forfeitShare()).isEqualTo(50);
            assertThat(s.initiatorRefund()).isEqualTo(6700 - 1000 - 1080 - 100);
            assertThat(s.accessGrants()).extracting(g -> g.contributor() + "=" + g.modelHash())
                    .containsExactlyInAnyOrder(acct(ALICE) + "=" + HASH_A, acct(BOB) + "=" + HASH_B);
            assertThat(w.balance(INIT)).isEqualTo(97_820);
            assertThat(w.balance(ALICE)).isEqualTo(101_700);
            assertThat(w.balance(BOB)).isEqualTo(101_780);
            assertThat(w.balance(CAROL)).isEqualTo(97_900);
            assertThat(w.balance(DAVE)).isEqualTo(100_000);
            assertThat(w.balance(ERIN)).isEqualTo(100_850);
            assertThat(w.balance(FRANK)).isEqualTo(99_950);
            Totals t = w.totals();
            assertThat(t.escrow()).isZero();
            assertThat(t.stakes()).isZero();
            assertThat(t.balances()).isEqualTo(t.minted());
            assertThat(w.as(ALICE, m -> m.getTask(f.taskId)).state()).isEqualTo(TaskState.SETTLED);
            Reputation carol = w.as(ALICE, m -> m.getReputation(acct(CAROL)));
            assertThat(carol.strikes()).isEqualTo(1);
            assertThat(w.as(ALICE, m -> m.getReputation(acct(FRANK))).forfeits()).isEqualTo(1);
            assertThat(w.as(ALICE, m -> m.getReputation(acct(ALICE))).accepted()).isEqualTo(1);
            // the next stake of a slashed contributor doubles
            String next = w.as(INIT, m -> m.announceTask(World.spec())).taskId();
            assertThat(w.as(CAROL, m -> m.submitBid(next, "300", "7")).stake()).isEqualTo(4200);
            w.rejects(ErrorCode.FAILED_PRECONDITION, DAVE, m -> m.settle(f.taskId));
        }

        @Test
        void largestAmountsSettleWithoutOverflow() {
            World w = new World();
            w.as(TREASURER, m -> m.initialize("Org1MSP"));
            for (int i = 0; i < 4; i++) {
                w.as(TREASURER, m -> m.mint("1000000000000000"));
            }
            w.as(TREASURER, m -> m.transfer(acct(INIT), "1000000000000000"));
            w.as(TREASURER, m -> m.transfer(acct(ALICE), "1000000000000000"));
            String spec = World.spec(1_000_000_000_000_000L, 0, 1, 0, 1).replace("\"latePenaltyBps\":1000", "\"latePenaltyBps\":9999")
                    .replace("\"requiredDataPoints\":1000", "\"requiredDataPoints\":1000000000000");
            String id = w.as(INIT, m -> m.announceTask(spec)).taskId();
            w.as(ALICE, m -> m.submitBid(id, "1000000000000", "1000"));
            w.as(ERIN, m -> m.registerVerifier(id));
            w.as(INIT, m -> m.resolveBidding(id));
            w.now += 1000;
            w.as(ALICE, m -> m.submitCheckpoint(id, "1", HASH_A, "{}"));
            w.as(INIT, m -> m.endEpoch(id, "false"));
            String v = World.votes(ALICE, 10000, 10000);
            w.as(ERIN, m -> m.commitVote(id, w.commit(id, ERIN, v, "x")));
            w.as(ERIN, m -> m.revealVote(id, v, "x"));
            Settlement s = w.as(ERIN, m -> m.settle(id));
            // base 10^15, one late epoch at 9999 bps: base x rate = 9.999e18 would overflow a long
            assertThat(s.contributors().get(0).payment()).isEqualTo(1_000_000_000_000_000L - 999_900_000_000_000L);
            assertConserved(w);
        }

        @Test
        void noRevealRefundsEverything() {
            Flows f = Flows.funded().verifying();
            f.w.now += 101;
            Settlement s = f.w.as(DAVE, m -> m.settle(f.taskId));
            assertThat(s.outcome()).isEqualTo(SettlementOutcome.REFUNDED);
            for (Ledger.Caller u : World.USERS) {
                assertThat(f.w.balance(u)).as(u.accountId()).isEqualTo(100_000);
            }
            assertThat(f.w.as(ALICE, m -> m.getReputation(acct(CAROL))).strikes()).isZero();
        }

        @Test
        void noVerifiersRegisteredSettlesAtOnceWithRefund() {
            World w = new World().funded(100_000);
            String id = w.as(INIT, m -> m.announceTask(World.spec())).taskId();
            w.as(ALICE, m -> m.submitBid(id, "1000", "1"));
            w.as(INIT, m -> m.resolveBidding(id));
            w.as(ALICE, m -> m.submitCheckpoint(id, "1", HASH_A, "{}"));
            assertThat(w.as(INIT, m -> m.endEpoch(id, "false")).drawnVerifiers()).isEmpty();
            assertThat(w.as(BOB, m -> m.settle(id)).outcome()).isEqualTo(SettlementOutcome.REFUNDED);
            assertThat(w.balance(INIT)).isEqualTo(100_000);
            assertThat(w.balance(ALICE)).isEqualTo(100_000);
        }

        @Test
        void slashRemainderGoesToTheInitiator() {
            World w = new World().funded(100_000);
            String id = w.as(INIT, m -> m.announceTask(World.spec(10_000, 0, 1, 0, 1))).taskId();
            w.as(ALICE, m -> m.submitBid(id, "500", "1"));
            w.as(BOB, m -> m.submitBid(id, "400", "2"));
            w.as(CAROL, m -> m.submitBid(id, "101", "7"));
            w.as(ERIN, m -> m.registerVerifier(id));
            w.as(INIT, m -> m.resolveBidding(id));
            w.as(ALICE, m -> m.submitCheckpoint(id, "1", HASH_A, "{}"));
            w.as(CAROL, m -> m.submitCheckpoint(id, "1", HASH_A, "{}"));
            w.as(INIT, m -> m.endEpoch(id, "true"));
            String v = World.votes(ALICE, 9000, 0, CAROL, 8999, 0);
            w.as(ERIN, m -> m.commitVote(id, w.commit(id, ERIN, v, "x")));
            w.as(ERIN, m -> m.revealVote(id, v, "x"));
            Settlement s = w.as(ERIN, m -> m.settle(id));
            // slashed: bob 800 + carol 707 = 1507 over alice + erin = 753 each, 1 left for the initiator
            assertThat(s.slashPool()).isEqualTo(1507);
            assertThat(s.slashShare()).isEqualTo(753);
            assertThat(w.balance(ALICE)).isEqualTo(100_000 + 500 + 753);
            assertThat(w.balance(ERIN)).isEqualTo(100_000 + 753);
            assertThat(w.balance(INIT)).isEqualTo(100_000 - 500 + 1);
            assertThat(s.initiatorRefund()).isEqualTo(2007 - 500 + 1);
            assertConserved(w);
        }
    }

    /** The voted criterion minOwnAccuracyBps through AnnounceTask, RevealVote and Settle. */
    @Nested
    class OwnAccuracy {
        private static final String SPEC = World.spec().replace("{", "{\"minOwnAccuracyBps\":9000,");

        @Test
        void announceStoresTheMinimumAndRejectsOutOfRangeWithStateUnchanged() {
            World w = new World().funded(100_000);
            String id = w.as(INIT, m -> m.announceTask(SPEC)).taskId();
            assertThat(w.ledger.value("task", id)).contains("\"minContributionBps\":0,\"minOwnAccuracyBps\":9000,\"requiredDataPoints\"");
            assertThat(w.rejects(ErrorCode.INVALID_ARGUMENT, INIT, m -> m.announceTask(SPEC.replace("9000,\"labels", "10001,\"labels")))
                    .getMessage()).isEqualTo("INVALID_ARGUMENT: minOwnAccuracyBps: must be in 0..10000, got 10001");
            assertThat(w.balance(INIT)).isEqualTo(100_000 - 10_200);
        }

        @Test
        void revealStoresOwnAccuracyInTheCanonicalVote() {
            Flows f = Flows.funded();
            f.taskId = f.w.as(INIT, m -> m.announceTask(SPEC)).taskId();
            f.w.as(ALICE, m -> m.submitBid(f.taskId, "1000", "1"));
            f.w.as(ERIN, m -> m.registerVerifier(f.taskId));
            f.w.as(INIT, m -> m.resolveBidding(f.taskId));
            f.w.as(ALICE, m -> m.submitCheckpoint(f.taskId, "1", HASH_A, "{}"));
            f.w.as(INIT, m -> m.endEpoch(f.taskId, "false"));
            String v = World.votesWithOwnAccuracy(ALICE, 9500, 100, 8999);
            f.w.as(ERIN, m -> m.commitVote(f.taskId, f.w.commit(f.taskId, ERIN, v, "s")));
            f.w.as(ERIN, m -> m.revealVote(f.taskId, v, "s"));
            assertThat(f.w.ledger.value("vote", f.taskId, acct(ERIN))).contains("\"votes\":[{\"contributor\":\"" + acct(ALICE)
                    + "\",\"fitnessBps\":9500,\"contributionBps\":100,\"ownAccuracyBps\":8999}]");
            Settlement s = f.w.as(DAVE, m -> m.settle(f.taskId));
            // fitness and contribution pass, own accuracy 8999 < 9000: rejected, slashed, struck
            assertThat(s.contributors()).extracting(c -> c.reason()).containsExactly(ContributorReason.REJECTED_BY_OWN_ACCURACY);
            assertThat(s.slashPool()).isEqualTo(1000);
            assertThat(f.w.as(ALICE, m -> m.getBids(f.taskId)).get(0).status()).isEqualTo(BidStatus.REJECTED);
            Reputation rep = f.w.as(ALICE, m -> m.getReputation(acct(ALICE)));
            assertThat(rep).isEqualTo(new Reputation(acct(ALICE), 1, 0, 1, 0));
            assertThat(f.w.balance(ALICE)).isEqualTo(99_000);
            assertThat(f.w.balance(ERIN)).isEqualTo(100_000 + 100 + 1000);
            assertThat(f.w.balance(INIT)).as("the initiator pays only the fee").isEqualTo(100_000 - 100);
            assertConserved(f.w);
        }

        @Test
        void ownAccuracyAtTheMinimumIsAcceptedAndPaid() {
            World w = new World().funded(100_000);
            String id = w.as(INIT, m -> m.announceTask(SPEC)).taskId();
            w.as(ALICE, m -> m.submitBid(id, "1000", "1"));
            w.as(ERIN, m -> m.registerVerifier(id));
            w.as(INIT, m -> m.resolveBidding(id));
            w.as(ALICE, m -> m.submitCheckpoint(id, "1", HASH_A, "{}"));
            w.as(INIT, m -> m.endEpoch(id, "false"));
            String v = World.votesWithOwnAccuracy(ALICE, 9000, 0, 9000);
            w.as(ERIN, m -> m.commitVote(id, w.commit(id, ERIN, v, "s")));
            w.as(ERIN, m -> m.revealVote(id, v, "s"));
            Settlement s = w.as(DAVE, m -> m.settle(id));
            assertThat(s.contributors().get(0).reason()).isEqualTo(ContributorReason.ACCEPTED);
            assertThat(s.contributors().get(0).payment()).isEqualTo(500);
            assertThat(w.balance(ALICE)).isEqualTo(100_500);
            assertThat(w.as(ALICE, m -> m.getReputation(acct(ALICE))).accepted()).isEqualTo(1);
        }
    }
}
