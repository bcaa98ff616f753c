package io.bricksllm.proxy.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import io.bricksllm.testing.Events;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The unified endpoint's wiring at the HTTP level: target choice, translation both ways, failover, refusals. */
class UnifiedWiringTest {
    static MockUpstream upstream;
    static TestGateway gw;
    static ProxyClient proxy;
    static String keyId;
    static String loggingKeyId;
    static final String CLAUDE = "claude-3-5-haiku-20241022";

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        String a = gw.admin.createSetting("anthropic", Map.of("apikey", "sk-ant", "url", upstream.url("/anthropic/v1")));
        String o = gw.admin.createSetting("openai", Map.of("apikey", "sk-oai", "url", upstream.url("/openai/v1")));
        keyId = gw.admin.createKey("{\"name\":\"u\",\"key\":\"gw-unified\",\"settingIds\":[\"" + a + "\",\"" + o + "\"]}").get("keyId").asText();
        loggingKeyId = gw.admin.createKey("{\"name\":\"l\",\"key\":\"gw-unified-logged\",\"shouldLogResponse\":true,"
                + "\"costLimitInUsd\":5,\"settingIds\":[\"" + a + "\",\"" + o + "\"]}").get("keyId").asText();
        proxy = new ProxyClient(gw.proxyUrl());
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

    static String chat(String model, String extra) {
        return "{\"model\":\"" + model + "\"" + extra + ",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    @Test
    void anthropicJsonIsTranslatedBothWaysAndMeteredWithAnthropicPrices() {
        upstream.on("POST", "/anthropic/v1/messages", MockUpstream.Reply.json(200, Fixtures.anthropicMessage(CLAUDE, "Hello!", 10, 5, 0, 0)));
        ProxyClient.Reply r = proxy.postJson("/v1/chat/completions", "gw-unified", chat("anthropic/" + CLAUDE, ""));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode body = Json.MAPPER.valueToTree(Json.read(r.text(), Map.class));
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("choices").get(0).path("message").path("content").asText()).isEqualTo("Hello!");
        assertThat(body.path("usage").path("prompt_tokens").asLong()).isEqualTo(10);
        JsonNode sent = Json.MAPPER.valueToTree(Json.read(upstream.last().bodyText(), Map.class));
        assertThat(sent.path("model").asText()).isEqualTo(CLAUDE);
        assertThat(sent.path("system").toString()).contains("Be brief.");
        assertThat(sent.has("max_tokens")).isTrue();
        assertThat(upstream.last().header("x-api-key")).isEqualTo("sk-ant");
        assertThat(upstream.last().header("Authorization")).isNull();
        JsonNode e = Events.awaitMatching(gw.admin, keyId, ev -> ev.path("model").asText().equals(CLAUDE)
                && ev.path("completion_token_count").asLong() == 5, 1).get(0);
        assertThat(e.path("provider").asText()).isEqualTo("anthropic");
        assertThat(e.path("prompt_token_count").asLong()).isEqualTo(10);
        assertThat(e.path("cost_in_usd").asDouble()).isGreaterThan(0);
    }

