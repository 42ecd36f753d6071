package dev.fusionledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The commitment format of docs/ledger-api.md. Expected commitments were computed independently
 * with coreutils, e.g. {@code printf '%s' 'task-7f3a|Org2MSP::x509::...|[{"contributor":...}]|s4lt' | sha256sum}.
 */
class VoteCommitmentTest {

    @Test
    void sortsByContributorAndMatchesIndependentVector() {
        List<VoteEntry> unsorted = List.of(
                new VoteEntry("Org2MSP::bob", 8000, -25, 0),
                new VoteEntry("Org1MSP::alice", 9100, 300, 9700));
        assertThat(VoteCommitment.canonicalVotes(unsorted)).isEqualTo(
                "[{\"contributor\":\"Org1MSP::alice\",\"fitnessBps\":9100,\"contributionBps\":300,\"ownAccuracyBps\":9700},"
                        + "{\"contributor\":\"Org2MSP::bob\",\"fitnessBps\":8000,\"contributionBps\":-25,\"ownAccuracyBps\":0}]");
        // printf '%s' 'task-7f3a|Org2MSP::x509::CN=User3@org2.example.com|[{"contributor":"Org1MSP::alice","fitnessBps":9100,"contributionBps":300,"ownAccuracyBps":9700},{"contributor":"Org2MSP::bob","fitnessBps":8000,"contributionBps":-25,"ownAccuracyBps":0}]|s4lt' | sha256sum
        assertThat(VoteCommitment.commitment("task-7f3a", "Org2MSP::x509::CN=User3@org2.example.com", unsorted, "s4lt"))
                .isEqualTo("d67fecc8a5704d1c231acd1324bf989542a39508aef23a619c7bd2b9de29e765");
    }

    @Test
    void emptyVotes() {
        // printf '%s' 'tx1|Org1MSP::v|[]|x' | sha256sum
        assertThat(VoteCommitment.commitment("tx1", "Org1MSP::v", List.of(), "x"))
                .isEqualTo("9d4e0f18fddf250086c15dc977fe8fb355d3f5832afb730ba5d1381038b88fb0");
    }

    @Test
    void escapesQuotesAndBackslashesAsJson() {
        // printf '%s' 'tx1|Org1MSP::v|[{"contributor":"Org1MSP::a\"b\\c","fitnessBps":0,"contributionBps":10000,"ownAccuracyBps":10000}]|salt with spaces' | sha256sum
        assertThat(VoteCommitment.commitment("tx1", "Org1MSP::v",
                List.of(new VoteEntry("Org1MSP::a\"b\\c", 0, 10000, 10000)), "salt with spaces"))
                .isEqualTo("b8759ced8ba89f5919398a9df4f4a1520ed11e0e80b5243bbb9804e8d33f55e8");
    }

    @Test
    void ownAccuracyChangesTheCommitment() {
        String a = VoteCommitment.commitment("t", "Org1MSP::v", List.of(new VoteEntry("Org1MSP::a", 1, 2, 3)), "s");
        String b = VoteCommitment.commitment("t", "Org1MSP::v", List.of(new VoteEntry("Org1MSP::a", 1, 2, 4)), "s");
        assertThat(a).isNotEqualTo(b).isEqualTo(Sha256.hex("t|Org1MSP::v|[{\"contributor\":\"Org1MSP::a\","
                + "\"fitnessBps\":1,\"contributionBps\":2,\"ownAccuracyBps\":3}]|s"));
    }

    @Test
    void orderOfInputDoesNotChangeCommitment() {
        var a = new VoteEntry("Org1MSP::a", 1, 2, 3);
        var b = new VoteEntry("Org1MSP::B", 3, 4, 5); // 'B' < 'a' in UTF-16 order
        String salt = VoteCommitment.newSalt();
        assertThat(VoteCommitment.commitment("t", "v", List.of(a, b), salt))
                .isEqualTo(VoteCommitment.commitment("t", "v", List.of(b, a), salt));
        assertThat(VoteCommitment.canonicalVotes(List.of(a, b))).startsWith("[{\"contributor\":\"Org1MSP::B\"");
        assertThat(salt).matches("[0-9a-f]{32}");
    }

