package dev.fusionledger.chaincode;

import dev.fusionledger.chaincode.market.Market;
import dev.fusionledger.ledger.LedgerJson;
import dev.fusionledger.ledger.MarketException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contact;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Default;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.License;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.hyperledger.fabric.shim.ChaincodeException;

/**
 * The chaincode's default contract ({@code market}): each transaction maps 1:1 to a {@link Market}
 * method over a {@link FabricLedger}. All arguments are strings; results are deterministic JSON
 * (ClientAccountId: a plain string). A {@link MarketException} becomes a {@link ChaincodeException}
 * with the same message ({@code "<CODE>: field: text"}) and the code name as UTF-8 payload.
 * Shapes, rules and events: {@code docs/ledger-api.md}.
 */
@Contract(name = "market", info = @Info(title = "FusionLedger market", version = "0.1.0",
        description = "Cooperative deep-learning market: credits, tasks, bids, stakes, votes, settlement",
        license = @License(name = "Apache-2.0"), contact = @Contact(name = "FusionLedger")))
@Default
public final class MarketContract implements ContractInterface {

    /** Submit Initialize(treasurerMspId); see docs/ledger-api.md. */
    @Transaction(name = "Initialize", intent = Transaction.TYPE.SUBMIT)
    public String initialize(final Context ctx, final String treasurerMspId) {
        return run(ctx, m -> LedgerJson.text(m.initialize(treasurerMspId)));
    }

    /** Submit Mint(amount); see docs/ledger-api.md. */
    @Transaction(name = "Mint", intent = Transaction.TYPE.SUBMIT)
    public String mint(final Context ctx, final String amount) {
        return run(ctx, m -> LedgerJson.text(m.mint(amount)));
    }

    /** Submit Transfer(toAccountId, amount); see docs/ledger-api.md. */
    @Transaction(name = "Transfer", intent = Transaction.TYPE.SUBMIT)
    public String transfer(final Context ctx, final String toAccountId, final String amount) {
        return run(ctx, m -> LedgerJson.text(m.transfer(toAccountId, amount)));
    }

    /** Query BalanceOf(accountId); see docs/ledger-api.md. */
    @Transaction(name = "BalanceOf", intent = Transaction.TYPE.EVALUATE)
    public String balanceOf(final Context ctx, final String accountId) {
        return run(ctx, m -> LedgerJson.text(m.balanceOf(accountId)));
    }

    /** Query ClientAccountId(); see docs/ledger-api.md. */
    @Transaction(name = "ClientAccountId", intent = Transaction.TYPE.EVALUATE)
    public String clientAccountId(final Context ctx) {
        return run(ctx, m -> m.clientAccountId());
    }

    /** Query GetTotals(); see docs/ledger-api.md. */
    @Transaction(name = "GetTotals", intent = Transaction.TYPE.EVALUATE)
    public String getTotals(final Context ctx) {
        return run(ctx, m -> LedgerJson.text(m.totals()));
    }

    /** Submit AnnounceTask(specJson); see docs/ledger-api.md. */
    @Transaction(name = "AnnounceTask", intent = Transaction.TYPE.SUBMIT)
    public String announceTask(final Context ctx, final String specJson) {
        return run(ctx, m -> LedgerJson.text(m.announceTask(specJson)));
    }

    /** Submit CancelTask(taskId); see docs/ledger-api.md. */
    @Transaction(name = "CancelTask", intent = Transaction.TYPE.SUBMIT)
    public String cancelTask(final Context ctx, final String taskId) {
        return run(ctx, m -> LedgerJson.text(m.cancelTask(taskId)));
    }

    /** Submit SubmitBid(taskId, dataPoints, pricePerPoint); see docs/ledger-api.md. */
    @Transaction(name = "SubmitBid", intent = Transaction.TYPE.SUBMIT)
    public String submitBid(final Context ctx, final String taskId, final String dataPoints, final String pricePerPoint) {
        return run(ctx, m -> LedgerJson.text(m.submitBid(taskId, dataPoints, pricePerPoint)));
    }

    /** Submit WithdrawBid(taskId); see docs/ledger-api.md. */
    @Transaction(name = "WithdrawBid", intent = Transaction.TYPE.SUBMIT)
    public String withdrawBid(final Context ctx, final String taskId) {
        return run(ctx, m -> LedgerJson.text(m.withdrawBid(taskId)));
    }

