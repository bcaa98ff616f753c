package io.bricksllm.limits;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.Poll;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import io.bricksllm.testing.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Redis dies under traffic: the log gets one warning naming the cause (no stack trace), and one line when it is back —
 * not a warning per failed call or per component.
 */
class RedisOutageLogTest {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    static final String BODY = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void oneWarningWithTheCausePerOutageAndOneLineWhenRedisIsBack() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        try (TestRedis redis = TestRedis.start(); MockUpstream upstream = new MockUpstream();
             TestGateway gw = TestGateway.start(Map.of("REDIS_HOSTS", "127.0.0.1", "REDIS_PORT", String.valueOf(redis.port()),
                     "REDIS_READ_TIME_OUT", "1s"))) {
            upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 5, 5)));
            String s = gw.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1")));
            gw.admin.createKey("{\"name\":\"b\",\"key\":\"both\",\"settingIds\":[\"" + s
                    + "\"],\"costLimitInUsd\":5,\"rateLimitOverTime\":10000,\"rateLimitUnit\":\"h\"}");
            ProxyClient proxy = new ProxyClient(gw.proxyUrl());
            Poll.until(Duration.ofSeconds(15), "served with Redis up", () -> proxy.postJson(CHAT, "both", BODY).status() == 200);

            root.addAppender(logs);
            redis.stop();
            for (int i = 0; i < 6; i++) assertThat(proxy.postJson(CHAT, "both", BODY).status()).isEqualTo(503);
            gw.admin.get("/api/health/ready");
            Poll.pause(6_000); // the spend re-seeder retries every 5 s: its retries must not log either

            List<ILoggingEvent> warnings = logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
            warnings.forEach(e -> System.out.println("LOGGED " + e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()
                    + (e.getThrowableProxy() == null ? "" : " [stack trace " + e.getThrowableProxy().getClassName() + "]")));
            assertThat(warnings).singleElement().satisfies(w -> {
                assertThat(w.getLevel()).isEqualTo(Level.WARN);
                assertThat(w.getFormattedMessage()).contains("Redis").containsPattern("unavailable: \\S")
                        .contains("budgets refuse requests (503)");
                assertThat(w.getThrowableProxy()).as("no stack trace").isNull();
            });

            logs.list.clear();
            redis.restart();
            Poll.until(Duration.ofSeconds(20), "served again", () -> proxy.postJson(CHAT, "both", BODY).status() == 200);
            // (Redis came back empty: the re-seeder may say it rebuilt the counters, which is news, not noise)
            assertThat(logs.list).noneMatch(e -> e.getThrowableProxy() != null);
            assertThat(logs.list).filteredOn(e -> e.getFormattedMessage().contains("available again")).singleElement()
                    .satisfies(e -> assertThat(e.getLevel()).isEqualTo(Level.INFO));
        } finally {
            root.detachAppender(logs);
        }
    }
}
