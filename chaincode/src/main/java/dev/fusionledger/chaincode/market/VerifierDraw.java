package dev.fusionledger.chaincode.market;

import dev.fusionledger.ledger.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The deterministic verifier draw (docs/ledger-api.md, "Phases and deadlines"). */
public final class VerifierDraw {
    private VerifierDraw() {
    }

    /**
     * {@code candidates} sorted, then Fisher–Yates from the end where swap i (i = n-1..1) picks
     * {@code j = u64(SHA-256(txId + ":" + i)[0..8]) mod (i+1)}; the first {@code min(k, n)} are drawn.
     *
     * @return the drawn accounts, sorted
     */
    public static List<String> draw(List<String> candidates, int k, String txId) {
        List<String> a = new ArrayList<>(candidates);
        a.sort(Comparator.naturalOrder());
        for (int i = a.size() - 1; i >= 1; i--) {
            byte[] h = Sha256.digest((txId + ":" + i).getBytes(StandardCharsets.UTF_8));
            long x = 0;
            for (int b = 0; b < 8; b++) {
                x = (x << 8) | (h[b] & 0xff);
            }
            int j = (int) Long.remainderUnsigned(x, i + 1);
            String t = a.get(i);
            a.set(i, a.get(j));
            a.set(j, t);
        }
        List<String> drawn = new ArrayList<>(a.subList(0, Math.min(k, a.size())));
        drawn.sort(Comparator.naturalOrder());
        return drawn;
    }
}