    @Test
    void parseVotesGivesTheCanonicalOrderAndRoundTrips() {
        String votes = "[{\"contributor\":\"b::x\",\"fitnessBps\":1,\"contributionBps\":-2,\"ownAccuracyBps\":7},"
                + "{\"contributor\":\"a::x\",\"fitnessBps\":3,\"contributionBps\":4,\"ownAccuracyBps\":10000}]";
        String canonical = "[{\"contributor\":\"a::x\",\"fitnessBps\":3,\"contributionBps\":4,\"ownAccuracyBps\":10000},"
                + "{\"contributor\":\"b::x\",\"fitnessBps\":1,\"contributionBps\":-2,\"ownAccuracyBps\":7}]";
        assertThat(VoteCommitment.canonicalVotes(VoteCommitment.parseVotes(votes))).isEqualTo(canonical);
        assertThat(VoteCommitment.commitment("t", "v::x", VoteCommitment.parseVotes(votes), "salt"))
                .isEqualTo(Sha256.hex("t|v::x|" + canonical + "|salt"));
        assertThat(Sha256.hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void parseVotesNamesTheFieldAndRange() {
        assertThatThrownBy(() -> VoteCommitment.parseVotes("[{\"contributor\":\"a::x\",\"fitnessBps\":1,\"contributionBps\":1}]"))
                .hasMessage("INVALID_ARGUMENT: votesJson: each vote must be an object with exactly contributor, "
                        + "fitnessBps, contributionBps, ownAccuracyBps");
        assertThatThrownBy(() -> VoteCommitment.parseVotes(
                "[{\"contributor\":\"a::x\",\"fitnessBps\":1,\"contributionBps\":1,\"ownAccuracyBps\":10001}]"))
                .hasMessage("INVALID_ARGUMENT: votesJson.ownAccuracyBps: must be in 0..10000, got 10001");
        assertThatThrownBy(() -> VoteCommitment.parseVotes(
                "[{\"contributor\":\"a::x\",\"fitnessBps\":1,\"contributionBps\":1,\"ownAccuracyBps\":-1}]"))
                .hasMessage("INVALID_ARGUMENT: votesJson.ownAccuracyBps: must be in 0..10000, got -1");
        assertThatThrownBy(() -> VoteCommitment.parseVotes(
                "[{\"contributor\":\"a::x\",\"fitnessBps\":1,\"contributionBps\":1,\"ownAccuracyBps\":0.5}]"))
                .hasMessage("INVALID_ARGUMENT: votesJson.ownAccuracyBps: must be an integer in 0..10000");
        assertThatThrownBy(() -> VoteCommitment.parseVotes(
                "[{\"contributor\":\"ax\",\"fitnessBps\":1,\"contributionBps\":1,\"ownAccuracyBps\":1}]"))
                .isInstanceOfSatisfying(MarketException.class, e -> assertThat(e.field()).isEqualTo("votesJson.contributor"));
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> new VoteEntry("c::x", 10001, 0, 0))
                .hasMessage("INVALID_ARGUMENT: fitnessBps: must be in 0..10000, got 10001");
        assertThatThrownBy(() -> new VoteEntry("c::x", 0, -10001, 0))
                .hasMessage("INVALID_ARGUMENT: contributionBps: must be in -10000..10000, got -10001");
        assertThatThrownBy(() -> new VoteEntry("c::x", 0, 0, 10001))
                .hasMessage("INVALID_ARGUMENT: ownAccuracyBps: must be in 0..10000, got 10001");
        assertThatThrownBy(() -> VoteCommitment.commitment("t", "v", List.of(), "a|b"))
                .hasMessageStartingWith("INVALID_ARGUMENT: salt: must be 1..128 printable ASCII characters without '|'");
        assertThatThrownBy(() -> VoteCommitment.commitment("t", "v", List.of(), ""))
                .hasMessageStartingWith("INVALID_ARGUMENT: salt: must be 1..128");
        assertThatThrownBy(() -> VoteCommitment.canonicalVotes(List.of(new VoteEntry("c::x", 1, 1, 1),
                new VoteEntry("c::x", 2, 2, 2)))).hasMessageStartingWith("INVALID_ARGUMENT: votes: contributor c::x appears more than once");
    }
}
