package io.bricksllm.metering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.testing.Events;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An upstream that reports absurd usage (10^15 tokens, negative, non-numeric, beyond a long) is never charged
 * as reported: the key's spend stays bounded, the event and {@code /metrics} record the anomaly, and the key
 * keeps working. Every dialect and both response shapes (JSON and SSE).
 */
class AbsurdUsageTest {
    static final String OPENAI_CHAT = "/api/providers/openai/v1/chat/completions";
    static final String MESSAGES = "/api/providers/anthropic/v1/messages";
    static final long ABSURD = 1_000_000_000_000_000L;
    /** gpt-4o-mini and claude-3-5-haiku: a few hundred tokens cost well under a tenth of a cent. */
    static final double LIMIT_USD = 0.01;
    static final String OPENAI_BODY = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final String OPENAI_STREAM = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":50,\"stream\":true,"
            + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final String ANTHROPIC_BODY = "{\"model\":\"claude-3-5-haiku-20241022\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final String ANTHROPIC_STREAM = "{\"model\":\"claude-3-5-haiku-20241022\",\"max_tokens\":50,\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    static MockUpstream openai;
    static MockUpstream anthropic;
    static TestGateway gw;
    static ProxyClient proxy;
    /** Setting id by provider. */
    static Map<String, String> settings;

    @BeforeAll
    static void start() {
        openai = new MockUpstream();
        anthropic = new MockUpstream();
        gw = TestGateway.start();
        String o = gw.admin.createSetting("openai", Map.of("apikey", "sk", "url", openai.url("/v1")));
        String a = gw.admin.createSetting("anthropic", Map.of("apikey", "sk-ant", "url", anthropic.url("/v1")));
        proxy = new ProxyClient(gw.proxyUrl());
        settings = Map.of("openai", o, "anthropic", a);
    }

    @AfterAll
    static void stop() {
        gw.close();
        openai.close();
        anthropic.close();
    }

    /** A key of its own per test, with a one-cent budget. */
    static String key(String name, String provider) {
        return gw.admin.createKey("{\"name\":\"" + name + "\",\"key\":\"" + name + "\",\"costLimitInUsd\":" + LIMIT_USD
                + ",\"settingIds\":[\"" + settings.get(provider) + "\"]}").get("keyId").asText();
    }

    @Test
    void openAiJsonAndStreamReportingTenToTheFifteenAreChargedBounded() {
        absurdJsonThenStream("openai", OPENAI_CHAT, OPENAI_BODY, OPENAI_STREAM,
                MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", ABSURD, ABSURD)),
                MockUpstream.Reply.sse(Fixtures.chatStream("gpt-4o-mini", List.of("a", "b"), ABSURD, ABSURD, true)));
    }

    @Test
    void anthropicJsonAndStreamReportingTenToTheFifteenAreChargedBounded() {
        absurdJsonThenStream("anthropic", MESSAGES, ANTHROPIC_BODY, ANTHROPIC_STREAM,
                MockUpstream.Reply.json(200, Fixtures.anthropicMessage("claude-3-5-haiku-20241022", "ok", ABSURD, ABSURD, ABSURD, ABSURD)),
                MockUpstream.Reply.sse(Fixtures.anthropicStream("claude-3-5-haiku-20241022", List.of("a", "b"), ABSURD, ABSURD)));
    }

    /** A JSON answer and a stream both claiming 10^15 tokens, on a one-cent key of the provider. */
    static void absurdJsonThenStream(String provider, String path, String body, String streamBody, MockUpstream.Reply json,
                                     MockUpstream.Reply sse) {
        String key = provider + "-absurd";
        String keyId = key(key, provider);
        upstream(provider).on("POST", upstreamPath(provider), r -> r.bodyText().contains("\"stream\":true") ? sse : json);
        assertThat(proxy.postJson(path, key, body).status()).isEqualTo(200);
        ProxyClient.Reply streamed = proxy.postJson(path, key, streamBody);
        assertThat(streamed.status()).as("the stream is still admitted").isEqualTo(200);
        assertThat(streamed.text()).contains("\"usage\"");

        assertBounded(Events.await(gw.admin, keyId, 2), 50);
        stillAdmitted(provider, path, key, body, keyId);
    }

    static MockUpstream upstream(String provider) {
        return provider.equals("openai") ? openai : anthropic;
    }

    static String upstreamPath(String provider) {
        return provider.equals("openai") ? "/v1/chat/completions" : "/v1/messages";
    }

    @Test
    void negativeTextualAndOverflowingCountsAreAnomaliesNotZeroNorLostUsage() {
        String keyId = key("openai-garbled", "openai");
        String negative = usageBody("\"prompt_tokens\":-5,\"completion_tokens\":3");
        String textual = usageBody("\"prompt_tokens\":\"12\",\"completion_tokens\":3");
        String overflow = usageBody("\"prompt_tokens\":12,\"completion_tokens\":123456789012345678901234567890");
        for (String body : List.of(negative, textual, overflow)) {
            openai.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, body));
            assertThat(proxy.postJson(OPENAI_CHAT, "openai-garbled", OPENAI_BODY).status()).isEqualTo(200);
        }
        List<JsonNode> events = Events.await(gw.admin, keyId, 3);
        assertBounded(events, 50);
        assertThat(events).extracting(e -> e.get("usageAnomaly").asText())
                .containsExactlyInAnyOrder("prompt_tokens:unreadable", "prompt_tokens:unreadable", "completion_tokens:unreadable");
        // the gateway's own count replaces an unreadable figure: the prompt "hi" is a few tokens, never 0
        assertThat(events).allSatisfy(e -> assertThat(e.get("prompt_token_count").asLong()).isBetween(1L, 50L));
    }

    @Test
    void aFailedRouteAttemptReportingTenToTheFifteenIsNotChargedAndAStepsRaisedCapIsHonoured() {
        String keyId = key("route-absurd", "openai");
        String path = "/absurd-route";
        assertThat(gw.admin.post("/api/routes", "{\"name\":\"n\",\"path\":\"" + path + "\",\"keyIds\":[\"" + keyId + "\"],"
                + "\"steps\":[{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\",\"retries\":0,\"timeout\":\"5s\"},"
                + "{\"provider\":\"openai\",\"model\":\"gpt-4o\",\"retries\":0,\"timeout\":\"5s\",\"requestParams\":{\"max_tokens\":400}}],"
                + "\"cacheConfig\":{\"enabled\":false}}").status()).isEqualTo(200);
        openai.on("POST", "/v1/chat/completions", r -> r.bodyText().contains("gpt-4o-mini")
                ? MockUpstream.Reply.json(500, "{\"error\":{\"message\":\"boom\"},\"usage\":{\"prompt_tokens\":" + ABSURD
                        + ",\"completion_tokens\":" + ABSURD + "}}")
                : MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o", "ok", 8, 300)));
        String body = "{\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        for (int i = 0; i < 2; i++) {
            assertThat(proxy.postJson("/api/routes" + path, "route-absurd", body).status()).as("request %d", i).isEqualTo(200);
        }
        List<JsonNode> failed = Events.awaitMatching(gw.admin, keyId, e -> e.get("status").asInt() == 500, 2);
        assertThat(failed).allSatisfy(e -> {
            assertThat(e.get("usageAnomaly").asText()).isEqualTo("prompt_tokens:above_bound,completion_tokens:above_bound");
            assertThat(e.get("cost_in_usd").asDouble()).isZero();
        });
        // the answering step raised the caller's max_tokens 50 to 400: its 300 tokens are plausible and charged
        List<JsonNode> answered = Events.awaitMatching(gw.admin, keyId, e -> e.get("status").asInt() == 200, 2);
        assertThat(answered).allSatisfy(e -> {
            assertThat(e.has("usageAnomaly")).isFalse();
            assertThat(e.get("completion_token_count").asLong()).isEqualTo(300);
        });
    }

    static String usageBody(String usage) {
        return "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],\"usage\":{" + usage + "}}";
    }

    /** Each event flags the anomaly, holds plausible counts and a cost far below the key's budget. */
    static void assertBounded(List<JsonNode> events, long maxTokens) {
        double spent = 0;
        for (JsonNode e : events) {
            assertThat(e.path("usageAnomaly").asText()).as("anomaly of %s", e).isNotEmpty();
            assertThat(e.get("prompt_token_count").asLong()).isBetween(0L, 1_000L);
            assertThat(e.get("completion_token_count").asLong()).isBetween(0L, maxTokens);
            spent += e.get("cost_in_usd").asDouble();
        }
        assertThat(spent).isGreaterThan(0).isLessThan(LIMIT_USD / 10);
    }

    /** The key still serves a normal request, which records no anomaly; /metrics counts the anomalies. */
    static void stillAdmitted(String provider, String path, String key, String body, String keyId) {
        upstream(provider).on("POST", upstreamPath(provider), MockUpstream.Reply.json(200,
                provider.equals("openai") ? Fixtures.chatCompletion("gpt-4o-mini", "ok", 8, 1)
                        : Fixtures.anthropicMessage("claude-3-5-haiku-20241022", "ok", 8, 1, 0, 0)));
        assertThat(proxy.postJson(path, key, body).status()).as("the next request is admitted").isEqualTo(200);
        JsonNode normal = Events.awaitMatching(gw.admin, keyId, e -> !e.has("usageAnomaly"), 1).get(0);
        assertThat(normal.get("prompt_token_count").asLong()).isEqualTo(8);
        assertThat(normal.get("completion_token_count").asLong()).isEqualTo(1);
        assertThat(anomalies(provider)).isGreaterThanOrEqualTo(2.0);
    }

    static double anomalies(String provider) {
        String text = gw.admin.get("/metrics").body();
        Matcher m = Pattern.compile("(?m)^bricksllm_usage_anomalies_total\\{provider=\"" + provider + "\",?} (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
