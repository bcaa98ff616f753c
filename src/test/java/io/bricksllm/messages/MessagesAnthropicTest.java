package io.bricksllm.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.anthropic.client.AnthropicClient;
import com.anthropic.models.messages.CacheControlEphemeral;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.MessageTokensCount;
import com.anthropic.models.messages.Metadata;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.ThinkingBlockParam;
import com.anthropic.models.messages.ToolUseBlockParam;
import com.anthropic.core.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.MockUpstream.Received;
import io.bricksllm.testing.MockUpstream.Reply;
import io.bricksllm.testing.TestGateway;
import io.bricksllm.unified.AnthropicApi;
import io.bricksllm.unified.Golden;
import io.bricksllm.unified.Metering;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Anthropic's Messages API on the gateway's unified surface, called with the official anthropic-java SDK, for Anthropic's
 * own models: the body reaches Anthropic as the SDK sent it but for the model, and the answer reaches the SDK as
 * Anthropic sent it.
 */
class MessagesAnthropicTest {
    static final String MODEL = "claude-sonnet-4-5";
    static final String PREFIXED = "anthropic/" + MODEL;
    static final String PROVIDER_KEY = "sk-ant-messages-provider";
    static final String GATEWAY_KEY = "gw-messages-anthropic";
    static final String BETA = "interleaved-thinking-2025-05-14,prompt-caching-2024-07-31";
    static MockUpstream upstream;
    static TestGateway gw;
    static AnthropicClient sdk;
    static String keyId;
    /** The anthropic-version the SDK sends, as the direct call saw it. */
    static String sdkVersion;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        String s = gw.admin.createSetting("anthropic", Map.of("apikey", PROVIDER_KEY, "url", upstream.url("/v1")));
        keyId = gw.admin.createKey("{\"name\":\"m\",\"key\":\"" + GATEWAY_KEY + "\",\"settingIds\":[\"" + s + "\"]}").get("keyId").asText();
        sdk = MessagesSdk.client(gw, GATEWAY_KEY);
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

    static void answer(Function<JsonNode, Reply> answer) {
        upstream.on("POST", "/v1/messages", AnthropicApi.messages(PROVIDER_KEY, answer));
    }

    /**
     * A second agent turn as a coding agent sends it: cached system prompt, thinking enabled, the previous turn's
     * signed thinking block and tool_use, then the tool_result; the end user in metadata.
     */
    static MessageCreateParams agentTurn(String model) {
        return MessagesSdk.create(model).maxTokens(4096)
                .systemOfTextBlockParams(List.of(TextBlockParam.builder().text("You are a weather agent.")
                        .cacheControl(CacheControlEphemeral.builder().build()).build()))
                .metadata(Metadata.builder().userId("dev-42").build())
                .enabledThinking(2048)
                .addTool(MessagesSdk.weatherTool())
                .addUserMessage("Weather in Paris?")
                .addAssistantMessageOfContentBlockParams(List.of(
                        ContentBlockParam.ofThinking(ThinkingBlockParam.builder().thinking("Call the tool.").signature("EqQBCkYIBxgCKkA=").build()),
                        ContentBlockParam.ofToolUse(ToolUseBlockParam.builder().id("toolu_prev").name("get_weather")
                                .input(ToolUseBlockParam.Input.builder().putAdditionalProperty("city", JsonValue.from("Paris")).build()).build())))
                .addUserMessageOfContentBlockParams(List.of(MessagesSdk.toolResult("toolu_prev", "18C, sunny")))
                .putAdditionalHeader("anthropic-beta", BETA)
                .build();
    }

    /** What the SDK itself puts on the wire for these params (sent straight to the mock, no gateway between). */
    static byte[] sdkBytes(MessageCreateParams params) {
        upstream.on("POST", "/v1/messages", r -> Reply.json(200, AnthropicApi.textMessage(MODEL, "direct", 1, 1)));
        MessagesSdk.client(upstream.url(""), PROVIDER_KEY).messages().create(params);
        sdkVersion = upstream.last().header("anthropic-version");
        byte[] sent = upstream.last().body();
        upstream.reset();
        return sent;
    }

