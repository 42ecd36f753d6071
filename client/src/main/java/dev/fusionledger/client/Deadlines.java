package dev.fusionledger.client;

import java.time.Duration;

/**
 * Deadlines of the four Gateway call types. Every call gets one, so a dead peer turns into an
 * exception instead of a hang.
 *
 * @param evaluate     a query ({@code Evaluate})
 * @param endorse      collecting endorsements ({@code Endorse})
 * @param submit       sending to the orderer ({@code Submit})
 * @param commitStatus waiting for the block that commits the transaction ({@code CommitStatus})
 * @throws IllegalArgumentException when a deadline is not positive
 */
public record Deadlines(Duration evaluate, Duration endorse, Duration submit, Duration commitStatus) {

    public Deadlines {
        check("evaluate", evaluate);
        check("endorse", endorse);
        check("submit", submit);
        check("commitStatus", commitStatus);
    }

    /** 5 s evaluate, 15 s endorse, 5 s submit, 60 s commit status. */
    public static Deadlines defaults() {
        return new Deadlines(Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(5),
                Duration.ofSeconds(60));
    }

    private static void check(String field, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + ": deadline must be positive, got " + d);
        }
    }
}
