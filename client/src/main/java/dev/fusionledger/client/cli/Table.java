package dev.fusionledger.client.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table with left-aligned columns sized to their widest cell. Fabric account ids
 * ({@code Org1MSP::x509::CN=User1@org1.example.com, OU=client, ...::CN=ca...}) are shown as
 * {@code Org1MSP/User1@org1.example.com}; {@code --json} and {@code account id} give them in full.
 * Control characters in cells are escaped ({@link FusionLedgerCli#printable}).
 */
public final class Table {
    private static final java.util.regex.Pattern ACCOUNT =
            java.util.regex.Pattern.compile("^([^:\\s]+)::x509::CN=([^,]+),.*$");

    public static String shortAccount(String s) {
        java.util.regex.Matcher m = ACCOUNT.matcher(s);
        return m.matches() ? m.group(1) + "/" + m.group(2) : s;
    }

    private final List<String[]> rows = new ArrayList<>();

    public Table(String... header) {
        rows.add(header);
    }

    public Table row(Object... cells) {
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            r[i] = cells[i] == null ? "-" : FusionLedgerCli.printable(shortAccount(String.valueOf(cells[i])));
        }
        rows.add(r);
        return this;
    }

    public void print(PrintWriter out) {
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols && i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cols && i < r.length; i++) {
                sb.append(i == cols - 1 ? r[i] : String.format("%-" + w[i] + "s  ", r[i]));
            }
            out.println(sb.toString().stripTrailing());
        }
        out.flush();
    }
}
