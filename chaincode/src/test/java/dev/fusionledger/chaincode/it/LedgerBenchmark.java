package dev.fusionledger.chaincode.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
 * on the same network in the same run, at each concurrency of {@code -Dbench.concurrency}
 * (default 10,50,200). At concurrency c, c distinct signers (User1.. of both orgs alternately), one
 * thread each, submit back to back; each round's c bids go to one task (the market allows one bid
 * per account and task, and bids of different accounts on a task do not conflict), so at 200 there
 * are 200 bidders on each task, and every one must commit. About {@code -Dbench.tx} (default 600)
 * transactions per measurement. Prints cores, load average and the orderer batch settings with the
 * figures, and the CPU milliseconds per committed transaction of peers, orderers, chaincode JVM and
 * this client ({@link CpuMeter}), and writes them to {@code chaincode/target/bench-ledger.txt}; asserts that every
 * transaction committed VALID and every bid is on the ledger exactly once. Not a failsafe *IT: run
 * it by name ({@code -Dit.test=LedgerBenchmark}); 200 signers need {@code FUSIONLEDGER_USERS=100}.
 */
class LedgerBenchmark {

    record Result(String name, int count, double seconds, long[] latenciesMs, long retries, String cpu) {
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
                    name, count, seconds, perSecond(), percentile(50), percentile(99), retries)
                    + "\n               " + cpu;
        }
    }


    @Test
    void submitBidVersusTrivialWrite() throws Exception {
        int[] levels = java.util.Arrays.stream(System.getProperty("bench.concurrency", "10,50,200").split(","))
                .map(String::trim).mapToInt(Integer::parseInt).toArray();
        int perLevel = Integer.getInteger("bench.tx", 600);
        int max = java.util.Arrays.stream(levels).max().orElse(10);
        int usersPerOrg = FabricNetwork.ensureUp().get("organizations").get(0).get("users").size() - 1;
        org.junit.jupiter.api.Assumptions.assumeTrue(2 * usersPerOrg >= max, "skipped: concurrency " + max + " needs "
                + max + " distinct signers, the network has " + 2 * usersPerOrg + " (start it with FUSIONLEDGER_USERS="
                + (max + 1) / 2 + "; `make bench-ledger` does)");
        List<Party> signers = new ArrayList<>();
        for (int u = 1; u <= (max + 1) / 2; u++) {
            for (String org : List.of("Org1", "Org2")) {
                signers.add(Party.of(org, "User" + u));
            }
        }
        Party initiator = Party.of("Org1", "Admin");
        fundAll(initiator, signers, 100_000);
        String spec = "{\"labels\":[\"0\"],\"inputShape\":[1],\"verificationDataHash\":\"" + "e".repeat(64)
                + "\",\"mafrBps\":0,\"minContributionBps\":0,\"requiredDataPoints\":1000000,\"rewardBudget\":1000000,"
                + "\"verifierFee\":0,\"verifierQuorum\":1,\"verifierStake\":0,\"maxEpochs\":1,\"epochSeconds\":60,"
                + "\"latePenaltyBps\":0,\"biddingSeconds\":3600,\"commitSeconds\":60,\"revealSeconds\":60}";
        List<Contract> smoke = new ArrayList<>();
        for (Party p : signers) {
            String[] parts = p.name.split("/");
            smoke.add(FabricNetwork.contract(parts[0], parts[1], "smoke"));
        }
        String run = Long.toString(System.currentTimeMillis(), 36);
        String warmTask = initiator.submit("AnnounceTask", spec).get("taskId").asText();
        // warm-up: one of each per signer (JIT, connections), not counted
        measure("warm-up", max, 1, (s, r) -> Party.endorseWithRetry(smoke.get(s), "Put",
                "bench-" + run + "-warm-" + s, "v").submitAsync());
        measure("warm-up", max, 1, (s, r) -> Party.endorseWithRetry(signers.get(s).contract, "SubmitBid",
                warmTask, "1", "1").submitAsync());

        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "bench-ledger: %d cores, load average before %s; orderer batch: %s;"
                + " latency = proposal to commit status (retries included)", Runtime.getRuntime().availableProcessors(),
                loadAverage(), batchSettings()));
        List<String> tasks = new ArrayList<>(List.of(warmTask));
        for (int c : levels) {
            int rounds = Math.max(1, perLevel / c);
            List<String> levelTasks = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                levelTasks.add(initiator.submit("AnnounceTask", spec).get("taskId").asText());
            }
            tasks.addAll(levelTasks);
            String tag = run + "-c" + c;
            Result put = measure("smoke:Put", c, rounds, (s, r) -> Party.endorseWithRetry(smoke.get(s), "Put",
                    "bench-" + tag + "-" + s + "-" + r, "value-" + r).submitAsync());
            Result bid = measure("SubmitBid", c, rounds, (s, r) -> Party.endorseWithRetry(signers.get(s).contract,
                    "SubmitBid", levelTasks.get(r), Integer.toString(1 + s), Integer.toString(1 + r)).submitAsync());
            Result put2 = measure("smoke:Put#2", c, rounds, (s, r) -> Party.endorseWithRetry(smoke.get(s), "Put",
                    "bench-" + tag + "-b-" + s + "-" + r, "value-" + r).submitAsync());
            lines.add(String.format(Locale.ROOT, "concurrency %d (%d distinct signers, %d bidders per task, %d tasks):",
                    c, c, c, rounds));
            lines.add("  " + put.line());
            lines.add("  " + bid.line());
            lines.add("  " + put2.line());
            lines.add(String.format(Locale.ROOT, "  SubmitBid / smoke:Put throughput ratio: %.2f; load average now %s",
                    bid.perSecond() / ((put.perSecond() + put2.perSecond()) / 2), loadAverage()));
            assertThat(bid.count()).isEqualTo(c * rounds);
            for (String t : levelTasks) {
                JsonNode bids = initiator.evaluate("GetBids", t);
                java.util.Set<String> bidders = new java.util.HashSet<>();
                bids.forEach(b -> bidders.add(b.get("bidder").asText()));
                assertThat(bids).as("every bid of task " + t + " committed, once").hasSize(c);
                assertThat(bidders).hasSize(c);
            }
            System.out.println(String.join("\n", lines.subList(lines.size() - 5, lines.size())));
        }
        String report = String.join("\n", lines);
        System.out.println(report);
        Path out = Path.of("target", "bench-ledger.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report + "\n");
        for (String t : tasks) {
            initiator.submit("CancelTask", t);
        }
    }

    /**
     * Gives every signer at least {@code credits}: the treasurer funds up to 10 hubs with their group's
     * share, then each hub funds its group, hubs in parallel (transfers from one account must be
     * sequential; from different accounts they do not conflict).
     */
    private static void fundAll(Party treasurer, List<Party> signers, long credits) throws Exception {
        int hubs = Math.min(10, signers.size());
        List<List<Party>> groups = new ArrayList<>();
        for (int h = 0; h < hubs; h++) {
            groups.add(new ArrayList<>());
        }
        for (int i = hubs; i < signers.size(); i++) {
            groups.get(i % hubs).add(signers.get(i));
        }
        List<Party> hubList = signers.subList(0, hubs);
        if (treasurer.rejection("Initialize", "Org1MSP") == null) {
            treasurer.submit("Initialize", "Org1MSP");
        }
        // the treasurer also announces the tasks: 1 000 000 credits of reward budget each
        treasurer.submit("Mint", Long.toString(credits * (signers.size() + 1) + 300_000_000L));
        for (int h = 0; h < hubs; h++) {
            long want = credits * (1 + groups.get(h).size());
            long have = hubList.get(h).balance();
            if (have < want) {
                treasurer.submit("Transfer", hubList.get(h).accountId(), Long.toString(want - have));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(hubs);
        try {
            List<Callable<Void>> jobs = new ArrayList<>();
            for (int h = 0; h < hubs; h++) {
                Party hub = hubList.get(h);
                List<Party> group = groups.get(h);
                jobs.add(() -> {
                    for (Party p : group) {
                        long have = p.balance();
                        if (have < credits) {
                            hub.submit("Transfer", p.accountId(), Long.toString(credits - have));
                        }
                    }
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(jobs)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** BatchTimeout and MaxMessageCount of the channel, from the network's generated configtx.yaml. */
    private static String batchSettings() {
        try {
            String y = Files.readString(FabricNetwork.WORK_DIR.resolve("config/configtx.yaml"));
            java.util.regex.Matcher t = java.util.regex.Pattern.compile("BatchTimeout: *(\\S+)").matcher(y);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("MaxMessageCount: *(\\d+)").matcher(y);
            return "BatchTimeout " + (t.find() ? t.group(1) : "?") + ", MaxMessageCount " + (m.find() ? m.group(1) : "?");
        } catch (java.io.IOException e) {
            return "unknown";
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
            java.util.Map<String, java.time.Duration> cpu0 = CpuMeter.snapshot();
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
            String cpu = CpuMeter.perTransaction(cpu0, CpuMeter.snapshot(), all.length);
            return new Result(name, all.length, seconds, all, Party.RETRIES.get() - retries0, cpu);
        } finally {
            pool.shutdownNow();
        }
    }
}
