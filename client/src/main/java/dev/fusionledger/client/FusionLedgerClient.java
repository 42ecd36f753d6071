package dev.fusionledger.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fusionledger.ledger.Account;
import dev.fusionledger.ledger.Bid;
import dev.fusionledger.ledger.Checkpoint;
import dev.fusionledger.ledger.KeyDelivery;
import dev.fusionledger.ledger.KeyDispute;
import dev.fusionledger.ledger.KeyEscrow;
import dev.fusionledger.ledger.HistoryEntry;
import dev.fusionledger.ledger.LedgerConfig;
import dev.fusionledger.ledger.Reputation;
import dev.fusionledger.ledger.Settlement;
import dev.fusionledger.ledger.Task;
import dev.fusionledger.ledger.TaskSpec;
import dev.fusionledger.ledger.TaskState;
import dev.fusionledger.ledger.Totals;
import dev.fusionledger.ledger.TransferResult;
import dev.fusionledger.ledger.Verifier;
import dev.fusionledger.ledger.Vote;
import dev.fusionledger.ledger.VoteEntry;
import java.nio.file.Path;
import java.util.List;

/**
 * The typed SDK of the FusionLedger market: one method per chaincode transaction
 * (docs/ledger-api.md). Submit methods return once the transaction is committed, with its
 * transaction id; queries are evaluated on one peer and change nothing.
 *
 * <p>Errors: every method throws a {@link LedgerException} subclass carrying the transaction id:
 * a {@link MarketRuleException} subclass ({@link InvalidArgumentException},
 * {@link NotFoundException}, {@link PermissionDeniedException}, {@link FailedPreconditionException},
 * {@link InsufficientFundsException}, {@link AlreadyExistsException}) when the chaincode rejects the
 * call, else {@link EvaluateException}, {@link EndorseFailedException},
 * {@link SubmitFailedException}, {@link CommitStatusFailedException} or
 * {@link CommitFailedException} for the step that failed. Arguments the client can check itself
 * (non-positive amounts, malformed hashes) throw {@link IllegalArgumentException} naming the field
 * and its range before anything is sent.
 *
 * <pre>{@code
 * try (FusionLedgerClient c = FusionLedgerClient.builder()
 *         .profile(ConnectionProfile.load(ConnectionProfile.defaultPath()))
 *         .organization("Org1").user("User1").connect()) {
 *     Submitted<Task> t = c.announceTask(spec);
 *     c.submitBid(t.value().taskId(), 500, 10);
 * }
 * }</pre>
 */
public interface FusionLedgerClient extends AutoCloseable {

    /** A builder for a client on the Fabric Gateway. */
    static Builder builder() {
        return new ClientBuilder();
    }

    /** A client over a given transport (an in-memory one in tests, for instance). */
    static FusionLedgerClient over(LedgerTransport transport) {
        return new FusionLedgerClientImpl(transport);
    }

    /** MSP id of the signing identity. */
    String mspId();

    // ---- credits --------------------------------------------------------------------------

    /** {@code Initialize(treasurerMspId)}: once, by an admin of that MSP. */
    Submitted<LedgerConfig> initialize(String treasurerMspId) throws LedgerException;

    /** {@code Mint(amount)}: treasurer only; {@code amount} credits in 1..10^15. Returns the caller's account after. */
    Submitted<Account> mint(long amount) throws LedgerException;

    /** {@code Transfer(to, amount)}: {@code amount} credits in 1..10^15 to another account. */
    Submitted<TransferResult> transfer(String toAccountId, long amount) throws LedgerException;

    /** {@code BalanceOf(accountId)}: balance in credits (0 for unknown accounts). */
    Account balanceOf(String accountId) throws LedgerException;

    /** {@code ClientAccountId()}: the caller's account id. */
    String clientAccountId() throws LedgerException;

    /** {@code GetTotals()}: ledger-wide credit totals. */
    Totals totals() throws LedgerException;

    // ---- tasks ----------------------------------------------------------------------------

    /**
     * {@code AnnounceTask(specJson)}: escrows budget + k × fee; the task id is the transaction id.
     *
     * @throws dev.fusionledger.ledger.MarketException (an {@link IllegalArgumentException}) before
     *     sending, when {@link TaskSpec#validate()} finds a field out of its range
     */
    Submitted<Task> announceTask(TaskSpec spec) throws LedgerException;

    /** {@code CancelTask(taskId)}: initiator, while BIDDING; everything refunded. */
    Submitted<Task> cancelTask(String taskId) throws LedgerException;

    /**
     * {@code SubmitBid(taskId, dataPoints, pricePerPoint)}: data points in 1..10^12, price in credits
     * per point in 1..10^15; stakes max earnings × (1 + strikes).
     */
    Submitted<Bid> submitBid(String taskId, long dataPoints, long pricePerPoint) throws LedgerException;

