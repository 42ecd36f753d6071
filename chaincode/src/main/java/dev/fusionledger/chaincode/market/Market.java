package dev.fusionledger.chaincode.market;

import dev.fusionledger.ledger.Account;
import dev.fusionledger.ledger.Bid;
import dev.fusionledger.ledger.Checkpoint;
import dev.fusionledger.ledger.HistoryEntry;
import dev.fusionledger.ledger.KeyDelivery;
import dev.fusionledger.ledger.KeyDispute;
import dev.fusionledger.ledger.KeyEscrow;
import dev.fusionledger.ledger.LedgerConfig;
import dev.fusionledger.ledger.MarketException;
import dev.fusionledger.ledger.Reputation;
import dev.fusionledger.ledger.Settlement;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskSpec;
import dev.fusionledger.ledger.Totals;
import dev.fusionledger.ledger.TransferResult;
import dev.fusionledger.ledger.Verifier;
import dev.fusionledger.ledger.Vote;
import java.util.List;

/**
 * The cooperative-learning market's transactions (docs/ledger-api.md; Mendis et al. roles and
 * majority vote over MAFR; Chamatidis et al. bidding, escrow, stake, slash and per-epoch pay;
 * Fadaeddini et al. higher stakes after misbehaviour) on a {@link Ledger} port: one facade over
 * the concerns {@link Accounts}, {@link Bidding}, {@link Training}, {@link Voting},
 * {@link Settling}, {@link Sealing} and {@link Queries}; shapes, limits and rules come from the ledger-api module.
 * One instance per transaction. Every submit method emits exactly one event named after the
 * transaction with its result JSON as payload. Amounts are credits, rates basis points, times
 * epoch seconds from the transaction timestamp. Every method throws {@link MarketException} with
 * the code and field documented in docs/ledger-api.md; a rejected transaction writes nothing.
 */
public final class Market {
    private final Tx tx;
    private final Accounts accounts;
    private final Bidding bidding;
    private final Training training;
    private final Voting voting;
    private final Settling settling;
    private final Queries queries;
    private final Sealing sealing;

    /** @param ledger the port of the running transaction */
    public Market(Ledger ledger) {
        this.tx = new Tx(ledger);
        this.accounts = new Accounts(tx);
        this.bidding = new Bidding(tx);
        this.training = new Training(tx);
        this.voting = new Voting(tx);
        this.settling = new Settling(tx, voting);
        this.queries = new Queries(tx);
        this.sealing = new Sealing(tx);
    }

    // ------------------------------------------------------------------ credits

    /**
     * Names the treasurer MSP, once.
     *
     * @throws MarketException ALREADY_EXISTS when initialized, PERMISSION_DENIED unless the caller is
     *     an admin of {@code treasurerMspId}, INVALID_ARGUMENT for an id outside 1..128 chars
     */
    public LedgerConfig initialize(String treasurerMspId) {
        return accounts.initialize(treasurerMspId);
    }

    /**
     * Mints {@code amount} (1..10^15) credits to the treasurer's own account.
     *
     * @throws MarketException FAILED_PRECONDITION before {@code Initialize}, PERMISSION_DENIED
     *     unless an admin of the treasurer MSP, INVALID_ARGUMENT on amount or total overflow
     */
    public Account mint(String amount) {
        return accounts.mint(amount);
    }

    /**
     * Moves {@code amount} (1..10^15) credits from the caller to {@code toAccountId}.
     *
     * @throws MarketException INVALID_ARGUMENT on amount or recipient (malformed or the caller),
     *     INSUFFICIENT_FUNDS when the balance is lower
     */
    public TransferResult transfer(String toAccountId, String amount) {
        return accounts.transfer(toAccountId, amount);
    }

    /** @return the balance of {@code accountId} (0 when unknown); INVALID_ARGUMENT on a malformed id */
    public Account balanceOf(String accountId) {
        return accounts.balanceOf(accountId);
    }