    @Test
    void theBodyReachesAnthropicAsTheSdkSentItButTheModelAndTheAnswerIsParsed() {
        MessageCreateParams params = agentTurn(PREFIXED);
        byte[] direct = sdkBytes(params);
        answer(body -> Reply.json(200, Fixtures.anthropicMessage(MODEL, "It is sunny in Paris.", 1301, 21, 1000, 300)));

        Message m = sdk.messages().create(params);

        assertThat(MessagesSdk.text(m)).isEqualTo("It is sunny in Paris.");
        assertThat(m.stopReason()).hasValue(StopReason.END_TURN);
        assertThat(m.usage().inputTokens()).isEqualTo(1301);
        assertThat(m.usage().outputTokens()).isEqualTo(21);
        assertThat(m.usage().cacheReadInputTokens()).hasValue(1000L);
        assertThat(m.usage().cacheCreationInputTokens()).hasValue(300L);

        Received r = upstream.last();
        assertThat(r.path()).isEqualTo("/v1/messages");
        String expected = new String(direct, StandardCharsets.UTF_8)
                .replace("\"model\":\"" + PREFIXED + "\"", "\"model\":\"" + MODEL + "\"");
        assertThat(expected).as("the SDK's body names the prefixed model once").isNotEqualTo(new String(direct, StandardCharsets.UTF_8));
        assertThat(r.bodyText()).as("byte for byte but the model").isEqualTo(expected);
        JsonNode body = Golden.parse(r.body());
        JsonNode thinking = body.get("messages").get(1).get("content").get(0);
        assertThat(thinking.get("signature").asText()).isEqualTo("EqQBCkYIBxgCKkA=");
        assertThat(body.get("system").get(0).get("cache_control").get("type").asText()).isEqualTo("ephemeral");
        assertThat(r.header("anthropic-beta")).isEqualTo(BETA);
        assertThat(r.header("anthropic-version")).as("the caller's API version is forwarded").isEqualTo(sdkVersion).isNotBlank();
        assertThat(r.header("x-api-key")).isEqualTo(PROVIDER_KEY);
        assertThat(r.header("Authorization")).isNull();
        r.headers().forEach(h -> assertThat(h.getValue()).as("header " + h.getKey()).doesNotContain(GATEWAY_KEY));

        // input $3, cache read $0.30, cache write $3.75, output $15 per million
        double cost = (1301 * 3.0 + 1000 * 0.3 + 300 * 3.75 + 21 * 15.0) / 1_000_000;
        JsonNode e = Metering.events(gw.admin, keyId, ev -> ev.get("completion_token_count").asLong() == 21, 1).get(0);
        assertThat(e.get("key_id").asText()).isEqualTo(keyId);
        assertThat(e.get("model").asText()).isEqualTo(MODEL);
        assertThat(e.get("provider").asText()).isEqualTo("anthropic");
        assertThat(e.get("cost_in_usd").asDouble()).as(e.toString()).isCloseTo(cost, within(1e-12));
        assertThat(e.get("cache_read_token_count").asLong()).isEqualTo(1000);
        assertThat(e.get("cache_write_token_count").asLong()).isEqualTo(300);
        assertThat(e.get("userId").asText()).as("metadata.user_id is the end user").isEqualTo("dev-42");
        assertThat(e.get("status").asInt()).isEqualTo(200);
    }