    /** {@code WithdrawBid(taskId)}: the bidder, while BIDDING; stake refunded. */
    Submitted<Bid> withdrawBid(String taskId) throws LedgerException;

    /** {@code RegisterVerifier(taskId)}: stakes the task's verifier stake. */
    Submitted<Verifier> registerVerifier(String taskId) throws LedgerException;

    /** {@code ResolveBidding(taskId)}: task goes to TRAINING, or CANCELLED when no bid is selected. */
    Submitted<Task> resolveBidding(String taskId) throws LedgerException;

    /**
     * {@code SubmitCheckpoint(taskId, epoch, modelHash, metricsJson)}.
     *
     * @param epoch     the task's current epoch, 1..maxEpochs
     * @param modelHash 64 lowercase hex, the model's id in the model store
     * @param metrics   a JSON object of at most 4 KiB
     */
    Submitted<Checkpoint> submitCheckpoint(String taskId, int epoch, String modelHash, JsonNode metrics)
            throws LedgerException;

    /**
     * {@code SubmitSealedCheckpoint(taskId, epoch, modelHash, keyCommitment, artifactCid, metricsJson)}:
     * a checkpoint of an encrypted artifact (docs/model-store.md).
     *
     * @param modelHash     64 lowercase hex, the SHA-256 of the sealed bytes (their id in the store)
     * @param keyCommitment 64 lowercase hex, the SHA-256 of the data key
     * @param artifactCid   the IPFS CID of the stored artifact, or null
     * @throws IllegalArgumentException naming the field when malformed (nothing sent)
     */
    Submitted<Checkpoint> submitSealedCheckpoint(String taskId, int epoch, String modelHash, String keyCommitment,
                                                 String artifactCid, JsonNode metrics) throws LedgerException;

    /**
     * {@code DeliverKey(taskId, recipient, wrappedKey)}: the caller's final sealed model's data key,
     * wrapped for {@code recipient} (a drawn verifier, or the initiator after settlement, which
     * releases the caller's held payment).
     *
     * @throws IllegalArgumentException naming {@code recipient} or {@code wrappedKey} when malformed
     */
    Submitted<KeyDelivery> deliverKey(String taskId, String recipient, String wrappedKey) throws LedgerException;

    /** {@code ReclaimKeyEscrow(taskId, contributor)}: anyone, after the key deadline; the payment returns to the initiator. */
    Submitted<KeyEscrow> reclaimKeyEscrow(String taskId, String contributor) throws LedgerException;

    /**
     * {@code DisputeKey(taskId, contributor, reason)}: the initiator records that a delivered key does not
     * open its model; {@code reason} 1..512 printable ASCII characters.
     */
    Submitted<KeyDispute> disputeKey(String taskId, String contributor, String reason) throws LedgerException;

    /** {@code EndEpoch(taskId, continueTraining)}: initiator; back-off or last epoch starts verification. */
    Submitted<Task> endEpoch(String taskId, boolean continueTraining) throws LedgerException;

    /** {@code CommitVote(taskId, commitment)}: see {@link dev.fusionledger.ledger.VoteCommitment}. */
    Submitted<Verifier> commitVote(String taskId, String commitment) throws LedgerException;

    /** {@code RevealVote(taskId, canonicalVotes, salt)}: opens the commitment. */
    Submitted<Vote> revealVote(String taskId, List<VoteEntry> votes, String salt) throws LedgerException;

    /** {@code Settle(taskId)}: anyone, once the reveal phase has ended. */
    Submitted<Settlement> settle(String taskId) throws LedgerException;

    // ---- queries --------------------------------------------------------------------------

    /** {@code GetTask(taskId)}; {@link NotFoundException} for unknown ids. */
    Task getTask(String taskId) throws LedgerException;

    /** {@code ListTasks(state)}; {@code null} lists all, sorted by task id. */
    List<Task> listTasks(TaskState state) throws LedgerException;

    /** {@code GetBids(taskId)}, sorted by bidder. */
    List<Bid> getBids(String taskId) throws LedgerException;

    /** {@code GetVerifiers(taskId)}, sorted by verifier. */
    List<Verifier> getVerifiers(String taskId) throws LedgerException;

    /** {@code GetCheckpoints(taskId)}, sorted by contributor then epoch. */
    List<Checkpoint> getCheckpoints(String taskId) throws LedgerException;

    /** {@code GetKeyDeliveries(taskId)}: wrapped keys on the ledger, sorted by contributor then recipient. */
    List<KeyDelivery> getKeyDeliveries(String taskId) throws LedgerException;

    /** {@code GetKeyEscrows(taskId)}: payments held for sealed models, sorted by contributor. */
    List<KeyEscrow> getKeyEscrows(String taskId) throws LedgerException;

