package dev.fusionledger.chaincode.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time (user + system) spent by each part of the network and by this client JVM, read from
 * the processes named by the network's pid files ({@code <workdir>/pids/*.pid}, docs/network.md)
 * through {@link ProcessHandle.Info#totalCpuDuration()}. The benchmark divides the difference of
 * two snapshots by the committed transactions: CPU milliseconds per transaction do not depend much
 * on what else the machine runs, unlike transactions per second, and {@code cores × 1000 / total}
 * is the rate the machine could sustain if the network had it to itself.
 */
final class CpuMeter {

    /** The parts, in print order: peers, orderers, the chaincode JVM, this benchmark's client JVM. */
    static final String[] PARTS = {"peers", "orderers", "chaincode", "client"};

    private CpuMeter() {
    }

    /** CPU time used so far, per part ({@link #PARTS}); a process that ended is left out. */
    static Map<String, Duration> snapshot() {
        Map<String, Duration> used = new LinkedHashMap<>();
        for (String p : PARTS) {
            used.put(p, Duration.ZERO);
        }
        try (Stream<Path> files = Files.list(FabricNetwork.WORK_DIR.resolve("pids"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                String part = name.startsWith("peer") ? "peers" : name.startsWith("orderer") ? "orderers"
                        : name.startsWith("chaincode-") && !name.contains("supervisor") ? "chaincode" : null;
                if (part != null) {
                    used.merge(part, cpuOf(pidIn(f)), Duration::plus);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the network's pid files: " + e.getMessage(), e);
        }
        used.put("client", ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO));
        return used;
    }

    /**
     * One line: CPU milliseconds per committed transaction for each part and in total, and the
     * rate {@code cores × 1000 / total} tx/s.
     */
    static String perTransaction(Map<String, Duration> before, Map<String, Duration> after, int committed) {
        StringBuilder b = new StringBuilder("CPU per tx:");
        double total = 0;
        for (String p : PARTS) {
            double ms = (after.get(p).toNanos() - before.get(p).toNanos()) / 1e6 / committed;
            total += ms;
            b.append(String.format(Locale.ROOT, " %s %.2f ms,", p, ms));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        b.append(String.format(Locale.ROOT, " total %.2f ms -> at most %.0f tx/s on %d cores", total,
                cores * 1000 / total, cores));
        return b.toString();
    }

    private static long pidIn(Path pidFile) throws IOException {
        String first = Files.readString(pidFile).trim().split("\\s+")[0];
        return Long.parseLong(first);
    }

    private static Duration cpuOf(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).orElse(Duration.ZERO);
    }
}
