package dev.fusionledger.spark;

/**
 * Hands a stage's uid to its Scala parents' constructors. Scala assigns a class's constructor
 * parameters (such as {@code uid}) before the parent constructors run, and the params those
 * constructors create ({@code new Param(this, ...)}) read {@code uid()}; a Java subclass cannot
 * assign a field that early. The Java constructor stashes the uid here in the argument list of
 * its {@code this(...)} call, {@code uid()} reads it while the parents are being built, and the
 * constructor body clears it.
 */
final class PendingUid {
    private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

    private PendingUid() {
    }

    static String stash(String uid) {
        if (uid == null || uid.isEmpty()) {
            throw new IllegalArgumentException("uid: must be a non-empty string");
        }
        PENDING.set(uid);
        return uid;
    }

    static String get() {
        String uid = PENDING.get();
        if (uid == null) {
            throw new IllegalStateException("uid requested outside the stage's construction");
        }
        return uid;
    }

    static void clear() {
        PENDING.remove();
    }
}
