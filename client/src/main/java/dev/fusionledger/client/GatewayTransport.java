package dev.fusionledger.client;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.ChaincodeEvent;
import org.hyperledger.fabric.client.ChaincodeEventsRequest;
import org.hyperledger.fabric.client.Checkpoint;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.CommitStatusException;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.Proposal;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.client.SubmitException;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.client.Transaction;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ProcessedTransaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/** {@link LedgerTransport} over the Fabric Gateway, on one shared gRPC channel that it owns. */
final class GatewayTransport implements LedgerTransport {
    private final ManagedChannel channel;
    private final Gateway gateway;
    private final Network network;
    private final Contract contract;
    private final String chaincodeName;
    private final String mspId;
    private final int maxAttempts;
    private final Duration backoff;
    private final int endorseRetries;
    private final Duration endorsePause;
    private final String endpoint;
    private final Duration commitBound;
    private final Duration resubmitEvery;

    /**
     * @param endpoint      the gateway peer's {@code host:port}, named in outage messages
     * @param commitBound   how long a submit may take from the first send to a known commit status,
     *                      resubmissions included (the commit-status deadline)
     * @param resubmitEvery how long to wait for the commit status before sending the same signed
     *                      transaction again
     */
    GatewayTransport(ManagedChannel channel, Gateway gateway, String channelName, String chaincodeName,
                     String mspId, int maxAttempts, Duration backoff, int endorseRetries, Duration endorsePause,
                     String endpoint, Duration commitBound, Duration resubmitEvery) {
        this.channel = channel;
        this.endpoint = endpoint;
        this.commitBound = commitBound;
        this.resubmitEvery = resubmitEvery.compareTo(commitBound) > 0 ? commitBound : resubmitEvery;
        this.gateway = gateway;
        this.network = gateway.getNetwork(channelName);
        this.contract = network.getContract(chaincodeName);
        this.chaincodeName = chaincodeName;
        this.mspId = mspId;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        this.endorseRetries = endorseRetries;
        this.endorsePause = endorsePause;
    }

    @Override
    public String mspId() {
        return mspId;
    }

    @Override
    public byte[] evaluate(String name, String... args) throws LedgerException {
        Proposal proposal = contract.newProposal(name).addArguments(args).build();
        String txId = proposal.getTransactionId();
        try {
            return proposal.evaluate();
        } catch (GatewayException e) {
            MarketRuleException rule = Errors.ruleViolation(Errors.messages(e), txId, Phase.EVALUATE, e);
            if (rule != null) {
                throw rule;
            }
            throw new EvaluateException(name + ": evaluate failed: " + oneLine(e), txId, e);
        } catch (StatusRuntimeException e) {
            String down = Outage.describe(e, endpoint);
            throw new EvaluateException(name + ": evaluate failed: " + (down != null ? down : Errors.describe(e)), txId, e);
        }
    }

    @Override
    public Submitted<byte[]> submit(String name, String... args) throws LedgerException {
        return submitWithRetry(maxAttempts, backoff, endorseRetries, endorsePause, () -> attempt(name, args));
    }

    /** One try of a submit: endorse, then {@link #submitUntilKnown}. */
    private Attempt attempt(String name, String... args) throws LedgerException {
        Proposal proposal = contract.newProposal(name).addArguments(args).build();
        String txId = proposal.getTransactionId();
        Transaction tx;
        try {
            tx = proposal.endorse();
        } catch (EndorseException e) {
            MarketRuleException rule = Errors.ruleViolation(Errors.messages(e), txId, Phase.ENDORSE, e);
            if (rule != null) {
                throw rule;
            }
            boolean outOfStep = Errors.messages(e).stream()
                    .anyMatch(m -> m != null && m.contains("ProposalResponsePayloads do not match"));
            throw new EndorseFailedException(name + ": endorsement failed: " + oneLine(e)
                    + (outOfStep ? " (peers out of step; retry)" : ""), txId, outOfStep, e);
        } catch (StatusRuntimeException e) {
            String down = Outage.describe(e, endpoint);
            throw new EndorseFailedException(name + ": endorsement failed: " + (down != null ? down : Errors.describe(e)),
                    txId, e);
        }
        return submitUntilKnown(name, tx, commitBound, resubmitEvery, this::oneLine);
    }

