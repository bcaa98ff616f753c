package io.bricksllm.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.config.RedisSettings;
import io.bricksllm.limits.RedisConnector;
import io.bricksllm.route.balance.RedisSharedLoad;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.Poll;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.ScaleOut;
import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestGateway;
import io.bricksllm.testing.TestRedis;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Least-busy in scale-out mode: requests in flight at one instance count at the other (issue 22, item 1). */
class SharedLeastBusyTest {
    static final String CHAT = "/v1/chat/completions";
    static final String BODY = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    static int inFlight(TestGateway gw, String routeId, int target) {
        JsonNode steps = gw.admin.get("/api/routes/" + routeId + "/health").json().get("steps");
        return steps == null || steps.isEmpty() ? -1 : steps.get(0).get("targets").get(target).get("inFlight").asInt();
    }

    @Test
    void aSlowTargetsRequestsInFlightAtOneInstanceSteerTheOthersPicks() throws Exception {
        try (TestRedis redis = TestRedis.start(); MockUpstream slow = new MockUpstream(); MockUpstream fast = new MockUpstream();
             ScaleOut cluster = new ScaleOut(TestDatabases.freshPostgres(), redis.port())) {
            slow.on("POST", CHAT, MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "slow", 5, 5))
                    .withDelay(Duration.ofSeconds(6)));
            fast.on("POST", CHAT, MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "fast", 5, 5)));
            TestGateway one = cluster.start(Map.of());
            TestGateway two = cluster.start(Map.of());
            String ss = one.admin.createSetting("openai", Map.of("apikey", "sk-s", "url", slow.url("/v1")));
            String sf = one.admin.createSetting("openai", Map.of("apikey", "sk-f", "url", fast.url("/v1")));
            String key = one.admin.createKey("{\"name\":\"k\",\"key\":\"busy-key\",\"settingIds\":[\"" + ss + "\",\"" + sf + "\"]}").get("keyId").asText();
            // least-busy; the override lets instance one load the slow target evenly with round-robin
            String routeId = one.admin.post("/api/routes", "{\"name\":\"r\",\"path\":\"/busy\",\"keyIds\":[\"" + key + "\"],\"allowStrategyOverride\":true,"
                    + "\"cacheConfig\":{\"enabled\":false},\"steps\":[{\"name\":\"pool\",\"strategy\":\"least-busy\",\"targets\":["
                    + "{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\",\"settingId\":\"" + ss + "\"},"
                    + "{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\",\"settingId\":\"" + sf + "\"}]}]}").json().get("id").asText();
            Poll.until(Duration.ofSeconds(10), "route known to the second instance",
                    () -> two.gateway().liveConfig().current().routesByPath().containsKey("/busy"));
            assertThat(inFlight(two, routeId, 0)).isZero(); // instance two follows the group from now on

            // instance one: 8 round-robin requests, 4 of them held by the slow target
            HttpClient http = HttpClient.newHttpClient();
            List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                held.add(http.sendAsync(HttpRequest.newBuilder(URI.create(one.proxyUrl() + "/api/routes/busy"))
                        .header("Authorization", "Bearer busy-key").header("Content-Type", "application/json")
                        .header("x-bricksllm-route-strategy", "round-robin").timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            Poll.until(Duration.ofSeconds(5), "4 requests held by the slow target", () -> slow.inFlight() == 4);
            Poll.until(Duration.ofSeconds(3), "instance two sees them", () -> inFlight(two, routeId, 0) == 4);

            // instance two, one request at a time: its own counts are 0/0 (a coin toss), the shared ones 4/0
            ProxyClient p2 = new ProxyClient(two.proxyUrl());
            int before = slow.calls();
            for (int i = 0; i < 10; i++) assertThat(p2.postJson("/api/routes/busy", "busy-key", BODY).text()).contains("fast");
            assertThat(slow.calls()).isEqualTo(before);

            for (var f : held) assertThat(f.get().statusCode()).isEqualTo(200);
            // the leases end with the requests: instance two sees the slow target idle again and uses it
            Poll.until(Duration.ofSeconds(3), "leases ended", () -> inFlight(two, routeId, 0) == 0);
            Poll.until(Duration.ofSeconds(10), "the slow target picked again", () -> {
                p2.postJson("/api/routes/busy", "busy-key", BODY);
                return slow.calls() > before;
            });
        }
    }

    @Test
    void anInstanceThatStopsRenewingHasItsRequestsLapseAndRedisDownCountsAsNoneElsewhere() throws Exception {
        try (TestRedis redis = TestRedis.start()) {
            Vertx vertx = Vertx.vertx();
            try {
                RedisSettings settings = new RedisSettings("127.0.0.1", redis.port(), "", "", 0, Duration.ofSeconds(1));
                RedisConnector connector = new RedisConnector(vertx, settings);
                RedisSharedLoad dying = new RedisSharedLoad(vertx, connector, Duration.ofMillis(900), System::currentTimeMillis);
                RedisSharedLoad other = new RedisSharedLoad(vertx, connector, Duration.ofMillis(900), System::currentTimeMillis);
                other.elsewhere("g", 0, 2); // the other instance follows the group
                dying.started("g", 1);
                dying.started("g", 1);
                dying.started("g", 0);
                Poll.until(Duration.ofSeconds(3), "seen elsewhere", () -> other.elsewhere("g", 1, 2) == 2 && other.elsewhere("g", 0, 2) == 1);
                assertThat(dying.elsewhere("g", 1, 2)).isZero(); // its own leases are not "elsewhere"
                dying.ended("g", 0);
                Poll.until(Duration.ofSeconds(3), "an ended lease removed", () -> other.elsewhere("g", 0, 2) == 0);
                // renewed past the lease time while the instance lives
                long until = System.currentTimeMillis() + 2_000;
                while (System.currentTimeMillis() < until) {
                    assertThat(other.elsewhere("g", 1, 2)).isEqualTo(2);
                    Thread.sleep(50); // sampling a value that must not change: there is nothing to poll for
                }
                dying.close(); // as if killed: no more renewals, its requests never end
                Poll.until(Duration.ofSeconds(5), "lapsed", () -> other.elsewhere("g", 1, 2) == 0);
                assertThat(dying.live()).isEqualTo(2);

                RedisSharedLoad third = new RedisSharedLoad(vertx, connector, Duration.ofMillis(900), System::currentTimeMillis);
                other.started("g", 0);
                Poll.until(Duration.ofSeconds(3), "seen by a third", () -> third.elsewhere("g", 0, 2) == 1);
                redis.stop();
                Poll.until(Duration.ofSeconds(10), "Redis seen down", () -> {
                    other.started("g", 1); // calls that fail mark Redis down
                    return connector.down();
                });
                assertThat(third.elsewhere("g", 0, 2)).isZero(); // picks go by the instance's own counts
                third.close();
                other.close();
                connector.close();
            } finally {
                vertx.close();
            }
        }
    }
}
