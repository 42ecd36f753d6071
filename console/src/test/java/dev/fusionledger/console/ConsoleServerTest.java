package dev.fusionledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionledger.client.testing.Scenario;
import dev.fusionledger.ledger.TaskState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console over HTTP on the real market rules in memory (no network, no browser): what each
 * route answers, that bad input and refused requests change nothing, and that events arrive as
 * server-sent events. The browser test on the real network is {@code it.ConsoleIT}.
 */
class ConsoleServerTest {
    Scenario s;
    ConsoleServer console;
    String base;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void start() throws Exception {
        System.setProperty("java.awt.headless", "true");
        s = new Scenario().funded(100_000);
        console = ConsoleServer.start(s.initiator, new ConsoleSettings("127.0.0.1", 0, null));
        base = "http://127.0.0.1:" + console.port();
    }

    @AfterEach
    void stop() {
        console.close();
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    String csrf() throws Exception {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([0-9a-f]+)\"").matcher(get("/announce").body());
        assertThat(m.find()).as("the announce form carries the form token").isTrue();
        return m.group(1);
    }

    Map<String, String> validSpec() throws Exception {
        Map<String, String> f = new LinkedHashMap<>(SpecForm.DEFAULTS);
        f.put("verificationDataHash", "cd".repeat(32));
        f.put("_csrf", csrf());
        return f;
    }

    @Test
    void announceChecksThenConfirmsThenSubmits() throws Exception {
        Map<String, String> bad = validSpec();
        bad.put("mafrBps", "10001");
        bad.put("maxEpochs", "0");
        bad.put("confirm", "yes"); // a confirmation does not get bad input through
        HttpResponse<String> r = post("/announce", bad);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("id=\"error-mafrBps\"").contains("id=\"error-maxEpochs\"")
                .doesNotContain("id=\"announce-confirm\"");
        assertThat(s.initiator.listTasks(null)).isEmpty();

        r = post("/announce", validSpec());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("id=\"announce-confirm\"").contains(Fmt.credits(10_000 + 3 * 100));
        assertThat(s.initiator.listTasks(null)).isEmpty();

        Map<String, String> ok = validSpec();
        ok.put("confirm", "yes");
        r = post("/announce", ok);
        assertThat(r.statusCode()).isEqualTo(302);
        var tasks = s.initiator.listTasks(null);
        assertThat(tasks).hasSize(1);
        String location = r.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/tasks/" + tasks.get(0).taskId() + "?done=");
        assertThat(get(location).body()).contains("AnnounceTask committed in block");
    }

