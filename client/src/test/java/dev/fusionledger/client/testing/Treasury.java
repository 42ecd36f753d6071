package dev.fusionledger.client.testing;

import dev.fusionledger.client.AlreadyExistsException;
import dev.fusionledger.client.FusionLedgerClient;
import dev.fusionledger.client.LedgerException;
import dev.fusionledger.client.PermissionDeniedException;
import java.util.List;

/** Funding of test accounts on a real network, for the integration tests of every module. */
public final class Treasury {
    private Treasury() {
    }

    /**
     * Initializes the market if needed (treasurer Org1MSP, unless an earlier run chose another),
     * mints {@code credits × (accounts + 1)} with whichever admin is the treasurer, and tops every
     * account up to at least {@code credits}.
     *
     * @param admins the admins of the member orgs (Org1 first)
     * @return the treasurer's client, one of {@code admins}
     * @throws IllegalStateException if none of the admins may mint
     * @throws LedgerException if a transaction fails
     */
    public static FusionLedgerClient fund(List<FusionLedgerClient> admins, List<String> accounts, long credits)
            throws LedgerException {
        try {
            admins.get(0).initialize("Org1MSP");
        } catch (AlreadyExistsException e) {
            // initialized by an earlier run or another test
        }
        FusionLedgerClient treasurer = null;
        for (FusionLedgerClient a : admins) {
            try {
                a.mint(credits * (accounts.size() + 1));
                treasurer = a;
                break;
            } catch (PermissionDeniedException e) {
                // not the treasurer MSP
            }
        }
        if (treasurer == null) {
            throw new IllegalStateException("none of the admins may mint: the treasurer MSP is another one");
        }
        for (String acc : accounts) {
            long have = treasurer.balanceOf(acc).balance();
            if (have < credits) {
                treasurer.transfer(acc, credits - have);
            }
        }
        return treasurer;
    }
}
