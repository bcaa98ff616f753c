package io.bricksllm.unified;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.MessageParam;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.MockUpstream.Reply;
import io.bricksllm.testing.TestGateway;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Anthropic's Messages API ({@code /v1/messages}, what Claude Code speaks) for a GPT model: the official anthropic-java
 * SDK against a strict OpenAI chat-completions mock, JSON, streams and a tools round trip, metered at OpenAI's prices.
 */
class MessagesToOpenAiTest {
    static final String MODEL = "gpt-4o-mini";
    static final String PROVIDER_KEY = "sk-openai-messages-e2e";
    static final String GATEWAY_KEY = "gw-messages-openai";
    static MockUpstream upstream;
    static TestGateway gw;
    static AnthropicClient claude;
    static String keyId;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        String s = gw.admin.createSetting("openai", Map.of("apikey", PROVIDER_KEY, "url", upstream.url("/v1")));
        keyId = gw.admin.createKey("{\"name\":\"m\",\"key\":\"" + GATEWAY_KEY + "\",\"settingIds\":[\"" + s + "\"]}").get("keyId").asText();
        claude = AnthropicOkHttpClient.builder().baseUrl(gw.proxyUrl()).authToken(GATEWAY_KEY).maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        claude.close();
        gw.close();
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    static void answer(java.util.function.Function<JsonNode, Reply> answer) {
        upstream.on("POST", "/v1/chat/completions", OpenAiApi.chat("Authorization", "Bearer " + PROVIDER_KEY, MODEL, answer));
    }

    static Tool weather() {
        return Tool.builder().name("get_weather").description("Weather of a city")
                .inputSchema(Tool.InputSchema.builder().properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .required(List.of("city")).build()).build();
    }

    @Test
    void aMessagesRequestIsAnsweredByGptAsAnAnthropicMessage() {
        answer(body -> Reply.json(200, """
                {"id":"chatcmpl-m1","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Bonjour!"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":3101,"completion_tokens":4,"total_tokens":3105}}"""));
        Message m = claude.messages().create(MessageCreateParams.builder().model("openai/" + MODEL).maxTokens(200)
                .system("Answer in French.").addUserMessage("Hello").metadata(com.anthropic.models.messages.Metadata.builder().userId("dev-42").build())
                .build());

        assertThat(m.content()).hasSize(1);
        assertThat(m.content().get(0).text().orElseThrow().text()).isEqualTo("Bonjour!");
        assertThat(m.stopReason()).hasValue(StopReason.END_TURN);
        assertThat(m.usage().inputTokens()).isEqualTo(3101);
        assertThat(m.usage().outputTokens()).isEqualTo(4);

        JsonNode sent = Golden.parse(upstream.last().body());
        assertThat(sent.get("model").asText()).isEqualTo(MODEL);
        assertThat(sent.get("messages").get(0).get("role").asText()).isEqualTo("system");
        assertThat(sent.get("messages").get(0).get("content").asText()).isEqualTo("Answer in French.");
        assertThat(sent.get("max_completion_tokens").asInt()).isEqualTo(200);
        assertThat(upstream.last().header("Authorization")).isEqualTo("Bearer " + PROVIDER_KEY);

        JsonNode event = Metering.eventWithPrompt(gw.admin, keyId, 3101);
        Metering.assertMetered(event, "openai", MODEL, 3101, 4, "openai");
        assertThat(event.get("userId").asText()).as("the end user from metadata.user_id").isEqualTo("dev-42");
    }

