package dev.fusionledger.chaincode.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.client.SubmittedTransaction;

/**
 * One signer on the real network: submits and evaluates market transactions by their bare names
 * through the Fabric Gateway ({@link FabricNetwork}'s cached connections) and parses the JSON results.
 */
final class Party {
    static final ObjectMapper JSON = new ObjectMapper();
    final String name;
    final Contract contract;
    private String accountId;

    Party(String name, Contract contract) {
        this.name = name;
        this.contract = contract;
    }

    /** @return a signer of the network engineer's {@link FabricNetwork} fixture: "Org1"/"Org2", "Admin"/"User1".."User5" */
    static Party of(String org, String user) throws Exception {
        return new Party(org + "/" + user, FabricNetwork.contract(org, user));
    }

    String accountId() throws Exception {
        if (accountId == null) {
            accountId = new String(contract.evaluateTransaction("ClientAccountId"), StandardCharsets.UTF_8);
        }
        return accountId;
    }

    /**
     * Submits and waits for the commit; fails unless the transaction committed as VALID. Retries
     * (up to 10 times, 200 ms apart) when the endorsing peers have not yet committed the same
     * blocks ("ProposalResponsePayloads do not match"), as any Fabric client must.
     */
    JsonNode submit(String tx, String... args) throws Exception {
        SubmittedTransaction s = endorseWithRetry(contract, tx, args).submitAsync();
        SUBMITTED.add(s.getTransactionId());
        Status st = s.getStatus();
        synchronized (LOG) {
            LOG.add(new Submitted(tx, s.getTransactionId(), st.getBlockNumber()));
        }
        if (!st.isSuccessful()) {
            throw new IllegalStateException(tx + " by " + name + " committed as " + st.getCode());
        }
        return JSON.readTree(s.getResult());
    }

    /** Endorses, retrying while the two orgs' peers disagree because one lags a block behind. */
    static org.hyperledger.fabric.client.Transaction endorseWithRetry(Contract contract, String tx, String... args)
            throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return contract.newProposal(tx).addArguments(args).build().endorse();
            } catch (org.hyperledger.fabric.client.EndorseException e) {
                boolean lag = e.getDetails().stream().anyMatch(d -> d.getMessage().contains("do not match"));
                if (!lag || attempt >= 10) {
                    throw e;
                }
                RETRIES.incrementAndGet();
                Thread.sleep(200);
            }
        }
    }

    /** A committed submission: transaction name, id and block. */
    record Submitted(String name, String txId, long block) {
    }

    /** Every committed submission of this JVM, in commit order per caller thread. */
    static final java.util.List<Submitted> LOG = new java.util.ArrayList<>();

    /** Ids of the transactions submitted through any party in this JVM. */
    static final java.util.Set<String> SUBMITTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * The change of this party's balance made by the transactions in {@code txIds}, read from the
     * account's ledger history (robust to other tests moving credits of the same account).
     */
    long balanceChangeBy(java.util.Set<String> txIds) throws Exception {
        long previous = 0;
        long change = 0;
        for (JsonNode h : evaluate("GetHistory", "account", accountId())) {
            long now = h.get("deleted").asBoolean() ? 0 : h.get("value").get("balance").asLong();
            if (txIds.contains(h.get("txId").asText())) {
                change += now - previous;
            }
            previous = now;
        }
        return change;
    }

    /** Endorsement retries made so far (peers out of step). */
    static final java.util.concurrent.atomic.AtomicLong RETRIES = new java.util.concurrent.atomic.AtomicLong();

    JsonNode evaluate(String tx, String... args) throws Exception {
        return JSON.readTree(contract.evaluateTransaction(tx, args));
    }

    long balance() throws Exception {
        return evaluate("BalanceOf", accountId()).get("balance").asLong();
    }

    /** @return the error message of a transaction the endorsers reject (null if it was accepted) */
    String rejection(String tx, String... args) throws Exception {
        try {
            contract.newProposal(tx).addArguments(args).build().endorse();
            return null;
        } catch (GatewayException e) {
            StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
            e.getDetails().forEach(d -> b.append(" | ").append(d.getMessage()));
            return b.toString();
        }
    }
}
