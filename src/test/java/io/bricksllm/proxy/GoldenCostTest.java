package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.testing.Events;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Known usage × known price = the exact cost_in_usd of the event, per provider, streaming and not.
 * Prices (USD per million tokens) from the bundled genai-prices data: gpt-4o-mini 0.15 / 0.60;
 * claude-3-5-sonnet 3 / 15, cache read 0.30, cache write 3.75.
 */
class GoldenCostTest {
    static final double EXACT = 1e-12;
    static MockUpstream upstream;
    static TestGateway gw;
    static ProxyClient proxy;
    static String openai;
    static String anthropic;
    static final AtomicInteger keys = new AtomicInteger();

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        proxy = new ProxyClient(gw.proxyUrl());
        openai = gw.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1")));
        anthropic = gw.admin.createSetting("anthropic", Map.of("apikey", "sk", "url", upstream.url("/anthropic/v1")));
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    /** A fresh key per test so that its events are its own; returns {secret, keyId}. */
    static String[] key(String settingId) {
        String secret = "golden-" + keys.incrementAndGet();
        String id = gw.admin.createKey("{\"name\":\"g\",\"key\":\"" + secret + "\",\"settingIds\":[\"" + settingId + "\"]}").get("keyId").asText();
        return new String[] {secret, id};
    }