    @Test
    void aStreamWithThinkingTextAndToolUseReachesTheSdkAsAnthropicSentIt() {
        answer(body -> body.path("stream").asBoolean()
                ? Reply.sse(MessagesSdk.sse(MessagesSdk.agentTurnEvents(MODEL, 1302, 77, 2000, 0)))
                : AnthropicApi.error(400, "invalid_request_error", "test expected a streaming request"));

        MessagesSdk.Streamed s = MessagesSdk.stream(sdk, MessagesSdk.create(PREFIXED).enabledThinking(1024).maxTokens(2048)
                .addTool(MessagesSdk.weatherTool()).addUserMessage("Weather in Paris?").metadata(Metadata.builder().userId("dev-43").build())
                .build());

        Message m = s.message();
        assertThat(MessagesSdk.blockTypes(m)).containsExactly("thinking", "text", "tool_use");
        assertThat(m.content().get(0).thinking().orElseThrow().thinking()).isEqualTo("The user wants the weather.");
        assertThat(m.content().get(0).thinking().orElseThrow().signature()).isEqualTo("EqQBCkYIsig==");
        assertThat(MessagesSdk.text(m)).isEqualTo("Let me check.");
        ContentBlock use = m.content().get(2);
        assertThat(use.toolUse().orElseThrow().id()).isEqualTo("toolu_s1");
        assertThat(use.toolUse().orElseThrow().name()).isEqualTo("get_weather");
        assertThat(MessagesSdk.input(use)).isEqualTo(Golden.parse("{\"city\":\"Paris\"}"));
        assertThat(m.stopReason()).hasValue(StopReason.TOOL_USE);
        assertThat(m.usage().inputTokens()).isEqualTo(1302);
        assertThat(m.usage().outputTokens()).isEqualTo(77);
        assertThat(m.usage().cacheReadInputTokens()).hasValue(2000L);
        assertThat(s.events()).filteredOn(e -> e.isContentBlockDelta() && e.asContentBlockDelta().delta().isInputJson()).hasSize(2);

        assertThat(Golden.parse(upstream.last().body()).get("model").asText()).isEqualTo(MODEL);
        JsonNode e = Metering.events(gw.admin, keyId, ev -> ev.get("completion_token_count").asLong() == 77, 1).get(0);
        assertThat(e.get("model").asText()).isEqualTo(MODEL);
        assertThat(e.get("cache_read_token_count").asLong()).isEqualTo(2000);
        assertThat(e.get("cost_in_usd").asDouble()).isCloseTo((1302 * 3.0 + 2000 * 0.3 + 77 * 15.0) / 1_000_000, within(1e-12));
        assertThat(e.get("userId").asText()).isEqualTo("dev-43");
    }