    /** Submit RegisterVerifier(taskId); see docs/ledger-api.md. */
    @Transaction(name = "RegisterVerifier", intent = Transaction.TYPE.SUBMIT)
    public String registerVerifier(final Context ctx, final String taskId) {
        return run(ctx, m -> LedgerJson.text(m.registerVerifier(taskId)));
    }

    /** Submit ResolveBidding(taskId); see docs/ledger-api.md. */
    @Transaction(name = "ResolveBidding", intent = Transaction.TYPE.SUBMIT)
    public String resolveBidding(final Context ctx, final String taskId) {
        return run(ctx, m -> LedgerJson.text(m.resolveBidding(taskId)));
    }

    /** Submit SubmitCheckpoint(taskId, epoch, modelHash, metricsJson); see docs/ledger-api.md. */
    @Transaction(name = "SubmitCheckpoint", intent = Transaction.TYPE.SUBMIT)
    public String submitCheckpoint(final Context ctx, final String taskId, final String epoch, final String modelHash, final String metricsJson) {
        return run(ctx, m -> LedgerJson.text(m.submitCheckpoint(taskId, epoch, modelHash, metricsJson)));
    }

    /** Submit SubmitSealedCheckpoint(taskId, epoch, modelHash, keyCommitment, artifactCid, metricsJson); see docs/ledger-api.md. */
    @Transaction(name = "SubmitSealedCheckpoint", intent = Transaction.TYPE.SUBMIT)
    public String submitSealedCheckpoint(final Context ctx, final String taskId, final String epoch, final String modelHash,
                                         final String keyCommitment, final String artifactCid, final String metricsJson) {
        return run(ctx, m -> LedgerJson.text(m.submitSealedCheckpoint(taskId, epoch, modelHash, keyCommitment, artifactCid,
                metricsJson)));
    }

    /** Submit EndEpoch(taskId, continueTraining); see docs/ledger-api.md. */
    @Transaction(name = "EndEpoch", intent = Transaction.TYPE.SUBMIT)
    public String endEpoch(final Context ctx, final String taskId, final String continueTraining) {
        return run(ctx, m -> LedgerJson.text(m.endEpoch(taskId, continueTraining)));
    }

    /** Submit CommitVote(taskId, commitment); see docs/ledger-api.md. */
    @Transaction(name = "CommitVote", intent = Transaction.TYPE.SUBMIT)
    public String commitVote(final Context ctx, final String taskId, final String commitment) {
        return run(ctx, m -> LedgerJson.text(m.commitVote(taskId, commitment)));
    }

    /** Submit RevealVote(taskId, votesJson, salt); see docs/ledger-api.md. */
    @Transaction(name = "RevealVote", intent = Transaction.TYPE.SUBMIT)
    public String revealVote(final Context ctx, final String taskId, final String votesJson, final String salt) {
        return run(ctx, m -> LedgerJson.text(m.revealVote(taskId, votesJson, salt)));
    }

    /** Submit Settle(taskId); see docs/ledger-api.md. */
    @Transaction(name = "Settle", intent = Transaction.TYPE.SUBMIT)
    public String settle(final Context ctx, final String taskId) {
        return run(ctx, m -> LedgerJson.text(m.settle(taskId)));
    }

    /** Submit DeliverKey(taskId, recipient, wrappedKey); see docs/ledger-api.md. */
    @Transaction(name = "DeliverKey", intent = Transaction.TYPE.SUBMIT)
    public String deliverKey(final Context ctx, final String taskId, final String recipient, final String wrappedKey) {
        return run(ctx, m -> LedgerJson.text(m.deliverKey(taskId, recipient, wrappedKey)));
    }

    /** Submit ReclaimKeyEscrow(taskId, contributor); see docs/ledger-api.md. */
    @Transaction(name = "ReclaimKeyEscrow", intent = Transaction.TYPE.SUBMIT)
    public String reclaimKeyEscrow(final Context ctx, final String taskId, final String contributor) {
        return run(ctx, m -> LedgerJson.text(m.reclaimKeyEscrow(taskId, contributor)));
    }

    /** Submit DisputeKey(taskId, contributor, reason); see docs/ledger-api.md. */
    @Transaction(name = "DisputeKey", intent = Transaction.TYPE.SUBMIT)
    public String disputeKey(final Context ctx, final String taskId, final String contributor, final String reason) {
        return run(ctx, m -> LedgerJson.text(m.disputeKey(taskId, contributor, reason)));
    }

