package io.bricksllm.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.Events;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.Poll;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 22 end to end: target groups over several mock deployments, cooldown and probe, fallback by error class
 * with the providers' real error bodies, budget fallback, the strategy header, attemptReason on events.
 */
class SmartRoutingTest {
    static final String CHAT = "/v1/chat/completions";
    static final String AZURE_PATH = "/openai/deployments/dep1/chat/completions";
    static final String BODY = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static MockUpstream a;
    static MockUpstream b;
    static MockUpstream c;
    static TestGateway gw;
    static ProxyClient proxy;
    static String keyId;
    static String oa;
    static String ob;
    static String oc;
    static final AtomicInteger paths = new AtomicInteger();

    @BeforeAll
    static void start() {
        a = new MockUpstream();
        b = new MockUpstream();
        c = new MockUpstream();
        gw = TestGateway.start();
        proxy = new ProxyClient(gw.proxyUrl());
        oa = gw.admin.createSetting("openai", Map.of("apikey", "sk-a", "url", a.url("/v1")));
        ob = gw.admin.createSetting("openai", Map.of("apikey", "sk-b", "url", b.url("/v1")));
        oc = gw.admin.createSetting("openai", Map.of("apikey", "sk-c", "url", c.url("/v1")));
        String azure = gw.admin.createSetting("azure", Map.of("apikey", "sk-azure", "url", a.url("")));
        String anthropic = gw.admin.createSetting("anthropic", Map.of("apikey", "sk-ant", "url", a.url("/v1")));
        String gemini = gw.admin.createSetting("gemini", Map.of("apikey", "AIza-x", "url", a.url("")));
        keyId = gw.admin.createKey("{\"name\":\"s\",\"key\":\"smart-key\",\"settingIds\":[\"" + String.join("\",\"", oa, ob, oc, azure, anthropic, gemini)
                + "\"]}").get("keyId").asText();
    }

    @AfterAll
    static void stop() {
        gw.close();
        a.close();
        b.close();
        c.close();
    }

    @BeforeEach
    void reset() {
        a.reset();
        b.reset();
        c.reset();
    }

