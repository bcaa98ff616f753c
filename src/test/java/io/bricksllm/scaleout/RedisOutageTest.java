package io.bricksllm.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.limits.RedisConnector;
import io.bricksllm.store.Json;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.Poll;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.ScaleOut;
import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestGateway;
import io.bricksllm.testing.TestRedis;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Redis stops while two instances serve: each applies its configured failure policy — by default budgets fail
 * closed (a 503 JSON error, quickly) and rate limits fail open (served) — logs it once, shows it on
 * {@code /metrics}, and recovers by itself when Redis is back on the same port, without a restart.
 */
class RedisOutageTest {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    static final String BODY = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    /** REDIS_READ_TIME_OUT's default: the longest a call to a Redis that does not answer may take. */
    static final Duration REDIS_TIMEOUT = Duration.ofSeconds(1);

    @Test
    void redisDownRefusesBudgetedKeysWith503ServesRateLimitedKeysAndRecoversWhenRedisReturns() throws Exception {
        ListAppender<ILoggingEvent> logs = capture();
        try (TestRedis redis = TestRedis.start(); MockUpstream upstream = new MockUpstream();
             ScaleOut cluster = new ScaleOut(TestDatabases.freshPostgres(), redis.port())) {
            upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 5, 5)));
            // the defaults (budgets fail closed, rate limits fail open), and the opposite choice
            TestGateway byDefault = cluster.start(Map.of("REDIS_READ_TIME_OUT", REDIS_TIMEOUT.toSeconds() + "s"));
            TestGateway inverted = cluster.start(Map.of("REDIS_READ_TIME_OUT", REDIS_TIMEOUT.toSeconds() + "s",
                    "RATE_LIMIT_FAILURE_POLICY", "fail_closed", "BUDGET_FAILURE_POLICY", "fail_open"));
            String s = byDefault.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1")));
            String budgeted = byDefault.admin.createKey("{\"name\":\"b\",\"key\":\"budgeted\",\"settingIds\":[\"" + s
                    + "\"],\"costLimitInUsd\":5}").get("keyId").asText();
            String rated = byDefault.admin.createKey("{\"name\":\"r\",\"key\":\"rated\",\"settingIds\":[\"" + s
                    + "\"],\"rateLimitOverTime\":10000,\"rateLimitUnit\":\"h\"}").get("keyId").asText();
            Poll.until(Duration.ofSeconds(5), "keys known to the second instance", () ->
                    inverted.gateway().liveConfig().current().keysById().keySet().containsAll(java.util.List.of(budgeted, rated)));
            ProxyClient one = new ProxyClient(byDefault.proxyUrl());
            ProxyClient two = new ProxyClient(inverted.proxyUrl());
            Poll.until(Duration.ofSeconds(15), "spend counters seeded into Redis at start-up",
                    () -> one.postJson(CHAT, "budgeted", BODY).status() == 200 && two.postJson(CHAT, "budgeted", BODY).status() == 200);
            assertThat(one.postJson(CHAT, "rated", BODY).status()).isEqualTo(200);
            assertThat(two.postJson(CHAT, "rated", BODY).status()).isEqualTo(200);

            redis.stop();

            long slowestMs = 0;
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                ProxyClient.Reply refused = one.postJson(CHAT, "budgeted", BODY);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                slowestMs = Math.max(slowestMs, ms);
                assertThat(refused.status()).as("budget fails closed by default").isEqualTo(503);
                assertThat(refused.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct).contains("application/json"));
                JsonNode error = Json.MAPPER.readTree(refused.text()).get("error");
                assertThat(error.get("message").asText()).contains("unavailable");
                assertThat(ms).as("503 after %d ms", ms).isLessThan(2 * REDIS_TIMEOUT.toMillis() + 1_000);
            }
            assertThat(one.postJson(CHAT, "rated", BODY).status()).as("rate limits fail open by default").isEqualTo(200);
            assertThat(two.postJson(CHAT, "budgeted", BODY).status()).as("BUDGET_FAILURE_POLICY=fail_open").isEqualTo(200);
            long t0 = System.nanoTime();
            ProxyClient.Reply rateClosed = two.postJson(CHAT, "rated", BODY);
            long rateClosedMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(rateClosed.status()).as("RATE_LIMIT_FAILURE_POLICY=fail_closed").isEqualTo(503);
            assertThat(rateClosed.text()).contains("\"error\"");

            String metrics = byDefault.admin.get("/metrics").body();
            // admission of every limit kind is one store call ("limits"); "budget" is the spend ledger's reads and seeding
            double budgetFailures = sample(metrics, "bricksllm_limits_store_failures_total", "limits");
            double rateFailures = budgetFailures;
            double admittedOpen = sample(metrics, "bricksllm_limits_admitted_while_down_total", "limits");
            assertThat(budgetFailures).as("5 budgeted and 1 rate-limited admission failed").isGreaterThanOrEqualTo(6);
            assertThat(admittedOpen).as("the rate-limited one admitted by its policy").isGreaterThanOrEqualTo(1);
            assertThat(sample(metrics, "bricksllm_limits_store_down", "limits")).isEqualTo(1);
            assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                    .contains("unavailable").contains("rate limits admit requests").contains("budgets refuse requests (503)"));
            assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                    .contains("unavailable").contains("rate limits refuse requests (503)").contains("budgets admit requests"));
            System.out.printf("Redis down: budgeted key 503 in at most %d ms (5 tries), rate-limited key 200 (fail-open), "
                            + "fail_closed rate limit 503 in %d ms; /metrics: store_failures budget=%.0f rate_limit=%.0f, admitted_while_down=%.0f%n",
                    slowestMs, rateClosedMs, budgetFailures, rateFailures, admittedOpen);

            redis.restart(); // empty, as a Redis restarted without persistence
            long t1 = System.nanoTime();
            Duration recovered = Poll.until(Duration.ofSeconds(20), "budgeted key served again on the default instance",
                    () -> one.postJson(CHAT, "budgeted", BODY).status() == 200);
            Poll.until(Duration.ofSeconds(10), "rate limit counted again on the fail-closed instance",
                    () -> two.postJson(CHAT, "rated", BODY).status() == 200);
            long allBackMs = (System.nanoTime() - t1) / 1_000_000;
            String after = byDefault.admin.get("/metrics").body();
            assertThat(sample(after, "bricksllm_limits_store_down", "limits")).isEqualTo(0);
            assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("available again"));
            System.out.printf("Redis back (empty): budgeted key 200 again after %d ms, both instances after %d ms, no restart%n",
                    recovered.toMillis(), allBackMs);
        } finally {
            ((Logger) LoggerFactory.getLogger(RedisConnector.class)).detachAppender(logs);
        }
    }

    @Test
    void aRedisThatStopsAnsweringCostsAtMostTheReadTimeoutNeverAHang() throws Exception {
        try (TestRedis redis = TestRedis.start(); MockUpstream upstream = new MockUpstream();
             ScaleOut cluster = new ScaleOut(TestDatabases.freshPostgres(), redis.port())) {
            upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 5, 5)));
            TestGateway gw = cluster.start(Map.of("REDIS_READ_TIME_OUT", REDIS_TIMEOUT.toSeconds() + "s"));
            String s = gw.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1")));
            gw.admin.createKey("{\"name\":\"b\",\"key\":\"budgeted\",\"settingIds\":[\"" + s + "\"],\"costLimitInUsd\":5}");
            gw.admin.createKey("{\"name\":\"r\",\"key\":\"rated\",\"settingIds\":[\"" + s
                    + "\"],\"rateLimitOverTime\":10000,\"rateLimitUnit\":\"h\"}");
            ProxyClient proxy = new ProxyClient(gw.proxyUrl());
            Poll.until(Duration.ofSeconds(15), "spend counters seeded at start-up", () -> proxy.postJson(CHAT, "budgeted", BODY).status() == 200);
            assertThat(proxy.postJson(CHAT, "rated", BODY).status()).isEqualTo(200);

            // Redis keeps its connections open but answers nobody for 4 s
            // (CLIENT PAUSE is in force once it has answered: no guessed wait for a DEBUG SLEEP to begin)
            assertThat(redis.command("CLIENT", "PAUSE", "4000", "ALL")).isEqualTo("+OK");

            long t0 = System.nanoTime();
            ProxyClient.Reply budgeted = proxy.postJson(CHAT, "budgeted", BODY);
            long budgetedMs = (System.nanoTime() - t0) / 1_000_000;
            t0 = System.nanoTime();
            ProxyClient.Reply rated = proxy.postJson(CHAT, "rated", BODY);
            long ratedMs = (System.nanoTime() - t0) / 1_000_000;
            Duration back = Poll.until(Duration.ofSeconds(20), "budgeted key served after Redis answers again",
                    () -> proxy.postJson(CHAT, "budgeted", BODY).status() == 200);
            System.out.printf("Redis frozen (CLIENT PAUSE 4 s): budgeted key %d after %d ms, rate-limited key %d after %d ms "
                    + "(read timeout %d ms); served again %d ms after Redis woke up%n", budgeted.status(), budgetedMs, rated.status(),
                    ratedMs, REDIS_TIMEOUT.toMillis(), back.toMillis());
            assertThat(budgeted.status()).isEqualTo(503);
            assertThat(budgeted.text()).contains("\"error\"");
            assertThat(budgetedMs).isLessThan(REDIS_TIMEOUT.toMillis() + 1_500);
            assertThat(rated.status()).isEqualTo(200);
            assertThat(ratedMs).isLessThan(REDIS_TIMEOUT.toMillis() + 1_500);
        }
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(RedisConnector.class)).addAppender(appender);
        return appender;
    }

    /** The value of {@code name{store="<store>"}} in Prometheus text; fails when absent. */
    static double sample(String text, String name, String store) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)} (\\S+)$").matcher(text);
        while (m.find()) {
            if (m.group(1).contains("store=\"" + store + "\"")) return Double.parseDouble(m.group(2));
        }
        throw new AssertionError(name + "{store=\"" + store + "\"} not on /metrics");
    }
}
