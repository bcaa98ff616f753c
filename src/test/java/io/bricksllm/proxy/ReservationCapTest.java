package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import io.bricksllm.testing.Events;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.Poll;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19.3, reservations that don't misfire: one request's reservation is bounded by the model's context window and
 * by MAX_RESERVATION_USD ($1 by default), so a huge max_tokens no longer blocks a budget that is far from spent; a
 * client that leaves gives its reservation back. Without the caps, o1 with max_tokens 1,000,000 reserves
 * 1M × $60/M = $60 and any second request beside it is refused.
 */
class ReservationCapTest {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    static final AtomicInteger keys = new AtomicInteger();

    static MockUpstream upstream;
    static TestGateway gw;
    static ProxyClient proxy;
    static String setting;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        proxy = new ProxyClient(gw.proxyUrl());
        setting = gw.admin.createSetting("openai", Map.of("apikey", "sk-up", "url", upstream.url("/v1")));
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
        // a body that says "hold" is answered late (it stays in flight); others at once, at a cost of a few micro-dollars
        upstream.on("POST", "/v1/chat/completions", r -> {
            MockUpstream.Reply reply = MockUpstream.Reply.json(200, Fixtures.chatCompletion(model(r.bodyText()), "ok", 10, 10));
            return r.bodyText().contains("hold") ? reply.withDelay(Duration.ofSeconds(r.bodyText().contains("hold-long") ? 60 : 6)) : reply;
        });
    }

    static String model(String body) {
        try {
            return Json.MAPPER.readTree(body).path("model").asText();
        } catch (Exception e) {
            return "";
        }
    }

    /** A new key with {@code budget} (JSON fields after settingIds); returns its secret. */
    static String key(String budget) {
        String secret = "resv-" + keys.incrementAndGet();
        lastKeyId = gw.admin.createKey("{\"name\":\"k\",\"key\":\"" + secret + "\",\"settingIds\":[\"" + setting + "\"]" + budget + "}")
                .get("keyId").asText();
        return secret;
    }

    static String lastKeyId;

    static String body(String model, long maxTokens, String content) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
    }

    @Test
    void aHugeMaxTokensOnAnExpensiveModelIsAdmittedBesideAnotherRequestInFlight() {
        String secret = key(",\"costLimitInUsd\":2");
        CompletableFuture<ProxyClient.Reply> held = CompletableFuture.supplyAsync(() -> proxy.postJson(CHAT, secret, body("o1", 1_000_000, "hold")));
        Poll.until(Duration.ofSeconds(10), "the first request reached the upstream", () -> upstream.calls() == 1);

        // o1: 128k context window × $60/M = $7.68 of output at most, capped at $1: $1 + $1 fit the $2 budget
        ProxyClient.Reply second = proxy.postJson(CHAT, secret, body("o1", 1_000_000, "now"));
        assertThat(second.status()).as(second.text()).isEqualTo(200);
        assertThat(held.join().status()).isEqualTo(200);
        assertThat(upstream.calls()).isEqualTo(2);
    }

    @Test
    void concurrentBigRequestsAdmitAsManyAsTheUsdCapAllows() {
        String secret = key(",\"costLimitInUsd\":3");
        // each reserves the $1 cap: the first three fit $3, the rest are refused while they are in flight
        List<Integer> statuses = proxy.concurrentPosts(7, CHAT, secret, body("o1", 1_000_000, "hold"));
        assertThat(statuses.stream().filter(s -> s == 200).count()).as(statuses.toString()).isEqualTo(3);
        assertThat(statuses.stream().filter(s -> s == 429).count()).as(statuses.toString()).isEqualTo(4);
        assertThat(upstream.calls()).isEqualTo(3);
    }

    @Test
    void concurrentBigRequestsOnACheapModelAreBoundedByItsContextWindow() {
        String secret = key(",\"costLimitInUsd\":0.25");
        // gpt-4o-mini: max_tokens 1,000,000 is bounded by its 128,000-token window: ~$0.077 each (not $0.60), so 3 fit $0.25
        List<Integer> statuses = proxy.concurrentPosts(6, CHAT, secret, body("gpt-4o-mini", 1_000_000, "hold"));
        assertThat(statuses.stream().filter(s -> s == 200).count()).as(statuses.toString()).isEqualTo(3);
        assertThat(upstream.calls()).isEqualTo(3);
    }

    @Test
    void aClientThatCancelsGivesItsReservationBack() throws Exception {
        String secret = key(",\"costLimitInUsd\":1.5");
        cancelReleases(gw, proxy, secret, lastKeyId);
    }

    /** A request holding $1 of a $1.50 budget is cancelled by its client: the next $1 request is admitted soon after. */
    static void cancelReleases(TestGateway g, ProxyClient client, String secret, String keyId) throws Exception {
        int before = upstream.calls();
        byte[] big = body("o1", 1_000_000, "hold-long").getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", g.gateway().proxyPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + CHAT + " HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + secret
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + big.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(big);
            out.flush();
            Poll.until(Duration.ofSeconds(10), "the held request reached the upstream", () -> upstream.calls() == before + 1);
            // its $1 reservation is held: another $1 does not fit $1.50
            ProxyClient.Reply refused = client.postJson(CHAT, secret, body("o1", 1_000_000, "now"));
            assertThat(refused.status()).as(refused.text()).isEqualTo(429);
        } // the client leaves
        Poll.until(Duration.ofSeconds(10), "the reservation of the cancelled request is released",
                () -> client.postJson(CHAT, secret, body("o1", 1_000_000, "now")).status() == 200);
        JsonNode cancelled = Events.awaitMatching(g.admin, keyId, e -> e.get("status").asInt() == 499, 1).get(0);
        assertThat(cancelled.get("cost_in_usd").asDouble()).isZero();
    }

    @Test
    void withRedisTheCapsAndTheReleaseHoldToo() throws Exception {
        try (io.bricksllm.testing.TestRedis redis = io.bricksllm.testing.TestRedis.start();
             TestGateway shared = TestGateway.start(Map.of("REDIS_HOSTS", "127.0.0.1", "REDIS_PORT", Integer.toString(redis.port()),
                     "REDIS_READ_TIME_OUT", "10s"))) {
            ProxyClient client = new ProxyClient(shared.proxyUrl());
            String s = shared.admin.createSetting("openai", Map.of("apikey", "sk-up", "url", upstream.url("/v1")));
            shared.admin.createKey("{\"name\":\"k\",\"key\":\"resv-redis-3\",\"settingIds\":[\"" + s + "\"],\"costLimitInUsd\":3.01}");
            Poll.until(Duration.ofSeconds(10), "the key's spend is seeded into Redis",
                    () -> client.postJson(CHAT, "resv-redis-3", body("gpt-4o-mini", 10, "warm")).status() == 200);
            // the warm-up spent a few micro-dollars: three $1 reservations still fit $3.01, a fourth does not
            List<Integer> statuses = client.concurrentPosts(7, CHAT, "resv-redis-3", body("o1", 1_000_000, "hold"));
            assertThat(statuses.stream().filter(st -> st == 200).count()).as(statuses.toString()).isEqualTo(3);

            String keyId = shared.admin.createKey("{\"name\":\"k\",\"key\":\"resv-redis-c\",\"settingIds\":[\"" + s
                    + "\"],\"costLimitInUsd\":1.5}").get("keyId").asText();
            Poll.until(Duration.ofSeconds(10), "the second key is seeded",
                    () -> client.postJson(CHAT, "resv-redis-c", body("gpt-4o-mini", 10, "warm")).status() == 200);
            cancelReleases(shared, client, "resv-redis-c", keyId);
        }
    }

    @Test
    void anUnpricedModelOnABudgetedKeyIsRefused403AndNotForwarded() throws Exception {
        String secret = key(",\"costLimitInUsdOverTime\":5,\"costLimitInUsdUnit\":\"d\"");
        ProxyClient.Reply r = proxy.postJson(CHAT, secret, body("my-finetune-nobody-prices", 10, "hi"));
        assertThat(r.status()).as(r.text()).isEqualTo(403);
        JsonNode error = Json.MAPPER.readTree(r.text()).get("error");
        assertThat(error.get("message").asText()).contains("my-finetune-nobody-prices").contains("UNPRICED_MODELS=allow");
        assertThat(error.get("type").asText()).isEqualTo("permission_error");
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void aKeyWithoutABudgetMayCallAnUnpricedModel() {
        String secret = key("");
        ProxyClient.Reply r = proxy.postJson(CHAT, secret, body("my-finetune-nobody-prices", 10, "hi"));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(upstream.calls()).isEqualTo(1);
    }

    @Test
    void aModelPricedByTheSettingsCostMapIsAdmitted() {
        String priced = gw.admin.put("/api/provider-settings", "{\"provider\":\"openai\",\"name\":\"mapped\",\"setting\":{\"apikey\":\"sk\",\"url\":\""
                + upstream.url("/v1") + "\"},\"costMap\":{\"promptCostPerModel\":{\"house-model\":0.001},\"completionCostPerModel\":{\"house-model\":0.002}}}")
                .json().get("id").asText();
        String secret = "resv-mapped";
        gw.admin.createKey("{\"name\":\"k\",\"key\":\"" + secret + "\",\"settingIds\":[\"" + priced + "\"],\"costLimitInUsd\":1}");
        assertThat(proxy.postJson(CHAT, secret, body("house-model", 10, "hi")).status()).isEqualTo(200);
        assertThat(proxy.postJson(CHAT, secret, body("other-house-model", 10, "hi")).status()).isEqualTo(403);
        assertThat(upstream.calls()).isEqualTo(1);
    }

    @Test
    void theUnifiedEndpointPricesTheModelWithoutItsPrefixUnderTheAnsweringProvider() {
        String secret = key(",\"costLimitInUsd\":1");
        String chat = "/v1/chat/completions";
        assertThat(proxy.postJson(chat, secret, body("openai/gpt-4o-mini", 10, "hi")).status()).isEqualTo(200);
        ProxyClient.Reply refused = proxy.postJson(chat, secret, body("openai/not-a-real-model", 10, "hi"));
        assertThat(refused.status()).as(refused.text()).isEqualTo(403);
        assertThat(refused.text()).contains("not-a-real-model");
        // a failover list whose fallback cannot be priced would let the fallback bypass the budget
        ProxyClient.Reply list = proxy.postJson(chat, secret, "{\"model\":\"openai/gpt-4o-mini\",\"models\":[\"openai/not-a-real-model\"],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(list.status()).as(list.text()).isEqualTo(403);
        assertThat(upstream.calls()).isEqualTo(1);
    }

    @Test
    void aRouteWithAnUnpricedStepIsRefusedOnABudgetedKey() {
        String secret = key(",\"costLimitInUsd\":1");
        String keyId = lastKeyId;
        String priced = route("/resv-priced", keyId, "gpt-4o-mini", "gpt-4o");
        String unpriced = route("/resv-unpriced", keyId, "not-a-real-model", "gpt-4o-mini");
        assertThat(proxy.postJson(priced, secret, body("whatever", 10, "hi")).status()).isEqualTo(200);
        ProxyClient.Reply r = proxy.postJson(unpriced, secret, body("whatever", 10, "hi"));
        assertThat(r.status()).as(r.text()).isEqualTo(403);
        assertThat(r.text()).contains("not-a-real-model");
        assertThat(upstream.calls()).isEqualTo(1);
    }

    static String route(String path, String keyId, String first, String second) {
        var r = gw.admin.post("/api/routes", "{\"name\":\"n\",\"path\":\"" + path + "\",\"keyIds\":[\"" + keyId + "\"],\"steps\":["
                + "{\"provider\":\"openai\",\"model\":\"" + first + "\"},{\"provider\":\"openai\",\"model\":\"" + second + "\"}],"
                + "\"cacheConfig\":{\"enabled\":false}}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return "/api/routes" + path;
    }

    @Test
    void anEndUserWithABudgetCallingAnUnpricedModelIsRefused() {
        String secret = key(""); // the key has no budget: the user's decides
        assertThat(gw.admin.post("/api/users", "{\"userId\":\"resv-user\",\"name\":\"u\",\"costLimitInUsd\":1}").status()).isEqualTo(200);
        String asUser = "{\"model\":\"not-a-real-model\",\"user\":\"resv-user\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        ProxyClient.Reply r = proxy.postJson(CHAT, secret, asUser);
        assertThat(r.status()).as(r.text()).isEqualTo(403);
        assertThat(r.text()).contains("not-a-real-model").contains("resv-user");
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void theRefusalIsWrittenInAnthropicsShapeOnItsPaths() throws Exception {
        String anthropic = gw.admin.createSetting("anthropic", Map.of("apikey", "sk-ant", "url", upstream.url("/anthropic/v1")));
        gw.admin.createKey("{\"name\":\"k\",\"key\":\"resv-anthropic\",\"settingIds\":[\"" + anthropic + "\"],\"costLimitInUsd\":1}");
        ProxyClient.Reply r = proxy.postJson("/api/providers/anthropic/v1/messages", "resv-anthropic",
                "{\"model\":\"claude-nonexistent-9\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.status()).as(r.text()).isEqualTo(403);
        JsonNode json = Json.MAPPER.readTree(r.text());
        assertThat(json.get("type").asText()).isEqualTo("error");
        assertThat(json.at("/error/type").asText()).isEqualTo("permission_error");
        assertThat(json.at("/error/message").asText()).contains("claude-nonexistent-9");
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void withUnpricedModelsAllowedTheCallIsForwardedAndRecordedAtNoCost() {
        try (TestGateway allowing = TestGateway.start(Map.of("UNPRICED_MODELS", "allow"))) {
            String s = allowing.admin.createSetting("openai", Map.of("apikey", "sk-up", "url", upstream.url("/v1")));
            String keyId = allowing.admin.createKey("{\"name\":\"k\",\"key\":\"resv-allow\",\"settingIds\":[\"" + s + "\"],\"costLimitInUsd\":1}")
                    .get("keyId").asText();
            ProxyClient.Reply r = new ProxyClient(allowing.proxyUrl()).postJson(CHAT, "resv-allow", body("my-finetune-nobody-prices", 10, "hi"));
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            assertThat(upstream.calls()).isEqualTo(1);
            JsonNode event = Events.await(allowing.admin, keyId, 1).get(0);
            assertThat(event.get("cost_in_usd").asDouble()).isZero();
            assertThat(event.get("unpriced").asBoolean()).isTrue();
        }
    }
}