    @Test
    void aStreamedToolCallRoundTripWorksWithTheSdkAccumulator() {
        answer(body -> body.path("stream").asBoolean() ? Reply.sse(OpenAiApi.toolCallStream(MODEL))
                : OpenAiApi.error(400, "invalid_request_error", "test expected a stream"));
        MessageCreateParams first = MessageCreateParams.builder().model("openai/" + MODEL).maxTokens(300)
                .addUserMessage("Weather in Paris and Rome?").addTool(weather()).build();
        MessageAccumulator acc = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> s = claude.messages().createStreaming(first)) {
            s.stream().forEach(acc::accumulate);
        }
        Message m = acc.message();
        assertThat(m.stopReason()).hasValue(StopReason.TOOL_USE);
        List<ContentBlock> calls = m.content().stream().filter(ContentBlock::isToolUse).toList();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).asToolUse().id()).isEqualTo("call_P");
        assertThat(calls.get(0).asToolUse()._input().toString()).contains("Paris");
        assertThat(calls.get(1).asToolUse()._input().toString()).contains("Rome");
        assertThat(m.usage().inputTokens()).isEqualTo(4105);
        assertThat(Golden.parse(upstream.last().body()).path("stream_options").path("include_usage").asBoolean())
                .as("the gateway asks GPT for the usage it meters").isTrue();

        // the next turn carries the tool results back
        answer(body -> Reply.json(200, """
                {"id":"chatcmpl-m2","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Sunny in both."},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":4201,"completion_tokens":5,"total_tokens":4206}}"""));
        Message done = claude.messages().create(first.toBuilder().addMessage(m.toParam())
                .addMessage(MessageParam.ofUserOfContentBlockParams(List.of(
                        ContentBlockParam.ofToolResult(ToolResultBlockParam.builder().toolUseId("call_P").content("18C sunny").build()),
                        ContentBlockParam.ofToolResult(ToolResultBlockParam.builder().toolUseId("call_R").content("24C sunny").build()))))
                .build());
        assertThat(done.content().get(0).text().orElseThrow().text()).isEqualTo("Sunny in both.");
        JsonNode sent = Golden.parse(upstream.last().body());
        List<JsonNode> tools = new java.util.ArrayList<>();
        sent.get("messages").forEach(msg -> { if (msg.get("role").asText().equals("tool")) tools.add(msg); });
        assertThat(tools).extracting(t -> t.get("tool_call_id").asText()).containsExactly("call_P", "call_R");
        assertThat(tools.get(1).get("content").asText()).isEqualTo("24C sunny");
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 4201), "openai", MODEL, 4201, 5, "openai");
    }

    @Test
    void aThinkingBudgetAsksForReasoningEffortAndReasoningComesBackAsAThinkingBlock() {
        answer(body -> Reply.json(200, """
                {"id":"chatcmpl-m3","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"message":{"role":"assistant","reasoning_content":"Two plus two is four.","content":"4"},
                   "finish_reason":"stop"}],
                 "usage":{"prompt_tokens":3301,"completion_tokens":12,"total_tokens":3313,
                   "completion_tokens_details":{"reasoning_tokens":8}}}"""));
        Message m = claude.messages().create(MessageCreateParams.builder().model("openai/" + MODEL).maxTokens(20000)
                .enabledThinking(8000).addUserMessage("2+2?").build());

        assertThat(Golden.parse(upstream.last().body()).get("reasoning_effort").asText())
                .as("an 8,000-token budget is more than medium's 4,096").isEqualTo("high");
        assertThat(m.content()).hasSize(2);
        assertThat(m.content().get(0).thinking().orElseThrow().thinking()).isEqualTo("Two plus two is four.");
        assertThat(m.content().get(1).text().orElseThrow().text()).isEqualTo("4");
        JsonNode event = Metering.eventWithPrompt(gw.admin, keyId, 3301);
        Metering.assertMetered(event, "openai", MODEL, 3301, 12, "openai");
    }

    @Test
    void gptErrorsReachTheAnthropicSdkAsItsOwnTypedErrors() {
        answer(body -> OpenAiApi.error(429, "rate_limit_exceeded", "Rate limit reached for gpt-4o-mini"));
        assertThatThrownBy(() -> claude.messages().create(MessageCreateParams.builder().model("openai/" + MODEL).maxTokens(10)
                .addUserMessage("hi").build()))
                .isInstanceOf(RateLimitException.class).hasMessageContaining("Rate limit reached");
    }

    @Test
    void anUnknownProviderIsABadRequestInAnthropicsShape() {
        assertThatThrownBy(() -> claude.messages().create(MessageCreateParams.builder().model("nowhere/some-model").maxTokens(10)
                .addUserMessage("hi").build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("known provider");
        assertThat(upstream.calls()).isZero();
    }
}
