package dev.fusionledger.chaincode.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.junit.jupiter.api.Test;

/**
 * {@code make bench-ledger}: committed {@code SubmitBid} transactions per second and p50/p99
 * latency (proposal to commit status, milliseconds) against the trivial write {@code smoke:Put}
 * on the same network in the same run. Ten signers (User1..5 of both orgs), one thread each,
 * each submitting its transactions back to back (a bid per task: the market allows one bid per
 * account and task). Prints the figures and writes them to
 * {@code chaincode/target/bench-ledger.txt}; asserts only that every transaction committed VALID.
 * Not a failsafe *IT: run it by name ({@code -Dit.test=LedgerBenchmark}).
 * Sizes: {@code -Dbench.rounds} bids per signer (default 30).
 */
class LedgerBenchmark {

    record Result(String name, int count, double seconds, long[] latenciesMs, long retries) {
        double perSecond() {
            return count / seconds;
        }

        long percentile(double p) {
            long[] s = latenciesMs.clone();
            Arrays.sort(s);
            int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
            return s[Math.max(0, Math.min(s.length - 1, i))];
        }

        String line() {
            return String.format(Locale.ROOT, "%-12s %5d tx in %7.2f s = %7.1f committed tx/s   p50 %5d ms   p99 %5d ms   (%d endorsement retries)",
                    name, count, seconds, perSecond(), percentile(50), percentile(99), retries);
        }
    }


    @Test
    void submitBidVersusTrivialWrite() throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 30);
        List<Party> signers = new ArrayList<>();
        for (String org : List.of("Org1", "Org2")) {
            for (int u = 1; u <= 5; u++) {
                signers.add(Party.of(org, "User" + u));
            }
        }
        Party initiator = Party.of("Org1", "Admin");
        MarketIT.fund(initiator, signers, 1_000_000);
        MarketIT.fund(initiator, List.of(initiator), 100_000_000);
        String spec = "{\"labels\":[\"0\"],\"inputShape\":[1],\"verificationDataHash\":\"" + "e".repeat(64)
                + "\",\"mafrBps\":0,\"minContributionBps\":0,\"requiredDataPoints\":1000000,\"rewardBudget\":1000000,"
                + "\"verifierFee\":0,\"verifierQuorum\":1,\"verifierStake\":0,\"maxEpochs\":1,\"epochSeconds\":60,"
                + "\"latePenaltyBps\":0,\"biddingSeconds\":3600,\"commitSeconds\":60,\"revealSeconds\":60}";
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < rounds + 1; i++) {
            tasks.add(initiator.submit("AnnounceTask", spec).get("taskId").asText());
        }
        List<Contract> smoke = new ArrayList<>();
        for (Party p : signers) {
            String[] parts = p.name.split("/");
            smoke.add(FabricNetwork.contract(parts[0], parts[1], "smoke"));
        }
        String run = Long.toString(System.currentTimeMillis(), 36);
        // warm-up: one of each per signer (JIT, connections), not counted
        measure("warm-up", signers.size(), 1, (s, r) -> Party.endorseWithRetry(smoke.get(s), "Put",
                "bench-" + run + "-warm-" + s, "v").submitAsync());
        measure("warm-up", signers.size(), 1, (s, r) -> Party.endorseWithRetry(signers.get(s).contract, "SubmitBid",
                tasks.get(rounds), "1", "1").submitAsync());

        Result put = measure("smoke:Put", signers.size(), rounds, (s, r) -> Party.endorseWithRetry(smoke.get(s), "Put",
                "bench-" + run + "-" + s + "-" + r, "value-" + r).submitAsync());
        Result bid = measure("SubmitBid", signers.size(), rounds, (s, r) -> Party.endorseWithRetry(signers.get(s).contract,
                "SubmitBid", tasks.get(r), Integer.toString(1 + s), Integer.toString(1 + r)).submitAsync());
        Result put2 = measure("smoke:Put#2", signers.size(), rounds, (s, r) -> Party.endorseWithRetry(smoke.get(s), "Put",
                "bench-" + run + "-b-" + s + "-" + r, "value-" + r).submitAsync());

        String report = String.join("\n",
                "bench-ledger: " + signers.size() + " signers x " + rounds + " tx each, concurrency " + signers.size()
                        + ", latency = proposal to commit status (retries included)",
                put.line(), bid.line(), put2.line(),
                String.format(Locale.ROOT, "SubmitBid / smoke:Put throughput ratio: %.2f",
                        bid.perSecond() / ((put.perSecond() + put2.perSecond()) / 2)));
        System.out.println(report);
        Path out = Path.of("target", "bench-ledger.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report + "\n");
        assertThat(bid.count()).isEqualTo(signers.size() * rounds);
        for (String t : tasks.subList(0, rounds)) {
            assertThat(initiator.evaluate("GetBids", t)).hasSize(signers.size());
        }
        for (String t : tasks) {
            initiator.submit("CancelTask", t);
        }
    }

    interface PerSigner {
        SubmittedTransaction send(int signer, int round) throws Exception;
    }

    private static Result measure(String name, int signers, int rounds, PerSigner tx) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(signers);
        try {
            List<Callable<long[]>> jobs = new ArrayList<>();
            for (int s = 0; s < signers; s++) {
                int signer = s;
                jobs.add(() -> {
                    long[] lat = new long[rounds];
                    for (int r = 0; r < rounds; r++) {
                        long t0 = System.nanoTime();
                        Status st;
                        try {
                            st = tx.send(signer, r).getStatus();
                        } catch (org.hyperledger.fabric.client.GatewayException e) {
                            StringBuilder b = new StringBuilder(name + " signer " + signer + " round " + r + ": " + e.getMessage());
                            e.getDetails().forEach(d -> b.append(" | ").append(d.getMspId()).append(": ").append(d.getMessage()));
                            throw new IllegalStateException(b.toString(), e);
                        }
                        lat[r] = (System.nanoTime() - t0) / 1_000_000;
                        if (!st.isSuccessful()) {
                            throw new IllegalStateException(name + " committed as " + st.getCode());
                        }
                    }
                    return lat;
                });
            }
            long retries0 = Party.RETRIES.get();
            long start = System.nanoTime();
            List<Future<long[]>> fs = pool.invokeAll(jobs);
            long[] all = new long[signers * rounds];
            int i = 0;
            for (Future<long[]> f : fs) {
                for (long l : f.get()) {
                    all[i++] = l;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(name, all.length, seconds, all, Party.RETRIES.get() - retries0);
        } finally {
            pool.shutdownNow();
        }
    }
}