    /** {@code GetKeyDisputes(taskId)}, sorted by contributor. */
    List<KeyDispute> getKeyDisputes(String taskId) throws LedgerException;

    /** {@code GetVotes(taskId)}: revealed votes, sorted by verifier. */
    List<Vote> getVotes(String taskId) throws LedgerException;

    /** {@code GetSettlement(taskId)}; {@link NotFoundException} before {@code Settle}. */
    Settlement getSettlement(String taskId) throws LedgerException;

    /** {@code GetReputation(accountId)} (zeros for unknown accounts). */
    Reputation getReputation(String accountId) throws LedgerException;

    /**
     * {@code GetHistory(kind, id)}: every version of the key, oldest first (empty for a key never
     * written). Id formats per kind: see {@link HistoryKind}.
     */
    List<HistoryEntry> getHistory(HistoryKind kind, String id) throws LedgerException;

    /** Creator MSP, time and validity of a committed transaction (channel's {@code qscc}). */
    TransactionInfo transactionInfo(String transactionId) throws LedgerException;

    // ---- events ---------------------------------------------------------------------------

    /**
     * The market's events. With {@code checkpointFile} (a Fabric {@code FileCheckpointer}), a
     * stream resumes after the last event checkpointed in that file; otherwise, or for a new file,
     * it starts at {@code startBlock} ({@code < 0}: the next block).
     *
     * @throws java.io.UncheckedIOException when the checkpoint file cannot be opened
     */
    MarketEventStream events(long startBlock, Path checkpointFile) throws LedgerException;

    /** Closes the connection (the shared gRPC channel). */
    @Override
    void close();

    /**
     * Builds a client on the Fabric Gateway: either from a connection profile
     * ({@link #profile}, {@link #organization}, {@link #user}) or from explicit files
     * ({@link #endpoint}, {@link #tlsCaCert}, {@link #mspId}, {@link #certificate}, {@link #privateKey}).
     */
    interface Builder {
        /** The network's connection profile; channel and chaincode names default to its own. */
        Builder profile(ConnectionProfile profile);

        /** Organisation in the profile: MSP id, short name ({@code Org1}) or domain. Default: the first. */
        Builder organization(String organization);

        /** User in the profile's organisation ({@code User1}, {@code Admin}). Default {@code User1}. */
        Builder user(String user);

        /** Peer endpoint {@code host:port} (overrides the profile's first peer of the organisation). */
        Builder endpoint(String endpoint);

        /** PEM file of the TLS CA that signed the peer's certificate. */
        Builder tlsCaCert(Path pem);

        /** Server name to verify in the peer's TLS certificate. */
        Builder hostnameOverride(String hostname);

        /** MSP id of the signing identity. */
        Builder mspId(String mspId);

        /** PEM file of the signing identity's X.509 certificate. */
        Builder certificate(Path pem);

        /** PEM file of the signing identity's PKCS#8 private key. */
        Builder privateKey(Path pem);

        /** Channel name (default {@code fusionledger}). */
        Builder channel(String channel);

        /** Chaincode name (default {@code fusionledger}). */
        Builder chaincode(String chaincode);

        /** Deadlines per call type (default {@link Deadlines#defaults()}). */
        Builder deadlines(Deadlines deadlines);

        /**
         * MVCC read-conflict retry: at most {@code maxAttempts} (1..20, default 5) tries, sleeping
         * {@code backoff × 2^(attempt-1)} plus up to 50 % jitter between them (default 100 ms).
         */
        Builder mvccRetry(int maxAttempts, java.time.Duration backoff);

        /**
         * Opt-in: retry an endorsement that failed only because the endorsing peers were at different
         * block heights ({@link EndorseFailedException#peersOutOfStep()}), at most {@code retries}
         * times (0..50, default 0: never), pausing {@code pause} between tries. Each try is a new
         * proposal; no other endorsement failure is retried.
         */
        Builder endorseRetries(int retries, java.time.Duration pause);

        /**
         * How long a submit waits for its commit status before sending the same signed transaction
         * (same transaction id) to the orderers again; default 10 s. The whole submit, resubmissions
         * included, is bounded by {@link Deadlines#commitStatus()} (default 60 s): after it the call
         * throws {@link CommitStatusFailedException} (status unknown: look the id up later) or
         * {@link SubmitFailedException} (no orderer ever accepted it).
         *
         * @param interval 1..600 s
         * @throws IllegalArgumentException when out of range
         */
        Builder resubmitEvery(java.time.Duration interval);

        /**
         * Opens the gRPC channel and the Gateway connection.
         *
         * @throws IllegalArgumentException naming the missing or invalid setting
         * @throws java.io.IOException      when a certificate, key or CA file cannot be read
         */
        FusionLedgerClient connect() throws java.io.IOException;
    }
}
