package dev.fusionledger.client.commitment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Expected commitments were computed independently with coreutils, e.g.
 * {@code printf '%s' 'task-7f3a|Org2MSP::x509::CN=User3@org2.example.com|[{"contributor":"Org1MSP::alice",...}]|s4lt' | sha256sum}.
 */
class VoteCommitmentTest {

    @Test
    void sortsByContributorAndMatchesIndependentVector() {
        List<VoteEntry> unsorted = List.of(
                new VoteEntry("Org2MSP::bob", 8000, -25),
                new VoteEntry("Org1MSP::alice", 9100, 300));
        assertThat(VoteCommitment.canonicalVotes(unsorted)).isEqualTo(
                "[{\"contributor\":\"Org1MSP::alice\",\"fitnessBps\":9100,\"contributionBps\":300},"
                        + "{\"contributor\":\"Org2MSP::bob\",\"fitnessBps\":8000,\"contributionBps\":-25}]");
        // printf '%s' 'task-7f3a|Org2MSP::x509::CN=User3@org2.example.com|[{"contributor":"Org1MSP::alice","fitnessBps":9100,"contributionBps":300},{"contributor":"Org2MSP::bob","fitnessBps":8000,"contributionBps":-25}]|s4lt' | sha256sum
        assertThat(VoteCommitment.commitment("task-7f3a", "Org2MSP::x509::CN=User3@org2.example.com", unsorted, "s4lt"))
                .isEqualTo("99fbad3b0cc70da8773eaf0d0b9bc72d74e028560d69a6816791a7a875191abd");
    }

    @Test
    void emptyVotes() {
        // printf '%s' 'tx1|Org1MSP::v|[]|x' | sha256sum
        assertThat(VoteCommitment.commitment("tx1", "Org1MSP::v", List.of(), "x"))
                .isEqualTo("9d4e0f18fddf250086c15dc977fe8fb355d3f5832afb730ba5d1381038b88fb0");
    }

    @Test
    void escapesQuotesAndBackslashesAsJson() {
        // printf '%s' 'tx1|Org1MSP::v|[{"contributor":"Org1MSP::a\"b\\c","fitnessBps":0,"contributionBps":10000}]|salt with spaces' | sha256sum
        assertThat(VoteCommitment.commitment("tx1", "Org1MSP::v",
                List.of(new VoteEntry("Org1MSP::a\"b\\c", 0, 10000)), "salt with spaces"))
                .isEqualTo("4a279c77ddc1526b3ce8234fa7261bafb642dc3b2e16b6d9f02725dbbe202a11");
    }

    @Test
    void orderOfInputDoesNotChangeCommitment() {
        var a = new VoteEntry("Org1MSP::a", 1, 2);
        var b = new VoteEntry("Org1MSP::B", 3, 4); // 'B' < 'a' in UTF-16 order
        String salt = VoteCommitment.newSalt();
        assertThat(VoteCommitment.commitment("t", "v", List.of(a, b), salt))
                .isEqualTo(VoteCommitment.commitment("t", "v", List.of(b, a), salt));
        assertThat(VoteCommitment.canonicalVotes(List.of(a, b))).startsWith("[{\"contributor\":\"Org1MSP::B\"");
        assertThat(salt).matches("[0-9a-f]{32}");
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> new VoteEntry("c", 10001, 0)).hasMessage("fitnessBps: must be in 0..10000, got 10001");
        assertThatThrownBy(() -> new VoteEntry("c", 0, -10001)).hasMessage("contributionBps: must be in -10000..10000, got -10001");
        assertThatThrownBy(() -> VoteCommitment.commitment("t", "v", List.of(), "a|b"))
                .hasMessageStartingWith("salt: must be printable ASCII without '|'");
        assertThatThrownBy(() -> VoteCommitment.commitment("t", "v", List.of(), ""))
                .hasMessageStartingWith("salt: must be 1..128");
        assertThatThrownBy(() -> VoteCommitment.canonicalVotes(List.of(new VoteEntry("c", 1, 1), new VoteEntry("c", 2, 2))))
                .hasMessageStartingWith("votes: contributor c appears more than once");
    }
}
