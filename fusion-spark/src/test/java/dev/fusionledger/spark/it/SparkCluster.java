package dev.fusionledger.spark.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The standalone cluster of spark/up.sh as the integration tests see it: the scripts, the port plan
 * (spark/lib.sh) and the master's and workers' JSON status. Settings come from the same
 * environment variables as the scripts.
 */
final class SparkCluster {
    static final ObjectMapper JSON = new ObjectMapper();
    final Path repo;
    final Path workDir;
    final int base;
    final int workers;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    SparkCluster() {
        String r = System.getenv("FUSIONLEDGER_REPO");
        repo = (r == null ? Path.of("..") : Path.of(r)).toAbsolutePath().normalize();
        String dir = System.getenv("FUSIONLEDGER_SPARK_DIR");
        workDir = dir == null ? Path.of(System.getProperty("user.home"), ".cache", "fusionledger", "spark") : Path.of(dir);
        base = Integer.parseInt(System.getenv().getOrDefault("FUSIONLEDGER_SPARK_PORT_BASE", "15000"));
        workers = Integer.parseInt(System.getenv().getOrDefault("FUSIONLEDGER_SPARK_WORKERS", "2"));
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + base;
    }

    Path sparkHome() {
        return workDir.resolve("home");
    }

    /** Runs spark/NAME.sh, its output to target/spark-NAME.log. @return the exit code */
    int script(String name, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", repo.resolve("spark").resolve(name + ".sh").toString()));
        cmd.addAll(List.of(args));
        Path log = repo.resolve("fusion-spark").resolve("target").resolve("spark-" + name + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("spark/" + name + ".sh did not finish in 5 min (log " + log + ")");
        }
        return p.exitValue();
    }

    /** @return the first line (the pid) of every pid file, in name order */
    String pids() throws IOException {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(workDir.resolve("pids"))) {
            for (Path f : files.sorted().toList()) {
                sb.append(f.getFileName()).append('=').append(Files.readAllLines(f).get(0)).append(' ');
            }
        }
        return sb.toString();
    }

    JsonNode masterJson() throws IOException, InterruptedException {
        return json(base + 80);
    }

    JsonNode workerJson(int i) throws IOException, InterruptedException {
        return json(base + 80 + i);
    }

    private JsonNode json(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("http://127.0.0.1:" + port + "/json/ answered " + r.statusCode());
        }
        return JSON.readTree(r.body());
    }

    /** @return every worker's finished executors of the application: worker id to executor ids */
    Map<String, List<Integer>> executorsOf(String appId) throws IOException, InterruptedException {
        Map<String, List<Integer>> out = new java.util.TreeMap<>();
        for (int i = 1; i <= workers; i++) {
            JsonNode w = workerJson(i);
            List<Integer> ids = new ArrayList<>();
            for (String field : new String[] {"executors", "finishedexecutors"}) {
                for (JsonNode e : w.path(field)) {
                    if (appId.equals(e.path("appid").asText())) {
                        ids.add(e.path("id").asInt());
                    }
                }
            }
            out.put(w.path("id").asText(), ids);
        }
        return out;
    }

    static JsonNode read(Path file) throws IOException {
        return JSON.readTree(Files.readString(file));
    }
}
