package io.bricksllm.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.Poll;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The admin API additions the console reads (issue 21) and how its files are served, without a browser: the overview
 * and key-usage reports, the provider connection test, the policy dry run, the models filter of events, the user list
 * without a filter, the key secret left out of console answers, and the headers of every console file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleApiTest {
    static final String SECRET = "sk-upstream-secret-123";
    MockUpstream upstream;
    TestGateway gw;
    AdminClient admin;
    String setting;

    @BeforeAll
    void start() {
        upstream = new MockUpstream();
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o", "hi", 1000, 500)));
        upstream.on("GET", "/v1/models", r -> ("Bearer " + SECRET).equals(r.header("Authorization"))
                ? MockUpstream.Reply.json(200, "{\"data\":[]}")
                : MockUpstream.Reply.json(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + r.header("Authorization") + "\"}}"));
        gw = TestGateway.start(Map.of("EVENT_FLUSH_INTERVAL", "50ms"));
        admin = gw.admin;
        setting = admin.createSetting("openai", Map.of("apikey", SECRET, "url", upstream.url("/v1")));
    }

    @AfterAll
    void stop() {
        if (gw != null) gw.close();
        if (upstream != null) upstream.close();
    }

    @Test
    void overviewAndKeyUsageCountProxiedRequests() {
        JsonNode key = admin.createKey("{\"name\":\"usage\",\"key\":\"bk-usage-1\",\"settingIds\":[\"" + setting + "\"],"
                + "\"costLimitInUsd\":5,\"costLimitInUsdOverTime\":2,\"costLimitInUsdUnit\":\"d\",\"rateLimitOverTime\":100,\"rateLimitUnit\":\"m\"}");
        String keyId = key.get("keyId").asText();
        ProxyClient proxy = new ProxyClient(gw.proxyUrl());
        Poll.until(Duration.ofSeconds(10), "key live", () -> proxy.postJson("/api/providers/openai/v1/chat/completions", "bk-usage-1",
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").status() == 200);
        for (int i = 0; i < 2; i++) {
            assertThat(proxy.postJson("/api/providers/openai/v1/chat/completions", "bk-usage-1",
                    "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").status()).isEqualTo(200);
        }
        Poll.until(Duration.ofSeconds(10), "3 requests in the overview",
                () -> overviewRow(admin.get("/api/reporting/overview?days=7").json(), "byKey", keyId) != null
                        && overviewRow(admin.get("/api/reporting/overview?days=7").json(), "byKey", keyId).get("requests").asLong() == 3);
        JsonNode o = admin.get("/api/reporting/overview?days=7").json();
        assertThat(o.get("days").asInt()).isEqualTo(7);
        assertThat(o.get("byDay")).hasSize(7);
        assertThat(o.get("today").get("requests").asLong()).isGreaterThanOrEqualTo(3);
        JsonNode row = overviewRow(o, "byKey", keyId);
        assertThat(row.get("label").asText()).isEqualTo("usage");
        assertThat(row.get("costInUsd").asDouble()).isPositive();
        assertThat(overviewRow(o, "byModel", "gpt-4o")).isNotNull();
        assertThat(overviewRow(o, "byProvider", "openai")).isNotNull();
        assertThat(admin.get("/api/reporting/overview?days=0").status()).isEqualTo(400);
        assertThat(admin.get("/api/reporting/overview?days=abc").status()).isEqualTo(400);

        JsonNode usage = admin.post("/api/reporting/key-usage", "{\"keyIds\":[\"" + keyId + "\",\"nope\"]}").json();
        assertThat(usage).hasSize(1);
        JsonNode u = usage.get(0);
        assertThat(u.get("totalCostInUsd").asDouble()).isEqualTo(row.get("costInUsd").asDouble());
        assertThat(u.get("costWindow").get("unit").asText()).isEqualTo("d");
        assertThat(u.get("costWindow").get("costInUsd").asDouble()).isEqualTo(row.get("costInUsd").asDouble());
        assertThat(u.get("rateWindow").get("unit").asText()).isEqualTo("m");
        assertThat(u.get("rateWindow").get("requests").asLong()).isBetween(0L, 3L); // the minute may have turned
    }

    /** Team and end-user usage come from the live counters admission keeps: each request counts at once, spend on settling. */
    @Test
    void teamAndUserUsageShowTheLiveCountersAgainstTheirLimits() {
        String team = admin.post("/api/teams", "{\"name\":\"usage-team\",\"rateLimitOverTime\":100,\"rateLimitUnit\":\"h\","
                + "\"costLimitInUsd\":50,\"costLimitInUsdOverTime\":10,\"costLimitInUsdUnit\":\"d\"}").json().get("id").asText();
        String plainTeam = admin.post("/api/teams", "{\"name\":\"no-limits\"}").json().get("id").asText();
        admin.createKey("{\"name\":\"team-usage\",\"key\":\"bk-team-usage-1\",\"tags\":[\"usage-tag\"],\"teamId\":\"" + team
                + "\",\"settingIds\":[\"" + setting + "\"]}");
        JsonNode user = admin.post("/api/users", "{\"userId\":\"usage-user\",\"name\":\"Usage user\",\"tags\":[\"usage-tag\"],\"rateLimitOverTime\":50,"
                + "\"rateLimitUnit\":\"h\",\"costLimitInUsd\":20,\"maxConcurrentRequests\":3}").json();
        ProxyClient proxy = new ProxyClient(gw.proxyUrl());
        String body = "{\"model\":\"gpt-4o\",\"user\":\"usage-user\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        int[] sent = {0};
        // the key and the user become live together or apart: send until the user's counter has one
        Poll.until(Duration.ofSeconds(10), "user live", () -> {
            if (proxy.postJson("/api/providers/openai/v1/chat/completions", "bk-team-usage-1", body).status() == 200) sent[0]++;
            return userUsage("usage-user").path("requests").path("used").asLong() >= 1;
        });
        long userBefore = userUsage("usage-user").path("requests").path("used").asLong();
        for (int i = 0; i < 2; i++) {
            assertThat(proxy.postJson("/api/providers/openai/v1/chat/completions", "bk-team-usage-1", body).status()).isEqualTo(200);
        }
        sent[0] += 2;
        JsonNode teams = admin.post("/api/reporting/team-usage", "{\"teamIds\":[\"" + team + "\",\"" + plainTeam + "\",\"nope\"]}").json();
        assertThat(teams).hasSize(2);
        JsonNode t = teams.get(0).get("usage");
        assertThat(teams.get(0).get("teamId").asText()).isEqualTo(team);
        assertThat(t.get("requests").get("limit").asLong()).isEqualTo(100);
        assertThat(t.get("requests").get("unit").asText()).isEqualTo("h");
        assertThat(t.get("requests").get("used").asLong()).isEqualTo(sent[0]); // every request of the team's key
        assertThat(t.get("costInUsd").get("limitInUsd").asDouble()).isEqualTo(50);
        assertThat(t.get("costInUsdOverTime").get("limitInUsd").asDouble()).isEqualTo(10);
        assertThat(t.get("costInUsdOverTime").get("unit").asText()).isEqualTo("d");
        assertThat(teams.get(1).get("teamId").asText()).isEqualTo(plainTeam);
        assertThat(teams.get(1).get("usage").size()).isZero(); // no limits: nothing counted, nothing shown
        Poll.until(Duration.ofSeconds(10), "team spend settled",
                () -> admin.post("/api/reporting/team-usage", "{\"teamIds\":[\"" + team + "\"]}").json()
                        .get(0).get("usage").get("costInUsd").get("spentInUsd").asDouble() > 0);

        JsonNode u = userUsage("usage-user");
        assertThat(u.get("requests").get("used").asLong()).isEqualTo(userBefore + 2);
        assertThat(u.get("requests").get("limit").asLong()).isEqualTo(50);
        assertThat(u.get("concurrentRequests").get("limit").asInt()).isEqualTo(3);
        assertThat(u.get("concurrentRequests").get("inFlight").asInt()).isZero();
        Poll.until(Duration.ofSeconds(10), "user spend settled",
                () -> userUsage("usage-user").get("costInUsd").get("spentInUsd").asDouble() > 0);
        // by internal id too, and the same user asked twice is one row
        JsonNode byId = admin.post("/api/reporting/user-usage", "{\"userIds\":[\"" + user.get("id").asText() + "\",\"usage-user\"]}").json();
        assertThat(byId).hasSize(1);
        assertThat(byId.get(0).get("userId").asText()).isEqualTo("usage-user");

        String tooMany = java.util.stream.IntStream.range(0, 201).mapToObj(i -> "\"x" + i + "\"")
                .collect(java.util.stream.Collectors.joining(",", "[", "]"));
        assertThat(admin.post("/api/reporting/team-usage", "{\"teamIds\":" + tooMany + "}").status()).isEqualTo(400);
        assertThat(admin.post("/api/reporting/user-usage", "{\"userIds\":" + tooMany + "}").status()).isEqualTo(400);
    }

    private JsonNode userUsage(String userId) {
        JsonNode rows = admin.post("/api/reporting/user-usage", "{\"userIds\":[\"" + userId + "\"]}").json();
        return rows.isEmpty() ? Json_EMPTY : rows.get(0).get("usage");
    }

    private static final JsonNode Json_EMPTY = com.fasterxml.jackson.databind.node.MissingNode.getInstance();

    private static JsonNode overviewRow(JsonNode overview, String breakdown, String id) {
        for (JsonNode r : overview.get(breakdown)) if (r.get("id").asText().equals(id)) return r;
        return null;
    }

    @Test
    void eventsFilterByModel() {
        admin.createKey("{\"name\":\"models\",\"key\":\"bk-models-1\",\"settingIds\":[\"" + setting + "\"]}");
        ProxyClient proxy = new ProxyClient(gw.proxyUrl());
        Poll.until(Duration.ofSeconds(10), "key live", () -> proxy.postJson("/api/providers/openai/v1/chat/completions", "bk-models-1",
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").status() == 200);
        long now = Instant.now().getEpochSecond();
        String body = "{\"start\":1,\"end\":" + (now + 60) + ",\"models\":[\"gpt-4o-mini\"]}";
        Poll.until(Duration.ofSeconds(10), "the event", () -> admin.post("/api/v2/events", body).json().get("events").size() > 0);
        for (JsonNode e : admin.post("/api/v2/events", body).json().get("events")) {
            assertThat(e.get("model").asText()).isEqualTo("gpt-4o-mini");
        }
        assertThat(admin.post("/api/v2/events", "{\"start\":1,\"end\":" + (now + 60) + ",\"models\":[\"no-such-model\"]}")
                .json().get("events")).isEmpty();
    }

    @Test
    void connectionTestReportsWithoutLeakingTheSecret() {
        AdminClient.Reply ok = admin.post("/api/provider-settings/" + setting + "/test", "{}");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("ok").asBoolean()).isTrue();
        assertThat(ok.json().get("status").asInt()).isEqualTo(200);
        assertThat(upstream.last().path()).isEqualTo("/v1/models");

        String wrong = admin.createSetting("openai", Map.of("apikey", "sk-wrong-secret-456", "url", upstream.url("/v1")));
        AdminClient.Reply refused = admin.post("/api/provider-settings/" + wrong + "/test", "{}");
        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.json().get("ok").asBoolean()).isFalse();
        assertThat(refused.json().get("status").asInt()).isEqualTo(401);
        assertThat(refused.body()).doesNotContain("sk-wrong-secret-456").doesNotContain("Incorrect API key");

        String unreachable = admin.createSetting("openai", Map.of("apikey", "sk-x", "url", "http://127.0.0.1:1/v1"));
        JsonNode down = admin.post("/api/provider-settings/" + unreachable + "/test", "{}").json();
        assertThat(down.get("ok").asBoolean()).isFalse();
        assertThat(down.get("message").asText()).startsWith("could not reach the provider");

        assertThat(admin.post("/api/provider-settings/nope/test", "{}").status()).isEqualTo(404);
        // the settings list masks the credential
        assertThat(admin.get("/api/provider-settings").body()).doesNotContain(SECRET);
    }

    @Test
    void policyDryRunShowsWhatWouldBeRedacted() {
        JsonNode p = admin.post("/api/policies", "{\"name\":\"pii\",\"config\":{\"rules\":{\"email\":\"allow_but_redact\"}},"
                + "\"regexConfig\":{\"rules\":[{\"definition\":\"secret-[0-9]+\",\"action\":\"block\"}]}}").json();
        String id = p.get("id").asText();
        JsonNode redacted = admin.post("/api/policies/" + id + "/test", "{\"text\":\"mail jane@example.com please\"}").json();
        assertThat(redacted.get("action").asText()).isEqualTo("redacted");
        assertThat(redacted.get("changed").asBoolean()).isTrue();
        assertThat(redacted.get("text").asText()).doesNotContain("jane@example.com").startsWith("mail ").endsWith(" please");
        JsonNode blocked = admin.post("/api/policies/" + id + "/test", "{\"text\":\"the code is secret-42\"}").json();
        assertThat(blocked.get("action").asText()).isEqualTo("blocked");
        JsonNode clean = admin.post("/api/policies/" + id + "/test", "{\"text\":\"hello\"}").json();
        assertThat(clean.get("action").asText()).isEqualTo("allowed");
        assertThat(clean.get("text").asText()).isEqualTo("hello");
        assertThat(admin.post("/api/policies/" + id + "/test", "{}").status()).isEqualTo(400);
        assertThat(admin.post("/api/policies/nope/test", "{\"text\":\"x\"}").status()).isEqualTo(404);
    }

    @Test
    void consoleAnswersNeverCarryAKeysSecretAndUsersListWithoutAFilter() {
        admin.createKey("{\"name\":\"raw\",\"key\":\"bk-raw-visible\",\"isKeyNotHashed\":true,\"settingIds\":[\"" + setting + "\"]}");
        String plain = admin.post("/api/v2/key-management/keys", "{}").body();
        assertThat(plain).contains("bk-raw-visible"); // the API as it always was
        String console = admin.withHeader("X-Bricks-Console", "1").post("/api/v2/key-management/keys", "{}").body();
        assertThat(console).contains("\"name\":\"raw\"").doesNotContain("bk-raw-visible").doesNotContain("\"key\":");

        admin.post("/api/users", "{\"userId\":\"console-user\",\"name\":\"u\"}");
        assertThat(admin.get("/api/users").status()).isEqualTo(400);
        assertThat(admin.get("/api/users?all=true").json().toString()).contains("console-user");
    }

    @Test
    void everyConsoleFileCarriesTheSecurityHeaders() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> root = http.send(HttpRequest.newBuilder(URI.create(gw.adminUrl() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValue("/ui/");

        Path dir = Path.of(ConsoleApiTest.class.getResource("/console/index.html").toURI()).getParent();
        List<String> paths;
        try (Stream<Path> files = Files.walk(dir)) {
            paths = files.filter(Files::isRegularFile).map(f -> "/ui/" + dir.relativize(f).toString().replace('\\', '/')).toList();
        }
        assertThat(paths).contains("/ui/index.html", "/ui/js/app.js", "/ui/app.css", "/ui/js/pages/keys.js");
        List<String> all = new java.util.ArrayList<>(paths);
        all.add("/ui/");
        all.add("/ui/vendor/uplot/1.6.30/uPlot.iife.min.js");
        all.add("/ui/vendor/uplot/1.6.30/uPlot.min.css");
        for (String p : all) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gw.adminUrl() + p)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(p).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(p).hasValue(ConsoleAssets.CSP);
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(p).hasValue("nosniff");
            assertThat(r.headers().firstValue("Cache-Control")).as(p).isPresent();
            String type = r.headers().firstValue("Content-Type").orElse("");
            if (p.endsWith(".js")) assertThat(type).as(p).contains("javascript");
            if (p.endsWith(".css")) assertThat(type).as(p).startsWith("text/css");
            if (p.endsWith("/") || p.endsWith(".html")) {
                assertThat(type).as(p).startsWith("text/html");
                assertThat(r.body()).doesNotContain("<script>").doesNotContain(" style=").doesNotContain("<style");
            }
        }
        assertThat(ConsoleAssets.CSP).contains("default-src 'self'").contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        // no page source writes markup from strings
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(x -> x.toString().endsWith(".js")).toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain("innerHTML").doesNotContain("insertAdjacentHTML")
                        .doesNotContain("document.write").doesNotContain("outerHTML");
            }
        }
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(gw.adminUrl() + "/ui/nope.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
    }
}