    @Test
    void anthropicStreamBecomesOpenAiChunksWithUsage() {
        upstream.on("POST", "/anthropic/v1/messages", MockUpstream.Reply.sse(Fixtures.anthropicStream(CLAUDE, List.of("Hel", "lo"), 12, 7)));
        ProxyClient.Reply r = proxy.postJson("/v1/chat/completions", "gw-unified",
                chat("anthropic/" + CLAUDE, ",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(r.text()).contains("chat.completion.chunk").contains("\"content\":\"Hel\"").contains("\"prompt_tokens\":12")
                .endsWith("data: [DONE]\n\n");
    }

    @Test
    void openAiTargetGetsTheBareModelAndNoModelsField() {
        upstream.on("POST", "/openai/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 3, 1)));
        ProxyClient.Reply r = proxy.postJson("/v1/chat/completions", "gw-unified", chat("openai/gpt-4o-mini", ""));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(upstream.last().bodyText()).contains("\"model\":\"gpt-4o-mini\"").doesNotContain("models");
        assertThat(upstream.last().header("Authorization")).isEqualTo("Bearer sk-oai");
    }

    @Test
    void modelsListFailsOverFromA500ToAnthropic() {
        upstream.on("POST", "/openai/v1/chat/completions", MockUpstream.Reply.json(500, "{\"error\":{\"message\":\"boom\"}}"));
        upstream.on("POST", "/anthropic/v1/messages", MockUpstream.Reply.json(200, Fixtures.anthropicMessage(CLAUDE, "saved", 4, 2, 0, 0)));
        ProxyClient.Reply r = proxy.postJson("/v1/chat/completions", "gw-unified",
                chat("openai/gpt-4o-mini", ",\"models\":[\"anthropic/" + CLAUDE + "\"]"));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.text()).contains("saved").contains("chat.completion");
        assertThat(upstream.received()).hasSize(2);
        assertThat(upstream.received().get(0).bodyText()).doesNotContain("\"models\"");
    }

    @Test
    void refusalsNameTheProblem() {
        ProxyClient.Reply unknown = proxy.postJson("/v1/chat/completions", "gw-unified", chat("nope/x", ""));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.text()).contains("anthropic").contains("gemini").contains("\"error\"");
        ProxyClient.Reply noSetting = proxy.postJson("/v1/chat/completions", "gw-unified", chat("gemini/gemini-2.5-flash", ""));
        assertThat(noSetting.status()).isEqualTo(401);
        ProxyClient.Reply n2 = proxy.postJson("/v1/chat/completions", "gw-unified", chat("anthropic/" + CLAUDE, ",\"n\":2"));
        assertThat(n2.status()).isEqualTo(400);
        assertThat(n2.text()).contains("'n'").contains("anthropic");
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void anthropicErrorsKeepTheirStatusInOpenAisShape() {
        upstream.on("POST", "/anthropic/v1/messages", MockUpstream.Reply.json(429,
                "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}"));
        ProxyClient.Reply r = proxy.postJson("/v1/chat/completions", "gw-unified", chat("anthropic/" + CLAUDE, ""));
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.text()).contains("\"error\"").contains("slow down");
    }

    @Test
    void modelsListsWhatTheKeyMayCall() {
        ProxyClient.Reply r = proxy.get("/v1/models", "gw-unified");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).contains("\"object\":\"list\"").contains("anthropic/claude").contains("openai/gpt-4o-mini");
    }

    @Test
    void aTranslatedAnswerIsLoggedAsTheCallerGotIt() {
        upstream.on("POST", "/anthropic/v1/messages", MockUpstream.Reply.sse(Fixtures.anthropicStream(CLAUDE, List.of("lo", "gged"), 3, 2)));
        ProxyClient.Reply r = proxy.postJson("/v1/chat/completions", "gw-unified-logged", chat("anthropic/" + CLAUDE, ",\"stream\":true"));
        assertThat(r.status()).isEqualTo(200);
        JsonNode e = Events.await(gw.admin, loggingKeyId, 1).get(0);
        String logged = new String(java.util.Base64.getDecoder().decode(e.path("response").asText()), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(logged).isEqualTo(r.text()).contains("chat.completion.chunk").doesNotContain("message_start");
    }

    /** Regression: a models list left the exchange without a provider, which the budget estimate of a limited key read. */
    @Test
    void aBudgetedKeyCanUseAModelsList() {
        upstream.on("POST", "/openai/v1/chat/completions", MockUpstream.Reply.json(503, "{\"error\":{\"message\":\"busy\"}}"));
        upstream.on("POST", "/anthropic/v1/messages", MockUpstream.Reply.json(200, Fixtures.anthropicMessage(CLAUDE, "budgeted", 4, 2, 0, 0)));
        ProxyClient.Reply r = proxy.postJson("/v1/chat/completions", "gw-unified-logged",
                chat("openai/gpt-4o-mini", ",\"models\":[\"anthropic/" + CLAUDE + "\"]"));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.text()).contains("budgeted");
    }
}