    /** @return the caller's account id {@code <mspId>::<identity>} */
    public String clientAccountId() {
        return tx.me();
    }

    /** @return credit totals from range scans; invariant balances + escrow + stakes = minted */
    public Totals totals() {
        return accounts.totals();
    }

    // ------------------------------------------------------------------ tasks

    /**
     * Announces a task; {@code taskId} = the transaction id; escrows rewardBudget + k × verifierFee.
     *
     * @throws MarketException INVALID_ARGUMENT on the spec (see {@link TaskSpec#parse}),
     *     ALREADY_EXISTS on a reused transaction id, INSUFFICIENT_FUNDS when the balance is lower
     */
    public Task announceTask(String specJson) {
        return bidding.announceTask(specJson);
    }

    /**
     * Cancels a task in BIDDING; refunds escrow, bid stakes and verifier stakes.
     *
     * @throws MarketException NOT_FOUND, PERMISSION_DENIED unless the initiator,
     *     FAILED_PRECONDITION after resolution
     */
    public Task cancelTask(String taskId) {
        return bidding.cancelTask(taskId);
    }

    /**
     * Bids {@code dataPoints} (1..10^12) at {@code pricePerPoint} (1..10^15) credits; stakes
     * maxEarnings × (1 + strikes).
     *
     * @throws MarketException INVALID_ARGUMENT on ranges/overflow or maxEarnings over the budget,
     *     NOT_FOUND, FAILED_PRECONDITION outside bidding, PERMISSION_DENIED for the initiator or a
     *     registered verifier, ALREADY_EXISTS for a second bid, INSUFFICIENT_FUNDS
     */
    public Bid submitBid(String taskId, String dataPoints, String pricePerPoint) {
        return bidding.submitBid(taskId, dataPoints, pricePerPoint);
    }

    /**
     * Withdraws the caller's bid before resolution; refunds its stake; the bid key is deleted.
     *
     * @throws MarketException NOT_FOUND (task or bid), FAILED_PRECONDITION after resolution
     */
    public Bid withdrawBid(String taskId) {
        return bidding.withdrawBid(taskId);
    }

    /**
     * Registers the caller as a verifier candidate, staking verifierStake.
     *
     * @throws MarketException NOT_FOUND, FAILED_PRECONDITION unless BIDDING or TRAINING,
     *     PERMISSION_DENIED for the initiator or a bidder, ALREADY_EXISTS, INSUFFICIENT_FUNDS
     */
    public Verifier registerVerifier(String taskId) {
        return bidding.registerVerifier(taskId);
    }

    /**
     * Resolves the bidding (Chamatidis et al.): cheapest price per point first (ties: more data
     * points, earlier bid, account id), whole bids within the budget until the required points are
     * covered; unselected bids and unused budget refunded; no selected bid cancels the task.
     *
     * @throws MarketException NOT_FOUND, FAILED_PRECONDITION outside BIDDING, before the deadline
     *     for non-initiators, or without bids for the initiator
     */
    public Task resolveBidding(String taskId) {
        return bidding.resolveBidding(taskId);
    }

    /**
     * Records a selected contributor's checkpoint for the current epoch; late after the deadline.
     *
     * @throws MarketException INVALID_ARGUMENT on epoch (1..1000), hash, metrics (a JSON object of at
     *     most 4096 bytes), NOT_FOUND, FAILED_PRECONDITION outside TRAINING or for another epoch,
     *     PERMISSION_DENIED unless selected, ALREADY_EXISTS for a second checkpoint of the epoch
     */
    public Checkpoint submitCheckpoint(String taskId, String epoch, String modelHash, String metricsJson) {
        return training.submitCheckpoint(taskId, epoch, modelHash, metricsJson);
    }