    @Test
    void aBareClaudeIdMeansAnthropic() {
        answer(body -> Reply.json(200, AnthropicApi.textMessage(MODEL, "bare", 1303, 3)));
        Message m = sdk.messages().create(MessagesSdk.create(MODEL).addUserMessage("hi").build());
        assertThat(MessagesSdk.text(m)).isEqualTo("bare");
        assertThat(upstream.last().header("x-api-key")).isEqualTo(PROVIDER_KEY);
        assertThat(Golden.parse(upstream.last().body()).get("model").asText()).isEqualTo(MODEL);
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 1303), "anthropic", MODEL, 1303, 3, "anthropic");
    }

    @Test
    void aToolsRoundTripPassesTheSdksOwnAssistantMessageBack() {
        answer(body -> {
            JsonNode messages = body.get("messages");
            JsonNode last = messages.get(messages.size() - 1).get("content");
            return last.isArray() && last.get(0).path("type").asText().equals("tool_result")
                    ? Reply.json(200, AnthropicApi.textMessage(MODEL, "18C in Paris.", 1304, 5))
                    : Reply.json(200, MessagesSdk.toolUseMessage(MODEL, "toolu_rt", "Paris", 1305, 9));
        });
        MessageCreateParams.Builder ask = MessagesSdk.create(PREFIXED).addTool(MessagesSdk.weatherTool()).addUserMessage("Weather in Paris?");
        Message first = sdk.messages().create(ask.build());
        assertThat(first.stopReason()).hasValue(StopReason.TOOL_USE);
        ContentBlock use = first.content().get(1);
        assertThat(MessagesSdk.input(use)).isEqualTo(Golden.parse("{\"city\":\"Paris\"}"));

        ask.addMessage(first).addUserMessageOfContentBlockParams(List.of(MessagesSdk.toolResult(use.toolUse().orElseThrow().id(), "18C")));
        Message second = sdk.messages().create(ask.build());
        assertThat(MessagesSdk.text(second)).isEqualTo("18C in Paris.");
        JsonNode sent = Golden.parse(upstream.last().body()).get("messages");
        assertThat(sent).hasSize(3);
        assertThat(sent.get(1).get("content").get(1).get("id").asText()).isEqualTo("toolu_rt");
        assertThat(sent.get(2).get("content").get(0).get("tool_use_id").asText()).isEqualTo("toolu_rt");
    }

    @Test
    void countTokensIsForwardedToAnthropicsCountTokens() {
        upstream.on("POST", "/v1/messages/count_tokens", r -> {
            if (!PROVIDER_KEY.equals(r.header("x-api-key"))) return AnthropicApi.error(401, "authentication_error", "invalid x-api-key");
            JsonNode body = Golden.parse(r.body());
            if (!body.path("model").asText().equals(MODEL) || !body.path("messages").isArray() || body.has("max_tokens")) {
                return AnthropicApi.error(400, "invalid_request_error", "unexpected count_tokens body " + body);
            }
            return Reply.json(200, "{\"input_tokens\":4242}");
        });
        MessageTokensCount count = sdk.messages().countTokens(MessageCountTokensParams.builder().model(PREFIXED)
                .system("Be brief.").addUserMessage("How many tokens is this?").addTool(MessagesSdk.weatherTool())
                .putAdditionalHeader("anthropic-beta", BETA).build());

        assertThat(count.inputTokens()).isEqualTo(4242);
        Received r = upstream.last();
        assertThat(r.path()).isEqualTo("/v1/messages/count_tokens");
        assertThat(r.header("Authorization")).isNull();
        assertThat(r.header("anthropic-beta")).isEqualTo(BETA);
        assertThat(Golden.parse(r.body()).get("tools").get(0).get("name").asText()).isEqualTo("get_weather");
        assertThat(upstream.calls()).isEqualTo(1);

        // count_tokens is free at Anthropic: its answer's input_tokens are no prompt the key pays for
        io.bricksllm.testing.Poll.until(java.time.Duration.ofSeconds(10), "an event for count_tokens",
                () -> io.bricksllm.testing.Events.fetch(gw.admin, keyId).stream().anyMatch(ev -> ev.path("path").asText().contains("count_tokens")
                        || ev.path("prompt_token_count").asLong() == 4242));
        JsonNode counted = io.bricksllm.testing.Events.fetch(gw.admin, keyId).stream().filter(ev -> ev.path("path").asText().contains("count_tokens")
                || ev.path("prompt_token_count").asLong() == 4242).findFirst().orElseThrow();
        assertThat(counted.get("cost_in_usd").asDouble()).as(counted.toString()).isZero();
    }

    @Test
    void aGatewayKeyInXApiKeyAsClaudeCodeSendsItIsReplacedByTheProviderKey() {
        answer(body -> Reply.json(200, AnthropicApi.textMessage(MODEL, "raw", 1306, 2)));
        io.bricksllm.testing.ProxyClient.Reply r = new io.bricksllm.testing.ProxyClient(gw.proxyUrl()).send("POST", "/v1/messages",
                Map.of("x-api-key", GATEWAY_KEY, "anthropic-version", "2023-06-01", "Content-Type", "application/json"),
                ("{\"model\":\"" + MODEL + "\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(Golden.parse(r.body()).get("content").get(0).get("text").asText()).isEqualTo("raw");
        Received sent = upstream.last();
        assertThat(sent.headers().getAll("x-api-key")).containsExactly(PROVIDER_KEY);
        assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
        sent.headers().forEach(h -> assertThat(h.getValue()).as("header " + h.getKey()).doesNotContain(GATEWAY_KEY));
    }

    @Test
    void anAnthropicErrorReachesTheSdkAsItsTypedException() {
        answer(body -> AnthropicApi.error(529, "overloaded_error", "Overloaded"));
        com.anthropic.errors.AnthropicServiceException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                com.anthropic.errors.AnthropicServiceException.class,
                () -> sdk.messages().create(MessagesSdk.create(PREFIXED).addUserMessage("hi").build()));
        assertThat(e).isNotNull();
        assertThat(e.statusCode()).isEqualTo(529);
        assertThat(e.type()).hasValue(com.anthropic.models.ErrorType.OVERLOADED_ERROR);
    }
}
