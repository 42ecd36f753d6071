package dev.fusionledger.client.cli;

import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.Submitted;
import dev.fusionledger.client.seal.InitiatorKeys;
import dev.fusionledger.ledger.KeyDelivery;
import dev.fusionledger.ledger.KeyDispute;
import dev.fusionledger.ledger.KeyEscrow;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fusionledger keys ...}: the keys of sealed models on the ledger (docs/model-store.md). */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Keys of sealed (encrypted) models: deliveries, held payments, disputes; check yours as the initiator.",
        subcommands = {KeyCommands.ListKeys.class, KeyCommands.Check.class, KeyCommands.Reclaim.class},
        footer = {"", "Example:", "  fusionledger --org Org1 --user User1 keys check <taskId>"})
final class KeyCommands {

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The task's key deliveries, held payments (key escrows) and key disputes.",
            footer = {"", "Example:", "  fusionledger keys list <taskId>"})
    static final class ListKeys extends FusionLedgerCli.Leaf {
        @Parameters(index = "0", paramLabel = "TASK_ID")
        String taskId;

        @Override
        protected void run() throws Exception {
            FusionLedgerClient c = root().client();
            List<KeyDelivery> ds = c.getKeyDeliveries(taskId);
            List<KeyEscrow> es = c.getKeyEscrows(taskId);
            List<KeyDispute> ks = c.getKeyDisputes(taskId);
            if (json()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("deliveries", ds);
                m.put("escrows", es);
                m.put("disputes", ks);
                root().printJson(m);
                return;
            }
            Table d = new Table("CONTRIBUTOR", "RECIPIENT", "ROLE", "EPOCH", "MODEL", "DELIVERED_AT");
            ds.forEach(x -> d.row(x.contributor(), x.recipient(), x.recipientRole(), x.epoch(), x.modelHash(), x.deliveredAt()));
            d.print(out());
            Table e = new Table("CONTRIBUTOR", "AMOUNT", "DEADLINE", "STATUS", "CLOSED_AT");
            es.forEach(x -> e.row(x.contributor(), x.amount(), x.deadline(), x.status(), x.closedAt()));
            out().println();
            e.print(out());
            if (!ks.isEmpty()) {
                Table k = new Table("CONTRIBUTOR", "RAISED_AT", "REASON");
                ks.forEach(x -> k.row(x.contributor(), x.raisedAt(), x.reason()));
                out().println();
                k.print(out());
            }
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"As the task's initiator: unwrap every key delivered to you with your enrolment key, check it",
                "against its commitment, and record DisputeKey for each that fails (exit 8 when one failed)."},
            footer = {"", "Example:", "  fusionledger --org Org1 --user User1 keys check <taskId>"})
    static final class Check extends FusionLedgerCli.Leaf {
        @Parameters(index = "0", paramLabel = "TASK_ID")
        String taskId;
        @Option(names = "--key", paramLabel = "PEM", description = "Your enrolment private key (default: the profile's for --org/--user).")
        Path key;
        @Option(names = "--no-dispute", description = "Only check; record no dispute.")
        boolean noDispute;

        @Override
        protected void run() throws Exception {
            PrivateKey mine = key != null ? InitiatorKeys.readPrivateKey(key) : root().enrolmentKey();
            if (mine == null) {
                throw new IllegalArgumentException("--key: no enrolment private key in the profile for this user; pass --key");
            }
            List<InitiatorKeys.Result> rs = InitiatorKeys.collect(root().client(), mine, taskId, !noDispute);
            List<Map<String, Object>> rows = new ArrayList<>();
            Table t = new Table("CONTRIBUTOR", "MODEL", "KEY", "DISPUTE");
            boolean failed = false;
            for (InitiatorKeys.Result r : rs) {
                failed |= !r.ok();
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("contributor", r.delivery().contributor());
                m.put("modelHash", r.delivery().modelHash());
                m.put("ok", r.ok());
                m.put("problem", r.problem());
                m.put("disputed", r.dispute() != null);
                rows.add(m);
                t.row(r.delivery().contributor(), r.delivery().modelHash(), r.ok() ? "ok" : r.problem(),
                        r.dispute() == null ? "" : "recorded " + r.dispute().raisedAt());
            }
            if (json()) {
                root().printJson(rows);
            } else {
                t.print(out());
            }
            if (failed) {
                throw new FusionLedgerCli.IntegrityFailure("task " + taskId + ": a delivered key does not match its commitment"
                        + (noDispute ? "" : " (dispute recorded)"));
            }
        }
    }

    @Command(name = "reclaim", mixinStandardHelpOptions = true,
            description = "After the key deadline: return a contributor's held payment to the initiator (anyone may call it).",
            footer = {"", "Example:", "  fusionledger keys reclaim <taskId> 'Org2MSP::x509::CN=User1@org2.example.com,...'"})
    static final class Reclaim extends FusionLedgerCli.Leaf {
        @Parameters(index = "0", paramLabel = "TASK_ID")
        String taskId;
        @Parameters(index = "1", paramLabel = "CONTRIBUTOR")
        String contributor;

        @Override
        protected void run() throws Exception {
            Submitted<KeyEscrow> s = root().client().reclaimKeyEscrow(taskId, contributor);
            KeyEscrow e = s.value();
            root().printSubmitted(s, new Table("CONTRIBUTOR", "AMOUNT", "STATUS", "CLOSED_AT")
                    .row(e.contributor(), e.amount(), e.status(), e.closedAt()));
        }
    }
}