    /**
     * Like {@link #submitCheckpoint} for a sealed (encrypted) artifact: {@code modelHash} is the
     * SHA-256 of its ciphertext, {@code keyCommitment} the SHA-256 of its 32-byte data key
     * (docs/model-store.md, "Encrypted artifacts"); {@code artifactCid} the IPFS CID of the
     * ciphertext, or empty. An accepted contributor whose final checkpoint is
     * sealed is paid when its key for the initiator is on the ledger ({@link #deliverKey}).
     *
     * @throws MarketException as {@link #submitCheckpoint}, and INVALID_ARGUMENT on keyCommitment
     *     (64 lowercase hex) or artifactCid
     */
    public Checkpoint submitSealedCheckpoint(String taskId, String epoch, String modelHash, String keyCommitment,
                                             String artifactCid, String metricsJson) {
        return training.submitSealedCheckpoint(taskId, epoch, modelHash, keyCommitment, artifactCid, metricsJson);
    }

    /**
     * Ends the current epoch (initiator). Continue: next epoch. Back-off or last epoch:
     * VERIFYING, k verifiers drawn by {@link VerifierDraw}, the others refunded. So that an absent
     * initiator cannot lock stakes, anyone may back off once {@code now > epochDeadline + epochSeconds}.
     *
     * @throws MarketException INVALID_ARGUMENT on continueTraining, NOT_FOUND, FAILED_PRECONDITION
     *     outside TRAINING, PERMISSION_DENIED for others than the initiator (except the late back-off)
     */
    public Task endEpoch(String taskId, String continueTraining) {
        return training.endEpoch(taskId, continueTraining);
    }

    /**
     * Records a drawn verifier's commitment (64 lowercase hex, see
     * {@link dev.fusionledger.ledger.VoteCommitment}).
     *
     * @throws MarketException INVALID_ARGUMENT on the commitment format, NOT_FOUND,
     *     FAILED_PRECONDITION outside VERIFYING or after the commit deadline, PERMISSION_DENIED
     *     unless drawn, ALREADY_EXISTS for a second commit
     */
    public Verifier commitVote(String taskId, String commitment) {
        return voting.commitVote(taskId, commitment);
    }

    /**
     * Reveals a committed vote once the commit phase closed (all drawn committed or deadline
     * passed) and before the reveal deadline.
     *
     * @throws MarketException INVALID_ARGUMENT on votes/salt (ranges, e.g. {@code votesJson.ownAccuracyBps}
     *     0..10000) or a commitment mismatch or a contributor that was not selected, NOT_FOUND,
     *     FAILED_PRECONDITION outside the reveal phase or without a commitment, PERMISSION_DENIED
     *     unless drawn, ALREADY_EXISTS
     */
    public Vote revealVote(String taskId, String votesJson, String salt) {
        return voting.revealVote(taskId, votesJson, salt);
    }

    /**
     * Tallies and settles with {@link dev.fusionledger.ledger.SettlementRule} (docs/ledger-api.md,
     * "Settlement rule").
     *
     * @throws MarketException NOT_FOUND, FAILED_PRECONDITION outside VERIFYING or before the
     *     reveal phase ended
     */
    public Settlement settle(String taskId) {
        return settling.settle(taskId);
    }

    // ------------------------------------------------------------------ keys of sealed artifacts

    /**
     * The caller (a selected contributor) puts its final sealed model's data key on the ledger,
     * wrapped for {@code recipient}: a drawn verifier of the task (VERIFYING or SETTLED), or the
     * initiator (SETTLED, only when the caller's payment is held for its sealed model, before the
     * key deadline), which releases that payment to the caller.
     *
     * @throws MarketException INVALID_ARGUMENT on recipient (an account id) or wrappedKey (padded
     *     base64, 4..1024 characters), NOT_FOUND, PERMISSION_DENIED unless the caller is selected or
     *     for a recipient other than a drawn verifier or the settled initiator of an accepted model,
     *     FAILED_PRECONDITION before the draw, without a sealed final checkpoint or after the key
     *     deadline, ALREADY_EXISTS for a second delivery to the same recipient
     */
    public KeyDelivery deliverKey(String taskId, String recipient, String wrappedKey) {
        return sealing.deliverKey(taskId, recipient, wrappedKey);
    }

