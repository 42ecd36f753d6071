package dev.fusionledger.client;

import org.hyperledger.fabric.client.ChaincodeEvent;
import org.hyperledger.fabric.client.Checkpoint;
import org.hyperledger.fabric.client.CloseableIterator;

/**
 * The raw calls the typed {@link FusionLedgerClient} is built on: evaluate a query, submit a
 * transaction and wait for its commit, read chaincode events, look up a transaction. The Fabric
 * Gateway implementation is made by {@link FusionLedgerClient#builder()}; tests may supply an
 * in-memory one through {@link FusionLedgerClient#over(LedgerTransport)}.
 */
public interface LedgerTransport extends AutoCloseable {

    /** MSP id of the identity that signs the calls. */
    String mspId();

    /**
     * Evaluates a query on a peer.
     *
     * @throws MarketRuleException when the chaincode rejects it
     * @throws EvaluateException   on any other failure
     */
    byte[] evaluate(String name, String... args) throws LedgerException;

    /**
     * Endorses, submits and waits for the commit of a transaction; MVCC read conflicts are retried
     * with bounded backoff, nothing else is retried.
     *
     * @throws MarketRuleException         when the chaincode rejects it (nothing written)
     * @throws EndorseFailedException      when endorsement fails otherwise
     * @throws SubmitFailedException       when the orderer cannot be reached
     * @throws CommitStatusFailedException when the commit status cannot be obtained
     * @throws CommitFailedException       when the transaction is invalid in its block
     */
    Submitted<byte[]> submit(String name, String... args) throws LedgerException;

    /**
     * The chaincode's events: after {@code checkpoint} when it has a position, else from
     * {@code startBlock} ({@code < 0}: from the next block).
     */
    CloseableIterator<ChaincodeEvent> chaincodeEvents(long startBlock, Checkpoint checkpoint) throws LedgerException;

    /** Creator and validity of a committed transaction. */
    TransactionInfo transactionInfo(String transactionId) throws LedgerException;

    @Override
    void close();
}