    /**
     * Sends the endorsed, signed transaction to the orderers and waits for its commit status; while
     * the status is unknown (orderer down or Raft leader changing, transaction lost before it was cut
     * into a block, gateway peer restarting) it sends the <em>same</em> signed transaction again
     * (same transaction id: Fabric commits a transaction id at most once and marks later copies
     * {@code DUPLICATE_TXID}, so this is safe) every {@code resubmitEvery}, until {@code commitBound}
     * has passed since the first send (docs/ledger-api.md, "Lost or unknown commits").
     *
     * @param oneLine how a Gateway failure is described in the exception message
     * @throws SubmitFailedException       when no orderer accepted it within the bound
     * @throws CommitStatusFailedException when it was sent but its status is still unknown at the bound
     */
    static Attempt submitUntilKnown(String name, Transaction tx, Duration commitBound, Duration resubmitEvery,
                                    java.util.function.Function<GatewayException, String> oneLine) throws LedgerException {
        String txId = tx.getTransactionId();
        long start = System.nanoTime();
        long bound = commitBound.toNanos();
        int sends = 0;
        boolean accepted = false;
        Exception last = null;
        while (true) {
            long left = bound - (System.nanoTime() - start);
            if (left <= 0) {
                break;
            }
            SubmittedTransaction submitted;
            try {
                submitted = tx.submitAsync(); // re-sends the same signed envelope on later rounds
                sends++;
                accepted = true;
            } catch (SubmitException e) {
                last = e;
                if (!retryable(e)) {
                    throw new SubmitFailedException(name + ": the orderer refused the transaction: " + oneLine.apply(e), txId, e);
                }
                pause(Math.min(1000, TimeUnit.NANOSECONDS.toMillis(left)),
                        new SubmitFailedException(name + ": submit to the orderer failed: " + oneLine.apply(e), txId, e));
                continue;
            }
            long sentAt = System.nanoTime();
            long wait = Math.min(resubmitEvery.toNanos(), bound - (sentAt - start));
            if (wait <= 0) {
                break;
            }
            try {
                Status status = submitted.getStatus(o -> o.withDeadlineAfter(wait, TimeUnit.NANOSECONDS));
                return new Attempt(txId, status.getBlockNumber(), status.isSuccessful() ? submitted.getResult() : null,
                        status.getCode(), sends);
            } catch (CommitStatusException e) {
                last = e;
                // never resend sooner than resubmitEvery after the last send (a status call may fail fast),
                // and not at all when the next send would fall at or after the bound
                boolean lastRound = sentAt + resubmitEvery.toNanos() >= start + bound;
                long rest = Math.min(sentAt + resubmitEvery.toNanos(), start + bound) - System.nanoTime();
                if (rest > 0) {
                    pause(TimeUnit.NANOSECONDS.toMillis(rest), new CommitStatusFailedException(name + ": commit status of "
                            + txId + " unknown: " + oneLine.apply(e), txId, e));
                }
                if (lastRound) {
                    break;
                }
            }
        }
        long secs = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        if (!accepted) {
            throw new SubmitFailedException(name + ": no orderer accepted transaction " + txId + " within " + secs + " s: "
                    + (last instanceof GatewayException g ? oneLine.apply(g) : "no answer"), txId, last);
        }
        throw new CommitStatusFailedException(name + ": commit status of " + txId + " still unknown after " + secs
                + " s and " + sends + " send(s) of the same signed transaction"
                + (last instanceof GatewayException g ? " (" + oneLine.apply(g) + ")" : "")
                + "; look it up later with `fusionledger tx status " + txId + "`", txId, last);
    }

    /**
     * Whether sending to the orderers may succeed later: no orderer reachable, deadline, or an orderer
     * answering {@code SERVICE_UNAVAILABLE} (no Raft leader yet). A refusal for the transaction itself
     * (e.g. {@code BAD_REQUEST}, {@code FORBIDDEN}) is final.
     */
    static boolean retryable(SubmitException e) {
        io.grpc.Status.Code c = e.getStatus().getCode();
        if (c == io.grpc.Status.Code.UNAVAILABLE || c == io.grpc.Status.Code.DEADLINE_EXCEEDED
                || c == io.grpc.Status.Code.RESOURCE_EXHAUSTED) {
            return true;
        }
        return Errors.messages(e).stream().anyMatch(m -> m != null && m.contains("SERVICE_UNAVAILABLE"));
    }

    /** The outage line when a node is down, else the gRPC status and peer details. */
    private String oneLine(GatewayException e) {
        String down = Outage.describe(e, endpoint);
        return down != null ? down : Errors.describe(e);
    }

    /**
     * Outcome of one committed try: {@code result} is {@code null} unless {@code code} is VALID;
     * {@code sends} counts the sends of the same signed transaction (more than 1 after resubmission).
     */
    record Attempt(String txId, long blockNumber, byte[] result, TxValidationCode code, int sends) {
        Attempt(String txId, long blockNumber, byte[] result, TxValidationCode code) {
            this(txId, blockNumber, result, code, 1);
        }
    }

    /** One try of a submit transaction (a fresh proposal and transaction id each time). */
    @FunctionalInterface
    interface Try {
        Attempt run() throws LedgerException;
    }

    /** {@link #submitWithRetry(int, Duration, int, Duration, Try)} without endorsement retries. */
    static Submitted<byte[]> submitWithRetry(int maxAttempts, Duration backoff, Try attempt) throws LedgerException {
        return submitWithRetry(maxAttempts, backoff, 0, Duration.ZERO, attempt);
    }