    static MockUpstream.Reply ok(String from) {
        return MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "answer from " + from, 10, 5));
    }

    static String target(String settingId, int weight) {
        return "{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\",\"settingId\":\"" + settingId + "\",\"weight\":" + weight + "}";
    }

    record Created(String path, String id) {}

    static Created route(String key, String steps, String extra) {
        String path = "/smart" + paths.incrementAndGet();
        AdminClient.Reply r = gw.admin.post("/api/routes", "{\"name\":\"s\",\"path\":\"" + path + "\",\"keyIds\":[\"" + key + "\"],"
                + "\"steps\":[" + steps + "],\"cacheConfig\":{\"enabled\":false}" + extra + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return new Created("/api/routes" + path, r.json().get("id").asText());
    }

    static long calls(MockUpstream u) {
        return u.received().size();
    }

    @Test
    void aWeightedGroupSpreadsRequestsOverThreeDeploymentsByWeight() {
        a.on("POST", CHAT, ok("a"));
        b.on("POST", CHAT, ok("b"));
        c.on("POST", CHAT, ok("c"));
        Created r = route(keyId, "{\"name\":\"pool\",\"strategy\":\"weighted\",\"targets\":[" + target(oa, 70) + "," + target(ob, 20) + ","
                + target(oc, 10) + "]}", "");
        int n = 300;
        for (int i = 0; i < n; i++) assertThat(proxy.postJson(r.path(), "smart-key", BODY).status()).isEqualTo(200);
        // ±10 points at 300 requests is over three standard deviations; the unit test checks ±2 % at 10,000
        assertThat(calls(a) / (double) n).isBetween(0.60, 0.80);
        assertThat(calls(b) / (double) n).isBetween(0.10, 0.30);
        assertThat(calls(c) / (double) n).isBetween(0.03, 0.20);
        assertThat(b.last().header("Authorization")).isEqualTo("Bearer sk-b"); // each target's own setting goes upstream
    }

    @Test
    void lowestLatencySendsAlmostEverythingToTheFasterDeployment() {
        // a second's delay: clear of what a loaded machine adds to b's own latency
        a.on("POST", CHAT, ok("a").withDelay(Duration.ofSeconds(1)));
        b.on("POST", CHAT, ok("b"));
        Created r = route(keyId, "{\"name\":\"pool\",\"strategy\":\"lowest-latency\",\"targets\":[" + target(oa, 1) + "," + target(ob, 1) + "]}", "");
        for (int i = 0; i < 4; i++) proxy.postJson(r.path(), "smart-key", BODY); // both measured
        long before = calls(a);
        for (int i = 0; i < 40; i++) assertThat(proxy.postJson(r.path(), "smart-key", BODY).status()).isEqualTo(200);
        // 5 % exploration, half of it to a (about one request in 40), and one re-measure per 10 s of a stale latency
        JsonNode targets = gw.admin.get("/api/routes/" + r.id() + "/health").json().get("steps").get(0).get("targets");
        assertThat(calls(a) - before).as("requests to the slow deployment of 40; health %s", targets).isLessThanOrEqualTo(4);
        assertThat(targets.get(0).get("latencyMs").asDouble()).isGreaterThan(targets.get(1).get("latencyMs").asDouble());
    }

    @Test
    void leastBusySendsLessToASlowDeploymentUnderConcurrency() {
        a.on("POST", CHAT, ok("a").withDelay(Duration.ofMillis(400)));
        b.on("POST", CHAT, ok("b").withDelay(Duration.ofMillis(20)));
        c.on("POST", CHAT, ok("c").withDelay(Duration.ofMillis(20)));
        Created r = route(keyId, "{\"name\":\"pool\",\"strategy\":\"least-busy\",\"targets\":[" + target(oa, 1) + "," + target(ob, 1) + ","
                + target(oc, 1) + "]}", "");
        // six clients, each sending its next request when the last is answered
        List<Thread> clients = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        for (int i = 0; i < 6; i++) {
            clients.add(Thread.ofVirtual().start(() -> {
                for (int j = 0; j < 10; j++) if (proxy.postJson(r.path(), "smart-key", BODY).status() != 200) failed.incrementAndGet();
            }));
        }
        for (Thread t : clients) {
            try {
                t.join(Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(failed.get()).isZero();
        assertThat(calls(a)).as("a=%d b=%d c=%d", calls(a), calls(b), calls(c)).isLessThan(calls(b)).isLessThan(calls(c));
    }

    @Test
    void aFailingTargetIsTakenOutOfRotationProbedAfterItsCooldownAndRestored() {
        a.on("POST", CHAT, MockUpstream.Reply.json(500, "{\"error\":{\"message\":\"boom\"}}"));
        b.on("POST", CHAT, ok("b"));
        Created r = route(keyId, "{\"name\":\"pool\",\"strategy\":\"round-robin\",\"retries\":1,\"retryInterval\":\"1ms\",\"failureThreshold\":2,"
                + "\"failureWindow\":\"1m\",\"cooldown\":\"1s\",\"targets\":[" + target(oa, 1) + "," + target(ob, 1) + "]}", "");
        // round-robin sends every other request to a first; its retry goes to b
        for (int i = 0; i < 4; i++) {
            ProxyClient.Reply reply = proxy.postJson(r.path(), "smart-key", BODY);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.text()).contains("answer from b");
        }
        assertThat(calls(a)).isEqualTo(2);
        JsonNode health = gw.admin.get("/api/routes/" + r.id() + "/health").json();
        JsonNode targets = health.get("steps").get(0).get("targets");
        assertThat(targets.get(0).get("state").asText()).isEqualTo("cooldown");
        assertThat(targets.get(0).get("recentFailures").asInt()).isEqualTo(2);
        assertThat(targets.get(1).get("state").asText()).isEqualTo("healthy");
        assertThat(targets.get(1).get("latencyMs").isNumber()).isTrue();
        assertThat(gw.admin.get("/metrics").body()).containsPattern(
                "bricksllm_route_target_state\\{[^}]*route=\"" + r.id() + "\"[^}]*state=\"cooldown\"[^}]*target=\"1\"[^}]*} 1\\.0");
        // while it cools down, a gets nothing
        for (int i = 0; i < 4; i++) proxy.postJson(r.path(), "smart-key", BODY);
        assertThat(calls(a)).isEqualTo(2);
        // a recovers; after the cooldown one request probes it and it is back in rotation
        a.on("POST", CHAT, ok("a"));
        Poll.until(Duration.ofSeconds(10), "a probed after its cooldown", () -> {
            proxy.postJson(r.path(), "smart-key", BODY);
            return calls(a) == 3;
        });
        JsonNode after = gw.admin.get("/api/routes/" + r.id() + "/health").json().get("steps").get(0).get("targets");
        assertThat(after.get(0).get("state").asText()).isEqualTo("healthy");
        long before = calls(a);
        for (int i = 0; i < 4; i++) proxy.postJson(r.path(), "smart-key", BODY);
        assertThat(calls(a) - before).isEqualTo(2);
        // the failed attempts and their retries say why they were made
        List<JsonNode> failed = Events.awaitMatching(gw.admin, keyId, e -> e.get("routeId").asText().equals(r.id()) && e.get("status").asInt() == 500, 2);
        assertThat(failed).allSatisfy(e -> assertThat(e.get("attemptReason").asText()).isEqualTo("initial"));
        List<JsonNode> retried = Events.awaitMatching(gw.admin, keyId, e -> e.get("routeId").asText().equals(r.id())
                && e.get("status").asInt() == 200 && e.get("routeAttempt").asInt() == 2, 2);
        assertThat(retried).allSatisfy(e -> assertThat(e.get("attemptReason").asText()).isEqualTo("retry"));
    }

    static Stream<Arguments> errorClasses() {
        return Stream.of(
                Arguments.of("openai", 400, ErrorClassTest.OPENAI_CONTEXT, "context_window_exceeded"),
                Arguments.of("anthropic", 400, ErrorClassTest.ANTHROPIC_CONTEXT, "context_window_exceeded"),
                Arguments.of("gemini", 400, ErrorClassTest.GEMINI_CONTEXT, "context_window_exceeded"),
                Arguments.of("openai", 400, ErrorClassTest.OPENAI_CONTENT, "content_policy"),
                Arguments.of("azure", 400, ErrorClassTest.AZURE_CONTENT, "content_policy"),
                Arguments.of("openai", 429, ErrorClassTest.OPENAI_RATE, "rate_limited"),
                Arguments.of("anthropic", 529, ErrorClassTest.ANTHROPIC_OVERLOADED, "rate_limited"),
                Arguments.of("gemini", 429, ErrorClassTest.GEMINI_RATE, "rate_limited"));
    }

    @ParameterizedTest(name = "{0} {1} → {3}")
    @MethodSource("errorClasses")
    void anErrorClassFallsBackToItsStep(String provider, int status, String body, String errorClass) {
        String primary = switch (provider) {
            case "openai" -> "{\"name\":\"primary\",\"targets\":[" + target(oa, 1) + "]}";
            case "anthropic" -> "{\"name\":\"primary\",\"provider\":\"anthropic\",\"model\":\"claude-sonnet-4-5\"}";
            case "gemini" -> "{\"name\":\"primary\",\"provider\":\"gemini\",\"model\":\"gemini-2.5-flash\"}";
            default -> "{\"name\":\"primary\",\"provider\":\"azure\",\"model\":\"gpt-4o\",\"params\":{\"deploymentId\":\"dep1\"}}";
        };
        String path = switch (provider) {
            case "openai" -> CHAT;
            case "anthropic" -> "/v1/messages";
            case "gemini" -> "/v1beta/models/gemini-2.5-flash:generateContent";
            default -> AZURE_PATH;
        };
        a.on("POST", path, MockUpstream.Reply.json(status, body));
        b.on("POST", CHAT, ok("backup"));
        // a step between them that the fallback jumps over; no retries on the primary, so only the class decides
        c.on("POST", CHAT, ok("middle"));
        Created r = route(keyId, primary + ",{\"name\":\"middle\",\"targets\":[" + target(oc, 1) + "]},{\"name\":\"backup\",\"targets\":["
                + target(ob, 1) + "]}", ",\"fallbacks\":{\"" + errorClass + "\":\"backup\"}");
        ProxyClient.Reply reply = proxy.postJson(r.path(), "smart-key", BODY);
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        assertThat(reply.text()).contains("answer from backup");
        assertThat(calls(a)).isEqualTo(1);
        assertThat(calls(c)).isZero();
        JsonNode failed = Events.awaitMatching(gw.admin, keyId, e -> e.get("routeId").asText().equals(r.id()) && e.get("status").asInt() == status, 1).get(0);
        assertThat(failed.get("attemptReason").asText()).isEqualTo("initial");
        JsonNode answer = Events.awaitMatching(gw.admin, keyId, e -> e.get("routeId").asText().equals(r.id()) && e.get("status").asInt() == 200, 1).get(0);
        assertThat(answer.get("attemptReason").asText()).isEqualTo(errorClass);
        assertThat(answer.get("routeStep").asInt()).isEqualTo(3);
    }

    @Test
    void aStreamedRequestFallsBackBeforeItsFirstByte() {
        a.on("POST", CHAT, MockUpstream.Reply.json(400, ErrorClassTest.OPENAI_CONTEXT));
        b.on("POST", CHAT, r -> MockUpstream.Reply.sse(Fixtures.chatStream("gpt-4o-mini", List.of("long", "er"), 4, 2, false)));
        Created r = route(keyId, "{\"name\":\"primary\",\"targets\":[" + target(oa, 1) + "]},{\"name\":\"long\",\"targets\":["
                + target(ob, 1) + "]}", ",\"fallbacks\":{\"context_window_exceeded\":\"long\"}");
        ProxyClient.Reply reply = proxy.postJson(r.path(), "smart-key", "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(reply.text()).contains("\"content\":\"long\"").contains("[DONE]").doesNotContain("context_length_exceeded");
    }

    @Test
    void withoutAFallbackForItsClassAContextErrorIsTheAnswer() {
        a.on("POST", CHAT, MockUpstream.Reply.json(400, ErrorClassTest.OPENAI_CONTEXT));
        b.on("POST", CHAT, ok("backup"));
        Created r = route(keyId, "{\"name\":\"primary\",\"targets\":[" + target(oa, 1) + "]},{\"name\":\"backup\",\"targets\":["
                + target(ob, 1) + "]}", ",\"fallbacks\":{\"content_policy\":\"backup\"}");
        ProxyClient.Reply reply = proxy.postJson(r.path(), "smart-key", BODY);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.text()).contains("context_length_exceeded");
        assertThat(calls(b)).isZero();
    }

    @Test
    void aKeyPastItsBudgetShareStartsAtTheBudgetStep() {
        String budgetKey = gw.admin.createKey("{\"name\":\"b\",\"key\":\"budget-key\",\"costLimitInUsd\":0.02,\"settingIds\":[\"" + oa + "\",\"" + ob
                + "\"]}").get("keyId").asText();
        // 120,000 prompt tokens of gpt-4o-mini at $0.15/M: $0.018, 90 % of the budget
        a.on("POST", CHAT, MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "answer from a", 120_000, 0)));
        b.on("POST", CHAT, ok("cheap"));
        Created r = route(budgetKey, "{\"name\":\"primary\",\"targets\":[" + target(oa, 1) + "]},{\"name\":\"cheap\",\"targets\":["
                + target(ob, 1) + "]}", ",\"budgetFallback\":{\"percent\":80,\"step\":\"cheap\"}");
        assertThat(proxy.postJson(r.path(), "budget-key", BODY).text()).contains("answer from a");
        Poll.until(Duration.ofSeconds(10), "the spend settled", () -> proxy.get("/v1/key", "budget-key").text().contains("\"spentInUsd\":0.018"));
        ProxyClient.Reply reply = proxy.postJson(r.path(), "budget-key", BODY);
        assertThat(reply.text()).contains("answer from cheap");
        assertThat(calls(a)).isEqualTo(1);
        JsonNode answer = Events.awaitMatching(gw.admin, budgetKey, e -> e.has("routeStep") && e.get("routeStep").asInt() == 2, 1).get(0);
        assertThat(answer.get("attemptReason").asText()).isEqualTo("budget");
        JsonNode first = Events.awaitMatching(gw.admin, budgetKey, e -> e.has("routeStep") && e.get("routeStep").asInt() == 1, 1).get(0);
        assertThat(first.get("attemptReason").asText()).isEqualTo("initial");
    }

    @Test
    void theStrategyHeaderCountsOnlyWhereTheRouteAllowsIt() {
        a.on("POST", CHAT, ok("a"));
        b.on("POST", CHAT, ok("b"));
        // smooth round-robin at 1000:1 sends b its one request in the middle of each 1001: the first 20 all go to a
        String group = "{\"name\":\"pool\",\"strategy\":\"round-robin\",\"targets\":[" + target(oa, 1000) + "," + target(ob, 1) + "]}";
        Created allowed = route(keyId, group, ",\"allowStrategyOverride\":true");
        Created fixed = route(keyId, group, "");
        Map<String, String> idle = Map.of("x-bricksllm-route-strategy", "least-busy", "Authorization", "Bearer smart-key",
                "Content-Type", "application/json");
        // least-busy: one request at a time finds both idle (0/1000 = 0/1) and picks either at random
        for (int i = 0; i < 20; i++) assertThat(proxy.send("POST", allowed.path(), idle, BODY.getBytes()).status()).isEqualTo(200);
        assertThat(calls(b)).isGreaterThanOrEqualTo(3);
        assertThat(b.last().header("x-bricksllm-route-strategy")).isNull(); // the gateway's own header stays here
        b.reset();
        for (int i = 0; i < 20; i++) assertThat(proxy.send("POST", fixed.path(), idle, BODY.getBytes()).status()).isEqualTo(200);
        assertThat(calls(b)).isZero(); // ignored: the route's round-robin decides
        Map<String, String> bogus = Map.of("x-bricksllm-route-strategy", "fastest", "Authorization", "Bearer smart-key",
                "Content-Type", "application/json");
        ProxyClient.Reply refused = proxy.send("POST", allowed.path(), bogus, BODY.getBytes());
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).contains("x-bricksllm-route-strategy must be one of");
        assertThat(proxy.send("POST", fixed.path(), bogus, BODY.getBytes()).status()).isEqualTo(200);
    }

    @Test
    void groupsAndFallbacksAreStoredAndBadOnesAre400() {
        Created r = route(keyId, "{\"name\":\"pool\",\"strategy\":\"least-busy\",\"cooldown\":\"45s\",\"targets\":[" + target(oa, 3) + "," + target(ob, 1)
                + "]},{\"name\":\"backup\",\"provider\":\"azure\",\"model\":\"gpt-4o\"}", ",\"fallbacks\":{\"rate_limited\":\"backup\"},"
                + "\"budgetFallback\":{\"percent\":75,\"step\":\"backup\"},\"allowStrategyOverride\":true");
        JsonNode stored = gw.admin.get("/api/routes/" + r.id()).json();
        JsonNode pool = stored.get("steps").get(0);
        assertThat(pool.get("strategy").asText()).isEqualTo("least-busy");
        assertThat(pool.get("targets")).hasSize(2);
        assertThat(pool.get("targets").get(0).get("weight").asInt()).isEqualTo(3);
        assertThat(pool.get("failureThreshold").asInt()).isEqualTo(5);
        assertThat(pool.get("failureWindow").asText()).isEqualTo("60s");
        assertThat(pool.get("cooldown").asText()).isEqualTo("45s");
        assertThat(stored.get("fallbacks").get("rate_limited").asText()).isEqualTo("backup");
        assertThat(stored.get("budgetFallback").get("percent").asDouble()).isEqualTo(75.0);
        assertThat(stored.get("allowStrategyOverride").asBoolean()).isTrue();
        assertThat(stored.get("steps").get(1).has("targets")).isFalse(); // a plain step reads as before
        // a PATCH of other fields keeps them
        assertThat(gw.admin.patch("/api/routes/" + r.id(), "{\"name\":\"renamed\"}").json().get("fallbacks").get("rate_limited").asText()).isEqualTo("backup");

        String t = target(oa, 1);
        Map<String, String> bad = Map.of(
                "{\"name\":\"p\",\"strategy\":\"fastest\",\"targets\":[" + t + "]}", "strategy fastest is not known",
                "{\"name\":\"p\",\"targets\":[" + target(oa, 0) + "]}", "weight must be a positive integer",
                "{\"name\":\"p\",\"strategy\":\"weighted\",\"targets\":[]}", "steps.[0].targets",
                "{\"name\":\"p\",\"cooldown\":\"soon\",\"targets\":[" + t + "]}", "steps.[0].cooldown",
                "{\"name\":\"p\",\"failureWindow\":\"-1s\",\"targets\":[" + t + "]}", "steps.[0].failureWindow",
                "{\"name\":\"p\",\"failureThreshold\":0,\"targets\":[" + t + "]}", "steps.[0].failureThreshold",
                "{\"name\":\"p\",\"provider\":\"openai\",\"model\":\"m\",\"targets\":[" + t + "]}", "either provider and model or targets",
                "{\"name\":\"p\",\"targets\":[{\"provider\":\"nope\",\"model\":\"m\"}]}", "provider nope is not supported");
        for (var e : bad.entrySet()) {
            AdminClient.Reply reply = post(e.getKey(), "");
            assertThat(reply.status()).as(e.getKey()).isEqualTo(400);
            assertThat(reply.body()).as(e.getKey()).contains(e.getValue());
        }
        String ok = "{\"name\":\"p\",\"targets\":[" + t + "]}";
        assertThat(post(ok, ",\"fallbacks\":{\"rate_limited\":\"nowhere\"}").body()).contains("names no step of the route: nowhere");
        assertThat(post(ok, ",\"fallbacks\":{\"sadness\":\"p\"}").body()).contains("fallbacks.sadness is not an error class");
        assertThat(post(ok, ",\"fallbacks\":{\"rate_limited\":null}").status()).isEqualTo(400);
        assertThat(post("{\"name\":\"p\",\"targets\":[null]}", "").status()).isEqualTo(400);
        assertThat(post("{\"name\":\"p\",\"targets\":\"openai\"}", "").status()).isEqualTo(400);
        assertThat(post(ok, ",\"budgetFallback\":{\"percent\":80,\"step\":\"q\"}").body()).contains("budgetFallback.step names no step");
        assertThat(post(ok, ",\"budgetFallback\":{\"percent\":0,\"step\":\"p\"}").body()).contains("budgetFallback.percent");
        assertThat(post(ok + "," + ok, "").body()).contains("step name p is used twice");
        assertThat(post("{\"name\":\"p\",\"targets\":[{\"provider\":\"openai\",\"model\":\"m\",\"settingId\":\"not-held\"}]}", "").body())
                .contains("has no openai setting not-held");
        assertThat(gw.admin.get("/api/routes/nope/health").status()).isEqualTo(404);
    }

    private AdminClient.Reply post(String steps, String extra) {
        return gw.admin.post("/api/routes", "{\"name\":\"bad\",\"path\":\"/bad" + paths.incrementAndGet() + "\",\"keyIds\":[\"" + keyId + "\"],"
                + "\"steps\":[" + steps + "],\"cacheConfig\":{\"enabled\":false}" + extra + "}");
    }
}