    @Test
    void nonStreamingChatCostIsUsageTimesPrice() {
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini-2024-07-18", "ok", 1200, 300)));
        String[] k = key(openai);
        proxy.postJson("/api/providers/openai/v1/chat/completions", k[0], "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        JsonNode e = Events.single(gw.admin, k[1]);
        assertThat(e.get("prompt_token_count").asLong()).isEqualTo(1200);
        assertThat(e.get("completion_token_count").asLong()).isEqualTo(300);
        assertThat(e.get("cost_in_usd").asDouble()).isCloseTo(1200 * 0.15e-6 + 300 * 0.60e-6, within(EXACT));
        assertThat(e.get("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(e.get("provider").asText()).isEqualTo("openai");
        assertThat(e.get("status").asInt()).isEqualTo(200);
        assertThat(e.get("unpriced").asBoolean()).isFalse();
    }

    @Test
    void streamingChatCostComesFromTheUsageChunkTheGatewayAskedFor() {
        upstream.on("POST", "/v1/chat/completions", r -> MockUpstream.Reply.sse(Fixtures.chatStream("gpt-4o-mini",
                List.of("a", "b", "c"), 900, 30, r.bodyText().contains("\"include_usage\":true"))));
        String[] k = key(openai);
        proxy.postJson("/api/providers/openai/v1/chat/completions", k[0],
                "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        JsonNode e = Events.single(gw.admin, k[1]);
        assertThat(e.get("prompt_token_count").asLong()).isEqualTo(900);
        assertThat(e.get("completion_token_count").asLong()).isEqualTo(30);
        assertThat(e.get("cost_in_usd").asDouble()).isCloseTo(900 * 0.15e-6 + 30 * 0.60e-6, within(EXACT));
    }

    @Test
    void streamWithoutUsageFallsBackToCountingTokens() {
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.sse(Fixtures.chatStream("gpt-4o-mini",
                List.of("Hello", " world"), 0, 0, false)));
        String[] k = key(openai);
        proxy.postJson("/api/providers/openai/v1/chat/completions", k[0],
                "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        JsonNode e = Events.single(gw.admin, k[1]);
        // o200k_base: "Hello world" is 2 tokens; the prompt by OpenAI's message formula: 3 + (1 + 1 + 3) = 8
        assertThat(e.get("completion_token_count").asLong()).isEqualTo(2);
        assertThat(e.get("prompt_token_count").asLong()).isEqualTo(8);
        assertThat(e.get("cost_in_usd").asDouble()).isCloseTo(8 * 0.15e-6 + 2 * 0.60e-6, within(EXACT));
    }

    @Test
    void unpricedModelCostsNothingAndIsFlagged() {
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("no-such-model-x", "ok", 10, 10)));
        String[] k = key(openai);
        proxy.postJson("/api/providers/openai/v1/chat/completions", k[0], "{\"model\":\"no-such-model-x\",\"messages\":[]}");
        JsonNode e = Events.single(gw.admin, k[1]);
        assertThat(e.get("cost_in_usd").asDouble()).isZero();
        assertThat(e.get("unpriced").asBoolean()).isTrue();
    }

    @Test
    void settingCostMapOverridesThePriceBook() {
        String s = gw.admin.put("/api/provider-settings", "{\"provider\":\"openai\",\"setting\":{\"apikey\":\"sk\",\"url\":\"" + upstream.url("/v1")
                + "\"},\"costMap\":{\"promptCostPerModel\":{\"gpt-4o-mini\":1.0},\"completionCostPerModel\":{\"gpt-4o-mini\":2.0}}}").json().get("id").asText();
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 1200, 300)));
        String[] k = key(s);
        proxy.postJson("/api/providers/openai/v1/chat/completions", k[0], "{\"model\":\"gpt-4o-mini\",\"messages\":[]}");
        JsonNode e = Events.single(gw.admin, k[1]);
        assertThat(e.get("cost_in_usd").asDouble()).isCloseTo(1200 * 1.0 / 1000 + 300 * 2.0 / 1000, within(EXACT));
    }

    @Test
    void anthropicMessagesWithCacheTokens() {
        upstream.on("POST", "/anthropic/v1/messages", MockUpstream.Reply.json(200,
                Fixtures.anthropicMessage("claude-3-5-sonnet-20241022", "ok", 10, 5, 100, 50)));
        String[] k = key(anthropic);
        proxy.send("POST", "/api/providers/anthropic/v1/messages", Map.of("x-api-key", k[0], "Content-Type", "application/json"),
                "{\"model\":\"claude-3-5-sonnet-20241022\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes());
        JsonNode e = Events.single(gw.admin, k[1]);
        assertThat(e.get("prompt_token_count").asLong()).isEqualTo(160);
        assertThat(e.get("completion_token_count").asLong()).isEqualTo(5);
        assertThat(e.get("cost_in_usd").asDouble()).isCloseTo(10 * 3e-6 + 100 * 0.30e-6 + 50 * 3.75e-6 + 5 * 15e-6, within(EXACT));
    }

    @Test
    void anthropicStreamTakesInputFromMessageStartAndOutputFromTheLastDelta() {
        upstream.on("POST", "/anthropic/v1/messages", MockUpstream.Reply.sse(Fixtures.anthropicStream("claude-3-5-sonnet-20241022", List.of("a", "b"), 12, 7)));
        String[] k = key(anthropic);
        proxy.send("POST", "/api/providers/anthropic/v1/messages", Map.of("Authorization", "Bearer " + k[0], "Content-Type", "application/json"),
                "{\"model\":\"claude-3-5-sonnet-20241022\",\"max_tokens\":10,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes());
        JsonNode e = Events.single(gw.admin, k[1]);
        assertThat(e.get("prompt_token_count").asLong()).isEqualTo(12);
        assertThat(e.get("completion_token_count").asLong()).isEqualTo(7);
        assertThat(e.get("cost_in_usd").asDouble()).isCloseTo(12 * 3e-6 + 7 * 15e-6, within(EXACT));
    }

    @Test
    void embeddingsArePricedByInputTokens() {
        upstream.on("POST", "/v1/embeddings", MockUpstream.Reply.json(200, Fixtures.embeddings("text-embedding-3-small", 5000)));
        String[] k = key(openai);
        proxy.postJson("/api/providers/openai/v1/embeddings", k[0], "{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}");
        JsonNode e = Events.single(gw.admin, k[1]);
        assertThat(e.get("cost_in_usd").asDouble()).isCloseTo(5000 * 0.02e-6, within(EXACT));
    }

    @Test
    void azureIsPricedByTheModelTheResponseReports() {
        String azure = gw.admin.createSetting("azure", Map.of("apikey", "k", "url", upstream.url("/az")));
        upstream.on("POST", "/az/openai/deployments/prod/chat/completions", MockUpstream.Reply.json(200,
                Fixtures.chatCompletion("gpt-4o-2024-08-06", "ok", 100, 50)));
        String[] k = key(azure);
        proxy.send("POST", "/api/providers/azure/openai/deployments/prod/chat/completions?api-version=2024-10-21",
                Map.of("api-key", k[0], "Content-Type", "application/json"), "{\"messages\":[]}".getBytes());
        JsonNode e = Events.single(gw.admin, k[1]);
        assertThat(e.get("model").asText()).isEqualTo("gpt-4o-2024-08-06");
        assertThat(e.get("cost_in_usd").asDouble()).isCloseTo(100 * 2.5e-6 + 50 * 10e-6, within(EXACT));
    }

    @Test
    void deepinfraEmbeddingsUseTheirPerMillionPrice() {
        String di = gw.admin.createSetting("deepinfra", Map.of("apikey", "k", "url", upstream.url("/di")));
        upstream.on("POST", "/di/embeddings", MockUpstream.Reply.json(200, Fixtures.embeddings("BAAI/bge-base-en-v1.5", 2000)));
        String[] k = key(di);
        proxy.postJson("/api/providers/deepinfra/v1/embeddings", k[0], "{\"model\":\"BAAI/bge-base-en-v1.5\",\"input\":\"x\"}");
        JsonNode e = Events.single(gw.admin, k[1]);
        assertThat(e.get("cost_in_usd").asDouble()).isCloseTo(2000 * 0.005e-6, within(EXACT));
    }

    @Test
    void customProvidersArePricedByTheirCostMapFromCountedTokens() {
        assertThat(gw.admin.post("/api/custom/providers", "{\"provider\":\"goldenllm\",\"route_configs\":[{\"path\":\"/gen\","
                + "\"target_url\":\"" + upstream.url("/gen") + "\",\"model_location\":\"model\",\"request_prompt_location\":\"prompt\","
                + "\"response_completion_location\":\"output\"}]}").status()).isEqualTo(200);
        String s = gw.admin.put("/api/provider-settings", "{\"provider\":\"goldenllm\",\"setting\":{},\"costMap\":{"
                + "\"promptCostPerModel\":{\"g-1\":1.0},\"completionCostPerModel\":{\"g-1\":2.0}}}").json().get("id").asText();
        upstream.on("POST", "/gen", MockUpstream.Reply.json(200, "{\"output\":\"hello world\"}"));
        String[] k = key(s);
        proxy.postJson("/api/custom/providers/goldenllm/gen", k[0], "{\"model\":\"g-1\",\"prompt\":\"hi there\"}");
        JsonNode e = Events.single(gw.admin, k[1]);
        // cl100k_base: "hi there" and "hello world" are 2 tokens each
        assertThat(e.get("prompt_token_count").asLong()).isEqualTo(2);
        assertThat(e.get("completion_token_count").asLong()).isEqualTo(2);
        assertThat(e.get("cost_in_usd").asDouble()).isCloseTo(2 * 1.0 / 1000 + 2 * 2.0 / 1000, within(EXACT));
    }

    @Test
    void anthropicLegacyCompleteWithoutUsageIsCountedNotFree() {
        upstream.on("POST", "/anthropic/v1/complete", MockUpstream.Reply.json(200,
                "{\"type\":\"completion\",\"completion\":\" Hello world\",\"stop_reason\":\"stop_sequence\",\"model\":\"claude-3-haiku-20240307\"}"));
        String[] k = key(anthropic);
        proxy.send("POST", "/api/providers/anthropic/v1/complete", Map.of("x-api-key", k[0], "Content-Type", "application/json"),
                "{\"model\":\"claude-3-haiku-20240307\",\"max_tokens_to_sample\":10,\"prompt\":\"\\n\\nHuman: hi\\n\\nAssistant:\"}".getBytes());
        JsonNode e = Events.single(gw.admin, k[1]);
        assertThat(e.get("prompt_token_count").asLong()).isPositive();
        assertThat(e.get("completion_token_count").asLong()).isPositive();
        assertThat(e.get("cost_in_usd").asDouble()).isPositive();
        assertThat(e.get("unpriced").asBoolean()).isFalse();
    }
}
