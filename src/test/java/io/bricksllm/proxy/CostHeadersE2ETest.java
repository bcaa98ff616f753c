package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import io.bricksllm.testing.Events;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.TestGateway;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RESPONSE_COST_HEADERS seen by the official openai-java SDK: a JSON answer's x-bricksllm-* headers and a stream's
 * usage.cost carry the very figures of the request's event.
 */
class CostHeadersE2ETest {
    static final String CHAT = "/v1/chat/completions";
    static MockUpstream upstream;
    static TestGateway gw;
    static OpenAIClient sdk;
    static String keyId;
    static String unifiedKeyId;
    static OpenAIClient unified;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start(Map.of("RESPONSE_COST_HEADERS", "true"));
        String openai = gw.admin.createSetting("openai", Map.of("apikey", "sk-openai", "url", upstream.url("/v1")));
        keyId = gw.admin.createKey("{\"name\":\"c\",\"key\":\"cost-key\",\"settingIds\":[\"" + openai + "\"]}").get("keyId").asText();
        String anthropic = gw.admin.createSetting("anthropic", Map.of("apikey", "sk-ant", "url", upstream.url("/v1")));
        unifiedKeyId = gw.admin.createKey("{\"name\":\"u\",\"key\":\"unified-cost-key\",\"settingIds\":[\"" + anthropic + "\"]}")
                .get("keyId").asText();
        unified = OpenAIOkHttpClient.builder().apiKey("unified-cost-key").baseUrl(gw.proxyUrl() + "/v1").maxRetries(0).build();
        sdk = OpenAIOkHttpClient.builder().apiKey("cost-key").baseUrl(gw.proxyUrl() + "/api/providers/openai/v1").maxRetries(0).build();
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

    static JsonNode event(String customId) {
        return Events.awaitMatching(gw.admin, keyId, e -> e.get("custom_id").asText().equals(customId), 1).get(0);
    }

    static ChatCompletionCreateParams.Builder chat(String customId) {
        return ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage("hi").putAdditionalHeader("X-CUSTOM-EVENT-ID", customId);
    }

    @Test
    void aJsonAnswerCarriesTheCostAndTokensOfItsEventInHeaders() {
        upstream.on("POST", CHAT, MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o", "hello", 1200, 340)));
        HttpResponseFor<ChatCompletion> raw = sdk.chat().completions().withRawResponse().create(chat("json-1").build());
        assertThat(raw.statusCode()).isEqualTo(200);
        ChatCompletion answer = raw.parse();
        assertThat(answer.choices().get(0).message().content()).contains("hello"); // the body is whole after its headers

        JsonNode event = event("json-1");
        assertThat(raw.headers().values("x-bricksllm-prompt-tokens")).containsExactly("1200");
        assertThat(raw.headers().values("x-bricksllm-completion-tokens")).containsExactly("340");
        assertThat(event.get("prompt_token_count").asLong()).isEqualTo(1200);
        assertThat(event.get("completion_token_count").asLong()).isEqualTo(340);
        BigDecimal cost = new BigDecimal(raw.headers().values("x-bricksllm-cost-usd").get(0));
        assertThat(cost).isPositive();
        assertThat(cost.doubleValue()).isEqualTo(event.get("cost_in_usd").asDouble());
    }

    @Test
    void aStreamWhoseCallerAskedForUsageCarriesTheCostInItsUsageChunk() {
        upstream.on("POST", CHAT, MockUpstream.Reply.sse(Fixtures.chatStream("gpt-4o", List.of("a", "b"), 800, 120, true)));
        ChatCompletionCreateParams params = chat("stream-1")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        Optional<CompletionUsage> usage = Optional.empty();
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> s = sdk.chat().completions().createStreaming(params)) {
            for (ChatCompletionChunk c : (Iterable<ChatCompletionChunk>) s.stream()::iterator) {
                c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append));
                if (c.usage().isPresent()) usage = c.usage();
            }
        }
        assertThat(text.toString()).isEqualTo("ab");
        assertThat(usage).isPresent();
        assertThat(usage.get().promptTokens()).isEqualTo(800);
        assertThat(usage.get().completionTokens()).isEqualTo(120);
        JsonValue cost = usage.get()._additionalProperties().get("cost");
        assertThat(cost).as("usage.cost").isNotNull();
        double usd = ((Number) cost.asNumber().orElseThrow()).doubleValue();
        assertThat(usd).isPositive().isEqualTo(event("stream-1").get("cost_in_usd").asDouble());
    }

    @Test
    void aStreamWithoutUsageAskedGetsNoUsageChunk() {
        upstream.on("POST", CHAT, r -> MockUpstream.Reply.sse(Fixtures.chatStream("gpt-4o", List.of("a"), 10, 1,
                r.bodyText().contains("include_usage"))));
        ChatCompletionCreateParams params = chat("stream-2").build();
        boolean sawUsage = false;
        try (StreamResponse<ChatCompletionChunk> s = sdk.chat().completions().createStreaming(params)) {
            for (ChatCompletionChunk c : (Iterable<ChatCompletionChunk>) s.stream()::iterator) {
                sawUsage |= c.usage().isPresent();
            }
        }
        assertThat(sawUsage).isFalse(); // the gateway asked for it on its own behalf and took it out
        assertThat(event("stream-2").get("cost_in_usd").asDouble()).isPositive();
    }

    @Test
    void aTranslatedAnswerOfTheUnifiedEndpointCarriesTheHeadersToo() {
        upstream.on("POST", "/v1/messages", MockUpstream.Reply.json(200,
                io.bricksllm.unified.AnthropicApi.textMessage("claude-sonnet-4-5", "hi there", 2000, 150)));
        HttpResponseFor<ChatCompletion> raw = unified.chat().completions().withRawResponse().create(ChatCompletionCreateParams.builder()
                .model("anthropic/claude-sonnet-4-5").addUserMessage("hi").maxCompletionTokens(300)
                .putAdditionalHeader("X-CUSTOM-EVENT-ID", "unified-1").build());
        assertThat(raw.parse().choices().get(0).message().content()).hasValue("hi there");
        JsonNode event = Events.awaitMatching(gw.admin, unifiedKeyId, e -> e.get("custom_id").asText().equals("unified-1"), 1).get(0);
        assertThat(raw.headers().values("x-bricksllm-prompt-tokens")).containsExactly("2000");
        assertThat(raw.headers().values("x-bricksllm-completion-tokens")).containsExactly("150");
        assertThat(Double.parseDouble(raw.headers().values("x-bricksllm-cost-usd").get(0)))
                .isPositive().isEqualTo(event.get("cost_in_usd").asDouble());
    }

    @Test
    void anAnswerTooBigToHoldIsRelayedWithoutTheHeaders() {
        String big = "x".repeat(9 << 20); // above the 8 MiB held for the headers
        upstream.on("POST", CHAT, MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o", big, 10, 5)));
        HttpResponseFor<ChatCompletion> raw = sdk.chat().completions().withRawResponse().create(chat("big-1").build());
        assertThat(raw.parse().choices().get(0).message().content().orElseThrow()).hasSize(big.length());
        assertThat(raw.headers().values("x-bricksllm-cost-usd")).isEmpty();
        assertThat(event("big-1").get("completion_token_count").asLong()).isEqualTo(5); // still metered
    }
}
