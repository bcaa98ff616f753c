package io.bricksllm.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.Events;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Routes end to end with fault injection: attempts, back-off, failover, no retry on 400, cache, streaming. */
class RouteProxyTest {
    static final String OPENAI_PATH = "/v1/chat/completions";
    static final String AZURE_PATH = "/openai/deployments/dep1/chat/completions";
    static final String BODY = "{\"model\":\"whatever\",\"temperature\":0.2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static MockUpstream upstream;
    static TestGateway gw;
    static ProxyClient proxy;
    static String keyId;
    static String otherKeyId;
    static final AtomicInteger routes = new AtomicInteger();

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        proxy = new ProxyClient(gw.proxyUrl());
        String openai = gw.admin.createSetting("openai", Map.of("apikey", "sk-openai", "url", upstream.url("/v1")));
        String azure = gw.admin.createSetting("azure", Map.of("apikey", "sk-azure", "url", upstream.url("")));
        keyId = gw.admin.createKey("{\"name\":\"r\",\"key\":\"route-key\",\"settingIds\":[\"" + openai + "\",\"" + azure + "\"]}").get("keyId").asText();
        otherKeyId = gw.admin.createKey("{\"name\":\"o\",\"key\":\"other-key\",\"settingIds\":[\"" + openai + "\",\"" + azure + "\"]}").get("keyId").asText();
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    static String step(String provider, String model, int retries, String interval, String timeout) {
        String params = provider.equals("azure") ? ",\"params\":{\"deploymentId\":\"dep1\",\"apiVersion\":\"2024-10-21\"}" : "";
        return "{\"provider\":\"" + provider + "\",\"model\":\"" + model + "\",\"retries\":" + retries + ",\"retryInterval\":\"" + interval
                + "\",\"timeout\":\"" + timeout + "\"" + params + "}";
    }

    /** Creates a route and returns its proxy path. */
    static String route(String steps, String extra) {
        String path = "/r" + routes.incrementAndGet();
        AdminClient.Reply r = gw.admin.post("/api/routes", "{\"name\":\"n\",\"path\":\"" + path + "\",\"keyIds\":[\"" + keyId + "\"],"
                + "\"steps\":[" + steps + "],\"cacheConfig\":{\"enabled\":false}" + extra + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return "/api/routes" + path;
    }

    static String upstreamRouteId(String proxyPath) {
        return gw.admin.get("/api/routes").json().findParents("path").stream()
                .filter(r -> ("/api/routes" + r.get("path").asText()).equals(proxyPath)).findFirst().orElseThrow().get("id").asText();
    }

    static long calls(String path) {
        return upstream.received().stream().filter(r -> r.path().equals(path)).count();
    }

    static MockUpstream.Reply ok(String model) {
        return MockUpstream.Reply.json(200, Fixtures.chatCompletion(model, "answer from " + model, 10, 5));
    }

    @Test
    void failingStepIsRetriedThenFailsOverToTheNextStep() {
        upstream.on("POST", OPENAI_PATH, MockUpstream.Reply.json(500, "{\"error\":{\"message\":\"boom\"}}"));
        upstream.on("POST", AZURE_PATH, ok("gpt-4o"));
        String path = route(step("openai", "gpt-4o-mini", 2, "10ms", "5s") + "," + step("azure", "gpt-4o", 0, "", "5s"), "");
        ProxyClient.Reply r = proxy.postJson(path, "route-key", BODY);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).contains("answer from gpt-4o");
        assertThat(calls(OPENAI_PATH)).isEqualTo(3);
        assertThat(calls(AZURE_PATH)).isEqualTo(1);
        assertThat(upstream.received().get(0).bodyText()).contains("\"model\":\"gpt-4o-mini\"");
        assertThat(upstream.last().header("api-key")).isEqualTo("sk-azure");
        assertThat(upstream.last().query()).isEqualTo("api-version=2024-10-21");
        // every attempt is recorded: three failed openai attempts and the azure answer
        String routeId = upstreamRouteId(path);
        List<JsonNode> failed = Events.awaitMatching(gw.admin, keyId,
                e -> e.get("routeId").asText().equals(routeId) && e.get("status").asInt() == 500, 3);
        assertThat(failed.stream().map(e -> e.get("routeAttempt").asInt()).sorted().toList()).containsExactly(1, 2, 3);
        assertThat(failed).allSatisfy(e -> assertThat(e.get("routeStep").asInt()).isEqualTo(1));
        JsonNode answer = Events.awaitMatching(gw.admin, keyId,
                e -> e.get("routeId").asText().equals(routeId) && e.get("status").asInt() == 200, 1).get(0);
        assertThat(answer.get("provider").asText()).isEqualTo("azure");
        assertThat(answer.get("routeStep").asInt()).isEqualTo(2);
        assertThat(answer.get("cost_in_usd").asDouble()).isPositive();
    }

