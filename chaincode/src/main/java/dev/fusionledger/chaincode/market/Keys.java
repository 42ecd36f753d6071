package dev.fusionledger.chaincode.market;

/**
 * The composite keys of the market's state (docs/ledger-api.md, "State objects"):
 * {@code task[taskId]}, {@code bid[taskId, accountId]}, {@code verifier[taskId, accountId]},
 * {@code checkpoint[taskId, accountId, epoch as 6-digit zero-padded]}, {@code vote[taskId, verifier]},
 * {@code settlement[taskId]}, {@code account[accountId]}, {@code reputation[accountId]}, {@code config[]},
 * {@code keydelivery[taskId, contributor, recipient]}, {@code keyescrow[taskId, contributor]},
 * {@code keydispute[taskId, contributor]}.
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
    static final String KEY_DELIVERY = "keydelivery";
    static final String KEY_ESCROW = "keyescrow";
    static final String KEY_DISPUTE = "keydispute";

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

    String keyDelivery(String task, String contributor, String recipient) {
        return ledger.compositeKey(KEY_DELIVERY, task, contributor, recipient);
    }

    String keyEscrow(String task, String contributor) {
        return ledger.compositeKey(KEY_ESCROW, task, contributor);
    }

    String keyDispute(String task, String contributor) {
        return ledger.compositeKey(KEY_DISPUTE, task, contributor);
    }
}