    @Test
    void aLedgerRefusalIsShownAtItsFieldAndChangesNothing() throws Exception {
        Map<String, String> f = validSpec();
        f.put("rewardBudget", "1000000000"); // more than the initiator holds
        f.put("confirm", "yes");
        HttpResponse<String> r = post("/announce", f);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).containsPattern("id=\"error-[a-zA-Z]+\">[a-zA-Z]+: INSUFFICIENT_FUNDS|id=\"form-error\">.*INSUFFICIENT_FUNDS");
        assertThat(s.initiator.listTasks(null)).isEmpty();
    }

    @Test
    void actionsNeedTheirConfirmationAndTheFormToken() throws Exception {
        String taskId = s.initiator.announceTask(Scenario.spec()).value().taskId();
        s.alice.submitBid(taskId, 500, 4);
        assertThat(post("/tasks/" + taskId + "/resolve", Map.of("confirm", "yes")).statusCode()).isEqualTo(403);
        HttpResponse<String> r = post("/tasks/" + taskId + "/resolve", Map.of("_csrf", csrf()));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("id=\"error-confirm\"");
        assertThat(s.initiator.getTask(taskId).state()).isEqualTo(TaskState.BIDDING);
        r = post("/tasks/" + taskId + "/settle", Map.of("_csrf", csrf(), "confirm", "yes"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("id=\"ledger-error\"").contains("FAILED_PRECONDITION");
        r = post("/tasks/" + taskId + "/resolve", Map.of("_csrf", csrf(), "confirm", "yes"));
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(s.initiator.getTask(taskId).state()).isEqualTo(TaskState.TRAINING);
        assertThat(post("/tasks/" + taskId + "/cancel", Map.of("_csrf", csrf(), "confirm", "yes")).statusCode())
                .isEqualTo(400);
    }

    @Test
    void aVerifierRegistersFromTheTaskPage() throws Exception {
        String taskId = s.initiator.announceTask(Scenario.spec()).value().taskId();
        try (ConsoleServer mine = ConsoleServer.start(s.v1, new ConsoleSettings("127.0.0.1", 0, null))) {
            String vbase = "http://127.0.0.1:" + mine.port();
            String page = http.send(HttpRequest.newBuilder(URI.create(vbase + "/tasks/" + taskId)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(page).contains("id=\"action-register\"").doesNotContain("id=\"action-resolve\"");
            Matcher m = Pattern.compile("name=\"_csrf\" value=\"([0-9a-f]+)\"").matcher(http.send(HttpRequest.newBuilder(
                    URI.create(vbase + "/tasks/" + taskId + "/confirm/register")).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(m.find()).isTrue();
            var r = http.send(HttpRequest.newBuilder(URI.create(vbase + "/tasks/" + taskId + "/register"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + m.group(1) + "&confirm=yes")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(302);
        }
        assertThat(s.initiator.getVerifiers(taskId)).extracting(v -> v.verifier()).containsExactly(s.v1.clientAccountId());
    }

    /** A verifier's report (as the verifier agent writes it) charted as fused accuracy after models 1..k. */
    @Test
    void aVerificationReportIsChartedOnTheTaskPage(@org.junit.jupiter.api.io.TempDir java.nio.file.Path reports)
            throws Exception {
        String taskId = s.runToSettlement();
        try (ConsoleServer withReports = ConsoleServer.start(s.initiator, new ConsoleSettings("127.0.0.1", 0, null),
                reports)) {
            String b = "http://127.0.0.1:" + withReports.port() + "/tasks/" + taskId;
            assertThat(http.send(HttpRequest.newBuilder(URI.create(b)).build(), HttpResponse.BodyHandlers.ofString())
                    .body()).doesNotContain("id=\"chart-fused\"");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(b + "/chart/fused.png")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
            java.nio.file.Files.writeString(reports.resolve(taskId + ".json"), "{\"taskId\":\"" + taskId
                    + "\",\"verifier\":\"Org1MSP::v\",\"report\":{\"fusedI\":0.95,\"fusedII\":0.96,\"models\":["
                    + "{\"account\":\"a\",\"eligible\":true,\"prefixI\":0.93,\"prefixII\":0.94},"
                    + "{\"account\":\"b\",\"eligible\":false,\"prefixI\":\"NaN\",\"prefixII\":\"NaN\"},"
                    + "{\"account\":\"c\",\"eligible\":true,\"prefixI\":0.95,\"prefixII\":0.96}]}}");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(b)).build(), HttpResponse.BodyHandlers.ofString())
                    .body()).contains("id=\"chart-fused\"");
            var png = http.send(HttpRequest.newBuilder(URI.create(b + "/chart/fused.png")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(png.statusCode()).isEqualTo(200);
            assertThat(png.body()).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        }
    }

    @Test
    void readPagesDownloadsAndChartsOfASettledTask() throws Exception {
        String taskId = s.runToSettlement();
        String page = get("/tasks/" + taskId).body();
        assertThat(page).contains("id=\"task-state\">SETTLED").contains("REJECTED").contains("class=\"late\"")
                .contains(Fmt.credits(500L * 4));
        String audit = get("/tasks/" + taskId + "/audit").body();
        assertThat(audit).contains("Consistent").doesNotContain("class=\"mismatch\"");
        var csv = get("/tasks/" + taskId + "/history.csv");
        assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).contains("history-" + taskId + ".csv");
        assertThat(csv.body().lines().count()).isGreaterThan(10);
        assertThat(get("/tasks/" + taskId + "/audit.json").body()).contains("\"consistent\" : true");
        var png = http.send(HttpRequest.newBuilder(URI.create(base + "/tasks/" + taskId + "/chart/fitness.png")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(png.headers().firstValue("Content-Type").orElse("")).isEqualTo("image/png");
        assertThat(png.body()).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(get("/tasks/" + taskId + "/chart/pie.png").statusCode()).isEqualTo(400);
        assertThat(get("/tasks/" + "0".repeat(64)).statusCode()).isEqualTo(404);
        assertThat(get("/tasks?state=SETTLED").body()).contains(Fmt.shortId(taskId))
                .contains("<td class=\"roles\">initiator</td>");
        assertThat(get("/tasks?state=NOPE").statusCode()).isEqualTo(400);
        var account = get("/account?id=" + URLEncoder.encode(s.alice.clientAccountId(), StandardCharsets.UTF_8));
        assertThat(account.body()).contains(Fmt.credits(s.alice.balanceOf(s.alice.clientAccountId()).balance()) + " credits");
        // alice's history ends with the settlement paying her bid back with her payment (docs/ledger-api.md)
        String alice = s.alice.clientAccountId();
        var st = s.initiator.getSettlement(taskId).contributors().stream()
                .filter(o -> o.contributor().equals(alice)).findFirst().orElseThrow();
        assertThat(account.body()).contains("+" + Fmt.credits(st.payment() + st.stakeReturned() + st.slashShare()));
        assertThat(get("/account?id=nobody").statusCode()).isEqualTo(400);
    }

    @Test
    void aForeignHostIsRefused() throws Exception {
        try (Socket sock = new Socket("127.0.0.1", console.port())) {
            OutputStream o = sock.getOutputStream();
            o.write(("GET /tasks HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            o.flush();
            String status = new BufferedReader(new InputStreamReader(sock.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertThat(status).contains(" 403");
        }
    }

    @Test
    void marketEventsArriveAsServerSentEvents() throws Exception {
        HttpResponse<Stream<String>> sse = http.send(HttpRequest.newBuilder(URI.create(base + "/events"))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(sse.statusCode()).isEqualTo(200);
        assertThat(sse.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> sse.body()
                .filter(l -> l.startsWith("data:") && l.contains("SubmitBid")).findFirst().orElse(null));
        String taskId = s.initiator.announceTask(Scenario.spec()).value().taskId();
        s.alice.submitBid(taskId, 500, 4);
        String line = seen.get(20, TimeUnit.SECONDS);
        assertThat(line).contains("\"taskId\":\"" + taskId + "\"").contains("\"name\":\"SubmitBid\"");
        sse.body().close();
    }
}
