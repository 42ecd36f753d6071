package dev.fusionledger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusionledger.ledger.MarketException;
import dev.fusionledger.ledger.VoteCommitment;
import dev.fusionledger.ledger.VoteEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@link VoteBook} contract: nothing saved is replaced before the ledger accepted its successor. */
class VoteBookTest {
    @TempDir
    Path dir;

    static final String TASK = "t".repeat(64);
    static final String ME = "Org1MSP::x509::CN=v";
    static final List<VoteEntry> A = List.of(new VoteEntry("Org2MSP::b", 9000, 100, 9500), new VoteEntry("Org1MSP::a", 1, 0, 2));
    static final List<VoteEntry> B = List.of(new VoteEntry("Org1MSP::a", 100, 0, 100));

    long files() throws Exception {
        try (Stream<Path> f = Files.list(dir)) {
            return f.count();
        }
    }

    @Test
    void acceptedBecomesSavedRejectedLeavesTheSavedOneAsItWas() throws Exception {
        VoteBook book = new VoteBook(dir);
        assertThat(book.saved(TASK, ME)).isEmpty();
        VoteBook.Entry a = book.prepare(TASK, ME, A, "salt-a");
        assertThat(a.commitment()).isEqualTo(VoteCommitment.commitment(TASK, ME, A, "salt-a"));
        assertThat(a.votes()).isEqualTo(VoteCommitment.parseVotes(VoteCommitment.canonicalVotes(A)));
        assertThat(book.saved(TASK, ME)).as("pending is not saved").isEmpty();
        assertThat(book.find(TASK, ME, a.commitment())).contains(a);
        book.accepted(a);
        assertThat(book.saved(TASK, ME)).contains(a);
        assertThat(files()).isEqualTo(1);

        byte[] savedBytes;
        try (Stream<Path> f = Files.list(dir)) {
            savedBytes = Files.readAllBytes(f.findFirst().orElseThrow());
        }
        VoteBook.Entry b = book.prepare(TASK, ME, B, null);
        assertThat(b.salt()).hasSize(32);
        assertThat(book.saved(TASK, ME)).contains(a);
        book.rejected(b);
        assertThat(book.saved(TASK, ME)).contains(a);
        assertThat(files()).isEqualTo(1);
        try (Stream<Path> f = Files.list(dir)) {
            assertThat(Files.readAllBytes(f.findFirst().orElseThrow())).isEqualTo(savedBytes);
        }
        assertThat(book.find(TASK, ME, b.commitment())).isEmpty();
        assertThat(book.find(TASK, "Org1MSP::other", a.commitment())).isEmpty();
        assertThat(book.find("other", ME, a.commitment())).isEmpty();
    }

    @Test
    void aPendingEntryIsFoundByTheLedgersCommitmentAfterACrash() throws Exception {
        VoteBook book = new VoteBook(dir);
        VoteBook.Entry a = book.prepare(TASK, ME, A, "salt-a");
        book.accepted(a);
        VoteBook.Entry b = new VoteBook(dir).prepare("u".repeat(64), ME, B, "salt-b"); // another task, no accept
        assertThat(new VoteBook(dir).find("u".repeat(64), ME, b.commitment())).contains(b);
        assertThat(new VoteBook(dir).find(TASK, ME, a.commitment())).contains(a);
        try (Stream<Path> f = Files.list(dir)) {
            assertThat(f.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void badVotesOrSaltWriteNothing() throws Exception {
        VoteBook book = new VoteBook(dir);
        assertThatThrownBy(() -> book.prepare(TASK, ME, B, "a|b")).isInstanceOf(MarketException.class)
                .hasMessageContaining("salt");
        VoteEntry twice = new VoteEntry("x::y", 1, 0, 0);
        assertThatThrownBy(() -> book.prepare(TASK, ME, List.of(twice, twice), "s"))
                .isInstanceOf(MarketException.class).hasMessageContaining("more than once");
        assertThat(Files.exists(dir) ? files() : 0).isZero();
    }
}
