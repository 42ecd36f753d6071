package dev.fusionledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionledger.client.audit.Mismatch;
import dev.fusionledger.client.audit.TaskAudit;
import dev.fusionledger.ledger.ContributorOutcome;
import dev.fusionledger.ledger.ContributorReason;
import dev.fusionledger.ledger.Settlement;
import dev.fusionledger.ledger.SettlementOutcome;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The precompiled templates render what the pages promise (the browser test covers them on the network). */
class TemplatesTest {
    static final TemplateEngine JTE = TemplateEngine.createPrecompiled(ContentType.Html);
    static final String ALICE = "Org1MSP::x509::CN=alice,OU=client::CN=ca";
    static final String BOB = "Org2MSP::x509::CN=bob,OU=client::CN=ca";

    static String render(String template, Object... model) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("page", new Page("T", ALICE, "csrf-token", "none", null, List.of()));
        for (int i = 0; i < model.length; i += 2) {
            p.put((String) model[i], model[i + 1]);
        }
        StringOutput out = new StringOutput();
        JTE.render(template, p, out);
        return out.toString();
    }

    static Settlement settlement(long alicePayment) {
        return new Settlement("t1", SettlementOutcome.SETTLED, 1_700_000_000, 2, List.of(), List.of(),
                List.of(new ContributorOutcome(ALICE, true, ContributorReason.ACCEPTED, "a".repeat(64), 0, 2,
                                alicePayment, 2000, 0, 10),
                        new ContributorOutcome(BOB, false, ContributorReason.REJECTED_BY_FITNESS, "b".repeat(64), 1, 0,
                                0, 0, 2500, 0)),
                List.of(), 2500, 10, 0, 0, 123, List.of());
    }

    @Test
    void auditHighlightsEveryMismatchAtItsCell() {
        TaskAudit a = new TaskAudit("t1", "SETTLED", false, 100, 101,
                List.of(new Mismatch(ALICE, "payment", "2001", "2000"), new Mismatch("escrow", "escrowOut", "101", "100")),
                settlement(2001), settlement(2000), List.of());
        String html = render("audit.jte", "a", a, "view", new AuditView(a));
        assertThat(html).contains("2 mismatch(es) between the ledger and the rules");
        assertThat(html).contains("<td class=\"num mismatch\">" + Fmt.credits(2001) + " / " + Fmt.credits(2000) + "</td>");
        assertThat(html).contains("id=\"escrow-out\" class=\"mismatch\"");
        // bob's row agrees: no cell of it is flagged
        String bobRow = html.substring(html.indexOf("Org2MSP::bob"));
        bobRow = bobRow.substring(0, bobRow.indexOf("</tr>"));
        assertThat(bobRow).doesNotContain("mismatch");
    }

    @Test
    void aConsistentAuditFlagsNothing() {
        TaskAudit a = new TaskAudit("t1", "SETTLED", true, 100, 100, List.of(), settlement(2000), settlement(2000), List.of());
        String html = render("audit.jte", "a", a, "view", new AuditView(a));
        assertThat(html).contains("Consistent").doesNotContain("class=\"mismatch\"").doesNotContain("num mismatch");
    }

    @Test
    void valuesAreEscaped() {
        String html = render("error.jte", "message", "<script>alert(1)</script>");
        assertThat(html).doesNotContain("<script>alert(1)</script>").contains("&lt;script&gt;");
    }

    @Test
    void theAnnounceFormShowsEachErrorNextToItsField() {
        Map<String, String> m = new java.util.HashMap<>(SpecForm.DEFAULTS);
        m.put("mafrBps", "-1");
        String html = render("announce.jte", "form", SpecForm.read(m::get), "confirming", false);
        assertThat(html).contains("id=\"error-mafrBps\"").contains("id=\"error-verificationDataHash\"")
                .contains("name=\"_csrf\" value=\"csrf-token\"");
        assertThat(html.indexOf("id=\"error-mafrBps\"")).isGreaterThan(html.indexOf("id=\"f-mafrBps\""))
                .isLessThan(html.indexOf("id=\"f-minContributionBps\""));
    }
}