    /** Query GetKeyDeliveries(taskId); see docs/ledger-api.md. */
    @Transaction(name = "GetKeyDeliveries", intent = Transaction.TYPE.EVALUATE)
    public String getKeyDeliveries(final Context ctx, final String taskId) {
        return run(ctx, m -> LedgerJson.text(m.getKeyDeliveries(taskId)));
    }

    /** Query GetKeyEscrows(taskId); see docs/ledger-api.md. */
    @Transaction(name = "GetKeyEscrows", intent = Transaction.TYPE.EVALUATE)
    public String getKeyEscrows(final Context ctx, final String taskId) {
        return run(ctx, m -> LedgerJson.text(m.getKeyEscrows(taskId)));
    }

    /** Query GetKeyDisputes(taskId); see docs/ledger-api.md. */
    @Transaction(name = "GetKeyDisputes", intent = Transaction.TYPE.EVALUATE)
    public String getKeyDisputes(final Context ctx, final String taskId) {
        return run(ctx, m -> LedgerJson.text(m.getKeyDisputes(taskId)));
    }

    /** Query GetTask(taskId); see docs/ledger-api.md. */
    @Transaction(name = "GetTask", intent = Transaction.TYPE.EVALUATE)
    public String getTask(final Context ctx, final String taskId) {
        return run(ctx, m -> LedgerJson.text(m.getTask(taskId)));
    }

    /** Query ListTasks(state); see docs/ledger-api.md. */
    @Transaction(name = "ListTasks", intent = Transaction.TYPE.EVALUATE)
    public String listTasks(final Context ctx, final String state) {
        return run(ctx, m -> LedgerJson.text(m.listTasks(state)));
    }

    /** Query GetBids(taskId); see docs/ledger-api.md. */
    @Transaction(name = "GetBids", intent = Transaction.TYPE.EVALUATE)
    public String getBids(final Context ctx, final String taskId) {
        return run(ctx, m -> LedgerJson.text(m.getBids(taskId)));
    }

    /** Query GetVerifiers(taskId); see docs/ledger-api.md. */
    @Transaction(name = "GetVerifiers", intent = Transaction.TYPE.EVALUATE)
    public String getVerifiers(final Context ctx, final String taskId) {
        return run(ctx, m -> LedgerJson.text(m.getVerifiers(taskId)));
    }

    /** Query GetCheckpoints(taskId); see docs/ledger-api.md. */
    @Transaction(name = "GetCheckpoints", intent = Transaction.TYPE.EVALUATE)
    public String getCheckpoints(final Context ctx, final String taskId) {
        return run(ctx, m -> LedgerJson.text(m.getCheckpoints(taskId)));
    }

    /** Query GetVotes(taskId); see docs/ledger-api.md. */
    @Transaction(name = "GetVotes", intent = Transaction.TYPE.EVALUATE)
    public String getVotes(final Context ctx, final String taskId) {
        return run(ctx, m -> LedgerJson.text(m.getVotes(taskId)));
    }

    /** Query GetSettlement(taskId); see docs/ledger-api.md. */
    @Transaction(name = "GetSettlement", intent = Transaction.TYPE.EVALUATE)
    public String getSettlement(final Context ctx, final String taskId) {
        return run(ctx, m -> LedgerJson.text(m.getSettlement(taskId)));
    }

    /** Query GetReputation(accountId); see docs/ledger-api.md. */
    @Transaction(name = "GetReputation", intent = Transaction.TYPE.EVALUATE)
    public String getReputation(final Context ctx, final String accountId) {
        return run(ctx, m -> LedgerJson.text(m.getReputation(accountId)));
    }

    /** Query GetHistory(kind, id); see docs/ledger-api.md. */
    @Transaction(name = "GetHistory", intent = Transaction.TYPE.EVALUATE)
    public String getHistory(final Context ctx, final String kind, final String id) {
        return run(ctx, m -> LedgerJson.text(m.getHistory(kind, id)));
    }

    private static String run(Context ctx, Function<Market, String> tx) {
        try {
            return tx.apply(new Market(new FabricLedger(ctx)));
        } catch (MarketException e) {
            RejectionLog.rejected(ctx.getStub().getFunction(), ctx.getStub().getTxId(), e);
            throw toChaincodeException(e);
        }
    }

    /** @return the Fabric error for a market error: same message, payload = UTF-8 code name */
    static ChaincodeException toChaincodeException(MarketException e) {
        return new ChaincodeException(e.getMessage(), e.code().name().getBytes(StandardCharsets.UTF_8));
    }
}
