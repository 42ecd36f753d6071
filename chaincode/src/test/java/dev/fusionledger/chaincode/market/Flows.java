package dev.fusionledger.chaincode.market;

import static dev.fusionledger.chaincode.market.World.ALICE;
import static dev.fusionledger.chaincode.market.World.BOB;
import static dev.fusionledger.chaincode.market.World.CAROL;
import static dev.fusionledger.chaincode.market.World.DAVE;
import static dev.fusionledger.chaincode.market.World.ERIN;
import static dev.fusionledger.chaincode.market.World.FRANK;
import static dev.fusionledger.chaincode.market.World.HASH_A;
import static dev.fusionledger.chaincode.market.World.HASH_B;
import static dev.fusionledger.chaincode.market.World.INIT;

/**
 * The reference scenario of issue 3 step by step (spec: budget 10000, fee 100, k = 2, verifier
 * stake 50, 2 epochs of 100 s, late penalty 1000 bps, MAFR 9000, 1000 points required; every
 * user funded with 100000): bids alice 400@5, bob 400@6, carol 300@7, dave 500@20; verifiers
 * erin and frank.
 */
final class Flows {
    final World w;
    String taskId;

    Flows(World w) {
        this.w = w;
    }

    static Flows funded() {
        return new Flows(new World().funded(100_000));
    }

    Flows announced() {
        taskId = w.as(INIT, m -> m.announceTask(World.spec())).taskId();
        return this;
    }

    Flows bidding() {
        announced();
        w.as(ALICE, m -> m.submitBid(taskId, "400", "5"));
        w.now += 1;
        w.as(BOB, m -> m.submitBid(taskId, "400", "6"));
        w.as(CAROL, m -> m.submitBid(taskId, "300", "7"));
        w.as(DAVE, m -> m.submitBid(taskId, "500", "20"));
        w.as(ERIN, m -> m.registerVerifier(taskId));
        w.as(FRANK, m -> m.registerVerifier(taskId));
        return this;
    }

    Flows training() {
        bidding();
        w.now += 10;
        w.as(INIT, m -> m.resolveBidding(taskId));
        return this;
    }

    /** Epoch 1: alice on time, bob late, carol never; initiator backs off. */
    Flows verifying() {
        training();
        w.now += 50;
        w.as(ALICE, m -> m.submitCheckpoint(taskId, "1", HASH_A, "{\"loss\":0.5,\"accuracy\":0.91}"));
        w.now += 100;
        w.as(BOB, m -> m.submitCheckpoint(taskId, "1", HASH_B, "{}"));
        w.as(INIT, m -> m.endEpoch(taskId, "false"));
        return this;
    }

    String erinVotes() {
        return World.votes(ALICE, 9500, 100, BOB, 9200, 50, CAROL, 0, 0);
    }

    /** Erin commits and reveals, frank stays silent; time passes the reveal deadline. */
    Flows revealed() {
        verifying();
        String v = erinVotes();
        w.as(ERIN, m -> m.commitVote(taskId, w.commit(taskId, ERIN, v, "s1")));
        w.now += 51;
        w.as(ERIN, m -> m.revealVote(taskId, v, "s1"));
        w.now += 50;
        return this;
    }

    Flows settled() {
        revealed();
        w.as(DAVE, m -> m.settle(taskId));
        return this;
    }
}
