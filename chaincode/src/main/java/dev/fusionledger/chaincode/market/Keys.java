package dev.fusionledger.chaincode.market;

/**
 * The composite keys of the market's state (docs/ledger-api.md, "State objects"):
 * {@code task[taskId]}, {@code bid[taskId, accountId]}, {@code verifier[taskId, accountId]},
 * {@code checkpoint[taskId, accountId, epoch as 6-digit zero-padded]}, {@code vote[taskId, verifier]},
 * {@code settlement[taskId]}, {@code account[accountId]}, {@code reputation[accountId]}, {@code config[]}.
 */
final class Keys {
    static final String CONFIG = "config";
    static final String ACCOUNT = "account";
    static final String REPUTATION = "reputation";
    static final String TASK = "task";
    static final String BID = "bid";
    static final String VERIFIER = "verifier";
    static final String CHECKPOINT = "checkpoint";
    static final String VOTE = "vote";
    static final String SETTLEMENT = "settlement";

    private final Ledger ledger;

    Keys(Ledger ledger) {
        this.ledger = ledger;
    }

    String config() {
        return ledger.compositeKey(CONFIG);
    }

    String account(String id) {
        return ledger.compositeKey(ACCOUNT, id);
    }

    String reputation(String id) {
        return ledger.compositeKey(REPUTATION, id);
    }

    String task(String id) {
        return ledger.compositeKey(TASK, id);
    }

    String bid(String task, String who) {
        return ledger.compositeKey(BID, task, who);
    }

    String verifier(String task, String who) {
        return ledger.compositeKey(VERIFIER, task, who);
    }

    String vote(String task, String who) {
        return ledger.compositeKey(VOTE, task, who);
    }

    String settlement(String task) {
        return ledger.compositeKey(SETTLEMENT, task);
    }

    String checkpoint(String task, String who, int epoch) {
        return ledger.compositeKey(CHECKPOINT, task, who, String.format("%06d", epoch));
    }
}