    @Test
    void aBadRequestIsReturnedAtOnceWithoutRetry() {
        upstream.on("POST", OPENAI_PATH, MockUpstream.Reply.json(400, "{\"error\":{\"message\":\"bad field\"}}"));
        upstream.on("POST", AZURE_PATH, ok("gpt-4o"));
        String path = route(step("openai", "gpt-4o-mini", 3, "10ms", "5s") + "," + step("azure", "gpt-4o", 0, "", "5s"), "");
        ProxyClient.Reply r = proxy.postJson(path, "route-key", BODY);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).contains("bad field");
        assertThat(upstream.calls()).isEqualTo(1);
    }

    @Test
    void eachAttemptIsBoundedByTheStepTimeout() {
        upstream.on("POST", OPENAI_PATH, ok("gpt-4o-mini").withDelay(Duration.ofSeconds(3)));
        upstream.on("POST", AZURE_PATH, ok("gpt-4o"));
        String path = route(step("openai", "gpt-4o-mini", 0, "", "200ms") + "," + step("azure", "gpt-4o", 0, "", "5s"), "");
        long t0 = System.nanoTime();
        ProxyClient.Reply r = proxy.postJson(path, "route-key", BODY);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).contains("answer from gpt-4o");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2500);
    }

    @Test
    void closedConnectionsFailOverAndNoAnswerAtAllIs502NamingTheSteps() {
        upstream.on("POST", OPENAI_PATH, MockUpstream.Reply.closeConnection());
        upstream.on("POST", AZURE_PATH, MockUpstream.Reply.closeConnection());
        String path = route(step("openai", "gpt-4o-mini", 1, "10ms", "5s") + "," + step("azure", "gpt-4o", 0, "", "5s"), "");
        ProxyClient.Reply r = proxy.postJson(path, "route-key", BODY);
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.text()).contains("openai/gpt-4o-mini attempt 2").contains("azure/gpt-4o attempt 1");
        assertThat(calls(OPENAI_PATH)).isEqualTo(2);
    }

    @Test
    void whenEveryStepAnswersWithErrorsTheLastAnswerIsReturned() {
        upstream.on("POST", OPENAI_PATH, MockUpstream.Reply.json(503, "{\"error\":\"first\"}"));
        upstream.on("POST", AZURE_PATH, MockUpstream.Reply.json(429, "{\"error\":\"last\"}"));
        String path = route(step("openai", "gpt-4o-mini", 0, "", "5s") + "," + step("azure", "gpt-4o", 0, "", "5s"), "");
        ProxyClient.Reply r = proxy.postJson(path, "route-key", BODY);
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.text()).isEqualTo("{\"error\":\"last\"}");
    }

    @Test
    void constantBackOffWaitsTheRetryIntervalBetweenAttempts() {
        AtomicInteger n = new AtomicInteger();
        upstream.on("POST", OPENAI_PATH, r -> n.incrementAndGet() < 3 ? MockUpstream.Reply.json(503, "{}") : ok("gpt-4o-mini"));
        String path = route(step("openai", "gpt-4o-mini", 2, "300ms", "5s"), "");
        long t0 = System.nanoTime();
        ProxyClient.Reply r = proxy.postJson(path, "route-key", BODY);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.status()).isEqualTo(200);
        assertThat(n.get()).isEqualTo(3);
        assertThat(ms).isBetween(600L, 3000L);
    }

    @Test
    void exponentialBackOffGrowsWithJitterWithinBounds() {
        RetryPolicy policy = new RetryPolicy(new java.util.SplittableRandom(7));
        var route = new io.bricksllm.store.Route("id", 0, 0, "n", "/p", List.of("k"), List.of(), null, "exponential", "", List.of());
        var s = new io.bricksllm.store.RouteStep("openai", "m", 5, "100ms", "5s", Map.of(), Map.of());
        for (int retry = 1; retry <= 5; retry++) {
            double base = 100 * Math.pow(1.5, retry - 1);
            assertThat(policy.delay(route, s, retry).toMillis()).isBetween((long) (base * 0.5) - 1, (long) (base * 1.5) + 1);
        }
    }

    @Test
    void stepModelAndRequestParamsOverrideTheCallers() {
        upstream.on("POST", OPENAI_PATH, ok("gpt-4o-mini"));
        String step = "{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\",\"requestParams\":{\"temperature\":0.9,\"max_tokens\":7}}";
        String path = route(step, "");
        assertThat(proxy.postJson(path, "route-key", BODY).status()).isEqualTo(200);
        String sent = upstream.last().bodyText();
        assertThat(sent).contains("\"model\":\"gpt-4o-mini\"").contains("\"temperature\":0.9").contains("\"max_tokens\":7");
    }

    @Test
    void onlyTheRoutesKeysMayCallIt() {
        String path = route(step("openai", "gpt-4o-mini", 0, "", "5s"), "");
        ProxyClient.Reply r = proxy.postJson(path, "other-key", BODY);
        assertThat(r.status()).isEqualTo(403);
        assertThat(upstream.calls()).isZero();
        assertThat(proxy.postJson("/api/routes/does-not-exist", "route-key", BODY).status()).isEqualTo(404);
    }

    @Test
    void cacheHitsAreServedWithoutUpstreamCallsAtNoCostAndExpire() {
        upstream.on("POST", OPENAI_PATH, ok("gpt-4o-mini"));
        String path = "/cached" + routes.incrementAndGet();
        assertThat(gw.admin.post("/api/routes", "{\"name\":\"c\",\"path\":\"" + path + "\",\"keyIds\":[\"" + keyId + "\"],\"steps\":["
                + step("openai", "gpt-4o-mini", 0, "", "5s") + "],\"cacheConfig\":{\"enabled\":true,\"ttl\":\"1s\"}}").status()).isEqualTo(200);
        ProxyClient.Reply first = proxy.postJson("/api/routes" + path, "route-key", BODY);
        ProxyClient.Reply second = proxy.postJson("/api/route" + path, "route-key", BODY);
        assertThat(second.text()).isEqualTo(first.text());
        assertThat(second.headers().firstValue("X-BricksLLM-Cache")).contains("hit");
        assertThat(upstream.calls()).isEqualTo(1);
        // anything that changes the answer changes the key
        proxy.postJson("/api/routes" + path, "route-key", BODY.replace("0.2", "0.3"));
        assertThat(upstream.calls()).isEqualTo(2);
        // the entry expires after its TTL: poll with a deadline until the upstream is asked again
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (upstream.calls() == 2 && System.nanoTime() < deadline) {
            proxy.postJson("/api/routes" + path, "route-key", BODY);
        }
        assertThat(upstream.calls()).isEqualTo(3);
        assertThat(Events.fetch(gw.admin, keyId)).anySatisfy(e -> {
            assertThat(e.get("provider").asText()).isEqualTo("cached");
            assertThat(e.get("cost_in_usd").asDouble()).isZero();
        });
    }

    @Test
    void streamingRoutesFailOverBeforeTheFirstByteAndCachedStreamsReplay() {
        upstream.on("POST", OPENAI_PATH, MockUpstream.Reply.json(503, "{}"));
        upstream.on("POST", AZURE_PATH, r -> MockUpstream.Reply.sse(Fixtures.chatStream("gpt-4o", List.of("str", "eam"), 4, 2,
                r.bodyText().contains("include_usage"))));
        String path = "/stream" + routes.incrementAndGet();
        assertThat(gw.admin.post("/api/routes", "{\"name\":\"s\",\"path\":\"" + path + "\",\"keyIds\":[\"" + keyId + "\"],\"steps\":["
                + step("openai", "gpt-4o-mini", 0, "", "5s") + "," + step("azure", "gpt-4o", 0, "", "5s")
                + "],\"cacheConfig\":{\"enabled\":true,\"ttl\":\"1h\"}}").status()).isEqualTo(200);
        String body = "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        ProxyClient.Reply r = proxy.postJson("/api/routes" + path, "route-key", body);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(r.text()).contains("\"content\":\"str\"").contains("[DONE]").doesNotContain("\"usage\"");
        ProxyClient.Reply replay = proxy.postJson("/api/routes" + path, "route-key", body);
        assertThat(replay.text()).isEqualTo(r.text());
        assertThat(calls(AZURE_PATH)).isEqualTo(1);
    }

    @Test
    void aRouteCountsOnceAgainstTheRateLimitWhateverItsAttempts() {
        String limited = gw.admin.createKey("{\"name\":\"l\",\"key\":\"limited-route\",\"rateLimitOverTime\":1,\"rateLimitUnit\":\"h\","
                + "\"settingIds\":[\"" + gw.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1"))) + "\"]}").get("keyId").asText();
        AtomicInteger n = new AtomicInteger();
        upstream.on("POST", OPENAI_PATH, r -> n.incrementAndGet() < 3 ? MockUpstream.Reply.json(500, "{}") : ok("gpt-4o-mini"));
        String path = "/limited" + routes.incrementAndGet();
        assertThat(gw.admin.post("/api/routes", "{\"name\":\"l\",\"path\":\"" + path + "\",\"keyIds\":[\"" + limited + "\"],\"steps\":["
                + step("openai", "gpt-4o-mini", 2, "10ms", "5s") + "],\"cacheConfig\":{\"enabled\":false}}").status()).isEqualTo(200);
        assertThat(proxy.postJson("/api/routes" + path, "limited-route", BODY).status()).isEqualTo(200);
        assertThat(n.get()).isEqualTo(3);
        assertThat(proxy.postJson("/api/routes" + path, "limited-route", BODY).status()).isEqualTo(429);
    }

    /** The deployment defaults to the step's model (as {@code azure/<deployment>} on /v1), the version to the default. */
    @Test
    void anAzureStepWithoutParamsCallsTheDeploymentNamedByItsModel() {
        upstream.on("POST", "/openai/deployments/prod-4o/chat/completions", ok("gpt-4o"));
        String path = route("{\"provider\":\"azure\",\"model\":\"prod-4o\",\"timeout\":\"5s\"}", "");
        ProxyClient.Reply r = proxy.postJson(path, "route-key", BODY);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(upstream.last().path()).isEqualTo("/openai/deployments/prod-4o/chat/completions");
        assertThat(upstream.last().query()).isEqualTo("api-version=" + io.bricksllm.provider.AzureProvider.DEFAULT_API_VERSION);
        JsonNode answer = Events.awaitMatching(gw.admin, keyId,
                e -> e.get("routeId").asText().equals(upstreamRouteId(path)) && e.get("status").asInt() == 200, 1).get(0);
        assertThat(answer.get("cost_in_usd").asDouble()).as("priced by the model the response names").isPositive();
    }

    @Test
    void adminRulesAre400404And409() {
        String okStep = step("openai", "gpt-4o-mini", 0, "", "5s");
        AdminClient.Reply missing = gw.admin.post("/api/routes", "{\"steps\":[{\"provider\":\"azure\"}]}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("detail").asText()).contains("name", "path", "keyIds", "steps.[0].model", "cacheConfig")
                .as("an azure step needs no params: see anAzureStepWithoutParamsCallsTheDeploymentNamedByItsModel")
                .doesNotContain("params");
        assertThat(gw.admin.post("/api/routes", "{\"name\":\"n\",\"path\":\"/x\",\"keyIds\":[\"" + keyId + "\"],\"steps\":["
                + "{\"provider\":\"bedrock\",\"model\":\"m\"}],\"cacheConfig\":{}}").status()).isEqualTo(400);
        assertThat(gw.admin.post("/api/routes", "{\"name\":\"n\",\"path\":\"/x\",\"keyIds\":[\"" + keyId + "\"],\"steps\":[" + okStep
                + "],\"cacheConfig\":{\"enabled\":true,\"ttl\":\"721h\"}}").json().get("detail").asText()).contains("30 days");
        for (String tooShort : new String[] {"1ns", "999us", "99ms"}) {
            AdminClient.Reply r = gw.admin.post("/api/routes", "{\"name\":\"n\",\"path\":\"/x\",\"keyIds\":[\"" + keyId
                    + "\"],\"steps\":[" + step("openai", "gpt-4o-mini", 0, "", tooShort) + "],\"cacheConfig\":{}}");
            assertThat(r.status()).as(tooShort).isEqualTo(400);
            assertThat(r.json().get("detail").asText()).contains("steps.[0].timeout");
        }
        assertThat(gw.admin.post("/api/routes", "{\"name\":\"n\",\"path\":\"/x\",\"keyIds\":[\"nope\"],\"steps\":[" + okStep
                + "],\"cacheConfig\":{}}").status()).isEqualTo(400);
        String anthropicOnly = gw.admin.createKey("{\"name\":\"a\",\"key\":\"anthropic-only-route\",\"settingIds\":[\""
                + gw.admin.createSetting("anthropic", Map.of("apikey", "k")) + "\"]}").get("keyId").asText();
        assertThat(gw.admin.post("/api/routes", "{\"name\":\"n\",\"path\":\"/x\",\"keyIds\":[\"" + anthropicOnly + "\"],\"steps\":[" + okStep
                + "],\"cacheConfig\":{}}").status()).isEqualTo(400);
        String path = route(okStep, "");
        String bare = path.substring("/api/routes".length());
        assertThat(gw.admin.post("/api/routes", "{\"name\":\"n\",\"path\":\"" + bare + "\",\"keyIds\":[\"" + keyId + "\"],\"steps\":[" + okStep
                + "],\"cacheConfig\":{}}").status()).isEqualTo(409);
        assertThat(gw.admin.get("/api/routes/no-such-id").status()).isEqualTo(404);
    }

    @Test
    void deletedAndChangedRoutesTakeEffectAtOnce() {
        upstream.on("POST", OPENAI_PATH, ok("gpt-4o-mini"));
        upstream.on("POST", AZURE_PATH, ok("gpt-4o"));
        String path = route(step("openai", "gpt-4o-mini", 0, "", "5s"), "");
        String id = gw.admin.get("/api/routes").json().findParents("path").stream()
                .filter(r -> ("/api/routes" + r.get("path").asText()).equals(path)).findFirst().orElseThrow().get("id").asText();
        assertThat(gw.admin.patch("/api/routes/" + id, "{\"steps\":[" + step("azure", "gpt-4o", 0, "", "5s") + "]}").status()).isEqualTo(200);
        assertThat(proxy.postJson(path, "route-key", BODY).text()).contains("answer from gpt-4o\"");
        assertThat(gw.admin.delete("/api/routes/" + id).status()).isEqualTo(200);
        assertThat(proxy.postJson(path, "route-key", BODY).status()).isEqualTo(404);
    }
}