    /**
     * Runs {@code attempt} until it commits as VALID. {@code MVCC_READ_CONFLICT} is retried, at most
     * {@code maxAttempts} tries, sleeping {@code backoff × 2^(n-1)} plus up to 50 % jitter between
     * them; an endorsement that failed because the peers were out of step is retried only when the
     * caller asked for it ({@code endorseRetries > 0}, pausing {@code endorsePause}). Any other
     * exception of a try, and any other validation code, ends it at once.
     *
     * @throws CommitFailedException when the last try is invalid
     */
    static Submitted<byte[]> submitWithRetry(int maxAttempts, Duration backoff, int endorseRetries,
                                             Duration endorsePause, Try attempt) throws LedgerException {
        int endorseFailures = 0;
        for (int n = 1; ; n++) {
            Attempt a;
            try {
                a = attempt.run();
            } catch (EndorseFailedException e) {
                if (!e.peersOutOfStep() || endorseFailures >= endorseRetries) {
                    throw e;
                }
                endorseFailures++;
                n--;
                pause(endorsePause.toMillis(), e);
                continue;
            }
            if (a.code() == TxValidationCode.VALID) {
                return new Submitted<>(a.txId(), a.blockNumber(), a.result(), n);
            }
            if (a.code() != TxValidationCode.MVCC_READ_CONFLICT || n >= maxAttempts) {
                throw new CommitFailedException(a.code().name(), a.txId(), n, null);
            }
            long base = backoff.toMillis() << Math.min(n - 1, 10);
            long jitter = ThreadLocalRandom.current().nextLong(base / 2 + 1);
            pause(base + jitter, new CommitFailedException(a.code().name(), a.txId(), n, null));
        }
    }

    private static void pause(long millis, LedgerException ifInterrupted) throws LedgerException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ifInterrupted.addSuppressed(e);
            throw ifInterrupted;
        }
    }

    @Override
    public CloseableIterator<ChaincodeEvent> chaincodeEvents(long startBlock, Checkpoint checkpoint)
            throws LedgerException {
        ChaincodeEventsRequest.Builder b = network.newChaincodeEventsRequest(chaincodeName);
        if (startBlock >= 0) {
            b.startBlock(startBlock);
        }
        if (checkpoint != null) {
            b.checkpoint(checkpoint);
        }
        try {
            return b.build().getEvents();
        } catch (StatusRuntimeException e) {
            throw new EvaluateException("chaincode events: " + Errors.describe(e), null, e);
        }
    }

    @Override
    public TransactionInfo transactionInfo(String transactionId) throws LedgerException {
        byte[] raw;
        Proposal proposal = network.getContract("qscc").newProposal("GetTransactionByID")
                .addArguments(network.getName(), transactionId).build();
        try {
            raw = proposal.evaluate();
        } catch (GatewayException e) {
            if (Errors.messages(e).stream().anyMatch(m -> m != null && m.contains("Failed to get transaction with id"))) {
                throw new NotFoundException("transactionId", "transaction " + transactionId + " is not in the ledger of "
                        + endpoint + " (never committed, or still being ordered)", transactionId, Phase.EVALUATE, e);
            }
            throw new EvaluateException("transaction " + transactionId + ": lookup failed: " + oneLine(e),
                    transactionId, e);
        } catch (StatusRuntimeException e) {
            String down = Outage.describe(e, endpoint);
            throw new EvaluateException("transaction " + transactionId + ": lookup failed: "
                    + (down != null ? down : Errors.describe(e)), transactionId, e);
        }
        try {
            ProcessedTransaction pt = ProcessedTransaction.parseFrom(raw);
            Payload payload = Payload.parseFrom(pt.getTransactionEnvelope().getPayload());
            ChannelHeader ch = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            SignatureHeader sh = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
            SerializedIdentity creator = SerializedIdentity.parseFrom(sh.getCreator());
            TxValidationCode code = TxValidationCode.forNumber(pt.getValidationCode());
            return new TransactionInfo(transactionId, creator.getMspid(), subject(creator.getIdBytes().toByteArray()),
                    ch.getTimestamp().getSeconds(),
                    ch.getTimestamp().getSeconds() * 1_000_000_000L + ch.getTimestamp().getNanos(), code == null ? String.valueOf(pt.getValidationCode()) : code.name());
        } catch (InvalidProtocolBufferException e) {
            throw new EvaluateException("transaction " + transactionId + ": malformed transaction record", transactionId, e);
        }
    }

    private static String subject(byte[] pem) {
        try {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem));
            return c.getSubjectX500Principal().getName();
        } catch (CertificateException e) {
            return null;
        }
    }

    @Override
    public void close() {
        gateway.close();
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