    /**
     * After the key deadline without the contributor's key for the initiator: its held payment
     * returns to the initiator and the contributor gets a strike. Anyone may call it.
     *
     * @throws MarketException INVALID_ARGUMENT on contributor, NOT_FOUND (task, or no payment held),
     *     FAILED_PRECONDITION unless SETTLED, when the payment is no longer held or before the deadline
     */
    public KeyEscrow reclaimKeyEscrow(String taskId, String contributor) {
        return sealing.reclaimKeyEscrow(taskId, contributor);
    }

    /**
     * The initiator records that {@code contributor}'s delivered key does not open its model
     * (the unwrapped key does not hash to the commitment, or it does not unwrap).
     *
     * @throws MarketException INVALID_ARGUMENT on contributor or reason (1..512 printable ASCII),
     *     NOT_FOUND, PERMISSION_DENIED unless the initiator, FAILED_PRECONDITION unless SETTLED or
     *     without a key delivered to the initiator, ALREADY_EXISTS for a second dispute
     */
    public KeyDispute disputeKey(String taskId, String contributor, String reason) {
        return sealing.disputeKey(taskId, contributor, reason);
    }

    // ------------------------------------------------------------------ queries

    /** @return the task's key deliveries sorted by contributor, then recipient */
    public List<KeyDelivery> getKeyDeliveries(String taskId) {
        return queries.getKeyDeliveries(taskId);
    }

    /** @return the task's held, released and returned key escrows sorted by contributor */
    public List<KeyEscrow> getKeyEscrows(String taskId) {
        return queries.getKeyEscrows(taskId);
    }

    /** @return the task's key disputes sorted by contributor */
    public List<KeyDispute> getKeyDisputes(String taskId) {
        return queries.getKeyDisputes(taskId);
    }

    /** @throws MarketException NOT_FOUND, INVALID_ARGUMENT on the id */
    public Task getTask(String taskId) {
        return tx.task(taskId);
    }

    /** @return tasks sorted by id, all when {@code state} is empty; INVALID_ARGUMENT on an unknown state */
    public List<Task> listTasks(String state) {
        return queries.listTasks(state);
    }

    /** @return the task's bids sorted by bidder */
    public List<Bid> getBids(String taskId) {
        return queries.getBids(taskId);
    }

    /** @return the task's verifiers sorted by account */
    public List<Verifier> getVerifiers(String taskId) {
        return queries.getVerifiers(taskId);
    }

    /** @return the task's checkpoints sorted by contributor, then epoch */
    public List<Checkpoint> getCheckpoints(String taskId) {
        return queries.getCheckpoints(taskId);
    }

    /** @return the revealed votes sorted by verifier */
    public List<Vote> getVotes(String taskId) {
        return queries.getVotes(taskId);
    }

    /** @throws MarketException NOT_FOUND before settlement */
    public Settlement getSettlement(String taskId) {
        return queries.getSettlement(taskId);
    }

    /** @return the account's reputation (zeros when unknown) */
    public Reputation getReputation(String accountId) {
        return queries.getReputation(accountId);
    }

    /**
     * History of one key, oldest first. {@code kind}: task, bid, verifier, checkpoint, vote, account,
     * settlement, reputation. {@code id}: a task id for task and settlement; an account id for
     * account and reputation; {@code taskId|accountId} for bid, verifier and vote (the vote's account
     * is the verifier's); {@code taskId|accountId|epoch} for checkpoint (the contributor's account,
     * epoch 1..1000 as a decimal integer). A key never written gives an empty list.
     *
     * @throws MarketException INVALID_ARGUMENT on kind (naming the allowed kinds) or id (naming the
     *                         expected format), or on a malformed task id, account id or epoch
     */
    public List<HistoryEntry> getHistory(String kind, String id) {
        return queries.getHistory(kind, id);
    }
}
