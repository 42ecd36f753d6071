package dev.fusionledger.console;

import dev.fusionledger.client.audit.AuditEntry;
import dev.fusionledger.client.audit.Mismatch;
import dev.fusionledger.client.audit.TaskAudit;
import dev.fusionledger.ledger.ContributorOutcome;
import dev.fusionledger.ledger.Settlement;
import dev.fusionledger.ledger.VerifierOutcome;
import java.util.List;
import java.util.TreeSet;

/** The audit page's reading of a {@link TaskAudit}: recorded next to re-computed, mismatches flagged. */
public record AuditView(TaskAudit audit) {

    /** @return whether the auditor found {@code subject.field} different from the rules */
    public boolean mismatch(String subject, String field) {
        for (Mismatch m : audit.mismatches()) {
            if (m.subject().equals(subject) && m.field().equals(field)) {
                return true;
            }
        }
        return false;
    }

    /** @return whether any mismatch concerns {@code subject} */
    public boolean mismatch(String subject) {
        return audit.mismatches().stream().anyMatch(m -> m.subject().equals(subject));
    }

    /** @return every contributor in the recorded or the re-computed settlement, sorted */
    public List<String> contributors() {
        TreeSet<String> s = new TreeSet<>();
        for (Settlement x : new Settlement[] {audit.recorded(), audit.expected()}) {
            if (x != null) {
                x.contributors().forEach(c -> s.add(c.contributor()));
            }
        }
        return List.copyOf(s);
    }

    /** @return every verifier in the recorded or the re-computed settlement, sorted */
    public List<String> verifiers() {
        TreeSet<String> s = new TreeSet<>();
        for (Settlement x : new Settlement[] {audit.recorded(), audit.expected()}) {
            if (x != null) {
                x.verifiers().forEach(c -> s.add(c.verifier()));
            }
        }
        return List.copyOf(s);
    }

    public static ContributorOutcome contributor(Settlement s, String id) {
        return s == null ? null : s.contributors().stream().filter(c -> c.contributor().equals(id)).findFirst().orElse(null);
    }

    public static VerifierOutcome verifier(Settlement s, String id) {
        return s == null ? null : s.verifiers().stream().filter(c -> c.verifier().equals(id)).findFirst().orElse(null);
    }

    /**
     * The balance change each write of an account's history made, in credits ({@code null} for a
     * reputation write), in the order of {@code history}.
     */
    public static List<Long> balanceChanges(List<AuditEntry> history) {
        List<Long> out = new java.util.ArrayList<>();
        long previous = 0;
        for (AuditEntry e : history) {
            if (!e.kind().equals("account")) {
                out.add(null);
                continue;
            }
            long now = e.stateAfter() == null ? 0 : e.stateAfter().path("balance").asLong();
            out.add(now - previous);
            previous = now;
        }
        return out;
    }

    /** @return a one-line summary of the key's state after the write: its state or status and amounts */
    public static String summary(AuditEntry e) {
        if (e.deleted() || e.stateAfter() == null) {
            return "deleted";
        }
        var n = e.stateAfter();
        StringBuilder b = new StringBuilder();
        for (String f : List.of("state", "status", "epoch", "late", "escrow", "stake", "dataPoints", "pricePerPoint",
                "balance", "strikes", "outcome", "initiatorRefund")) {
            if (n.has(f) && !n.get(f).isContainerNode()) {
                if (b.length() > 0) {
                    b.append(", ");
                }
                b.append(f).append(' ').append(n.get(f).asText());
            }
        }
        if (n.has("committedAt") && n.get("committedAt").asLong() > 0) {
            b.append(n.path("revealedAt").asLong() > 0 ? ", revealed" : ", committed");
        }
        return b.toString();
    }
}
