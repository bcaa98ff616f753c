package io.bricksllm.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Metadata;
import com.anthropic.models.messages.StopReason;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.MockUpstream.Received;
import io.bricksllm.testing.MockUpstream.Reply;
import io.bricksllm.testing.TestGateway;
import io.bricksllm.unified.AnthropicApi;
import io.bricksllm.unified.BedrockApi;
import io.bricksllm.unified.Golden;
import io.bricksllm.unified.Metering;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Anthropic's Messages API answered through Bedrock, with the anthropic-java SDK: a Claude model through InvokeModel
 * (Anthropic's own body, SigV4-signed; a stream's event-stream frames become Anthropic's SSE), any other model (Nova)
 * translated to Converse. The mock recomputes every signature with the AWS SDK's signer.
 */
class MessagesBedrockTest {
    static final String CLAUDE = "anthropic.claude-3-5-sonnet-20241022-v2:0";
    static final String NOVA = "amazon.nova-pro-v1:0";
    static final BedrockApi.Credentials AWS = new BedrockApi.Credentials("AKIDMESSAGES", "messages/secret+KEY", "eu-west-1", Optional.empty());
    static final String GATEWAY_KEY = "gw-messages-bedrock";
    static MockUpstream upstream;
    static TestGateway gw;
    static AnthropicClient sdk;
    static String keyId;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        String s = gw.admin.createSetting("bedrock", Map.of("awsAccessKeyId", AWS.accessKeyId(), "awsSecretAccessKey", AWS.secretAccessKey(),
                "awsRegion", AWS.region(), "url", upstream.url("")));
        keyId = gw.admin.createKey("{\"name\":\"b\",\"key\":\"" + GATEWAY_KEY + "\",\"settingIds\":[\"" + s + "\"]}").get("keyId").asText();
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

    /**
     * InvokeModel of a Claude model as Bedrock checks it: the signature, then Anthropic's body rules on the body without
     * its model (in the path) and stream (in the operation), with Bedrock's own {@code anthropic_version}.
     */
    static Function<Received, Reply> invoke(Function<JsonNode, Reply> answer) {
        return r -> {
            Optional<Reply> refused = BedrockApi.refuseSignature(r, AWS);
            if (refused.isPresent()) return refused.get();
            JsonNode body = Golden.parse(r.body());
            if (!body.path("anthropic_version").asText().equals("bedrock-2023-05-31")) {
                return BedrockApi.validation("anthropic_version: expected bedrock-2023-05-31, got " + body.get("anthropic_version"));
            }
            for (String moved : List.of("model", "stream")) {
                if (body.has(moved)) return BedrockApi.validation("#: extraneous key [" + moved + "] is not permitted");
            }
            ObjectNode asAnthropic = ((ObjectNode) body.deepCopy()).put("model", CLAUDE);
            asAnthropic.remove("anthropic_version");
            asAnthropic.remove("anthropic_beta");
            Optional<String> problem = AnthropicApi.problem(asAnthropic);
            return problem.isPresent() ? BedrockApi.validation(problem.get()) : answer.apply(body);
        };
    }

    static void answerClaude(Function<JsonNode, Reply> answer) {
        upstream.on("POST", BedrockApi.invoke(CLAUDE), invoke(answer));
    }

    static void answerClaudeStream(Function<JsonNode, Reply> answer) {
        upstream.on("POST", "/model/" + BedrockApi.encoded(CLAUDE) + "/invoke-with-response-stream", invoke(answer));
    }

    static void answerNova(Function<JsonNode, Reply> answer) {
        upstream.on("POST", BedrockApi.converse(NOVA), BedrockApi.converse(AWS, answer));
    }

    static void answerNovaStream(Function<JsonNode, Reply> answer) {
        upstream.on("POST", BedrockApi.converseStream(NOVA), BedrockApi.converse(AWS, answer));
    }

    static JsonNode lastBody() {
        return Golden.parse(upstream.last().body());
    }

    @Test
    void claudeGoesThroughInvokeModelWithAnthropicsBodyAndTheAnswerAsIs() {
        answerClaude(body -> Reply.json(200, Fixtures.anthropicMessage(CLAUDE, "Bonjour.", 3201, 11, 0, 0)));
        Message m = sdk.messages().create(MessagesSdk.create("bedrock/" + CLAUDE).system("Answer in French.").addUserMessage("Hello")
                .metadata(Metadata.builder().userId("aws-user").build()).putAdditionalHeader("anthropic-beta", "token-efficient-tools-2025-02-19")
                .build());

        assertThat(MessagesSdk.text(m)).isEqualTo("Bonjour.");
        assertThat(m.stopReason()).hasValue(StopReason.END_TURN);
        assertThat(m.usage().inputTokens()).isEqualTo(3201);
        assertThat(m.usage().outputTokens()).isEqualTo(11);

        Received r = upstream.last();
        assertThat(r.path()).isEqualTo(BedrockApi.invoke(CLAUDE));
        assertThat(r.header("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=" + AWS.accessKeyId());
        assertThat(r.header("x-api-key")).as("the gateway key never reaches AWS").isNull();
        JsonNode body = lastBody();
        assertThat(body.get("system").asText()).isEqualTo("Answer in French.");
        assertThat(body.get("max_tokens").asLong()).isEqualTo(1024);
        assertThat(body.get("messages").get(0).get("content").asText()).isEqualTo("Hello");
        assertThat(body.get("anthropic_beta").toString()).isEqualTo("[\"token-efficient-tools-2025-02-19\"]");
        assertThat(body.get("metadata").get("user_id").asText()).isEqualTo("aws-user");

        JsonNode e = Metering.eventWithPrompt(gw.admin, keyId, 3201);
        Metering.assertMetered(e, "bedrock", CLAUDE, 3201, 11, "aws");
        assertThat(e.get("userId").asText()).isEqualTo("aws-user");
    }

    @Test
    void claudesInvokeStreamBecomesAnthropicsEventsWhichTheAccumulatorReads() {
        answerClaudeStream(body -> Reply.bytes(200, "application/vnd.amazon.eventstream",
                MessagesSdk.invokeFrames(MessagesSdk.agentTurnEvents(CLAUDE, 3202, 66, 0, 0))));
        MessagesSdk.Streamed s = MessagesSdk.stream(sdk, MessagesSdk.create("bedrock/" + CLAUDE).enabledThinking(1024).maxTokens(2048)
                .addTool(MessagesSdk.weatherTool()).addUserMessage("Weather in Paris?").build());

        Message m = s.message();
        assertThat(MessagesSdk.blockTypes(m)).containsExactly("thinking", "text", "tool_use");
        assertThat(m.content().get(0).thinking().orElseThrow().signature()).isEqualTo("EqQBCkYIsig==");
        assertThat(m.content().get(0).thinking().orElseThrow().thinking()).isEqualTo("The user wants the weather.");
        assertThat(MessagesSdk.text(m)).isEqualTo("Let me check.");
        assertThat(MessagesSdk.input(m.content().get(2))).isEqualTo(Golden.parse("{\"city\":\"Paris\"}"));
        assertThat(m.stopReason()).hasValue(StopReason.TOOL_USE);
        assertThat(m.usage().inputTokens()).isEqualTo(3202);
        assertThat(m.usage().outputTokens()).isEqualTo(66);
        assertThat(lastBody().get("thinking").get("budget_tokens").asLong()).isEqualTo(1024);

        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 3202), "bedrock", CLAUDE, 3202, 66, "aws");
    }

    @Test
    void claudeToolsRoundTripKeepsTheSignedThinkingAndTheToolUseIds() {
        answerClaude(body -> {
            JsonNode messages = body.get("messages");
            JsonNode last = messages.get(messages.size() - 1).get("content");
            return last.isArray() && last.get(0).path("type").asText().equals("tool_result")
                    ? Reply.json(200, AnthropicApi.textMessage(CLAUDE, "18C in Paris.", 3203, 5))
                    : Reply.json(200, MessagesSdk.toolUseMessage(CLAUDE, "toolu_bed", "Paris", 3204, 9));
        });
        MessageCreateParams.Builder ask = MessagesSdk.create("bedrock/" + CLAUDE).addTool(MessagesSdk.weatherTool()).addUserMessage("Weather in Paris?");
        Message first = sdk.messages().create(ask.build());
        assertThat(first.stopReason()).hasValue(StopReason.TOOL_USE);
        ContentBlock use = first.content().get(1);
        assertThat(use.toolUse().orElseThrow().id()).isEqualTo("toolu_bed");

        ask.addMessage(first).addUserMessageOfContentBlockParams(List.of(MessagesSdk.toolResult("toolu_bed", "18C")));
        Message second = sdk.messages().create(ask.build());
        assertThat(MessagesSdk.text(second)).isEqualTo("18C in Paris.");
        JsonNode messages = lastBody().get("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.get(1).get("content").get(1).get("input")).isEqualTo(Golden.parse("{\"city\":\"Paris\"}"));
        assertThat(messages.get(2).get("content").get(0).get("tool_use_id").asText()).isEqualTo("toolu_bed");
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 3203), "bedrock", CLAUDE, 3203, 5, "aws");
    }

    @Test
    void novaIsTranslatedToConverseAndAnsweredAsAnAnthropicMessage() {
        answerNova(body -> Reply.json(200, BedrockApi.textAnswer("Hi from Nova.", 3301, 13)));
        Message m = sdk.messages().create(MessagesSdk.create("bedrock/" + NOVA).maxTokens(200).system("Be brief.").addUserMessage("Hello")
                .metadata(Metadata.builder().userId("nova-user").build()).build());

        assertThat(MessagesSdk.blockTypes(m)).containsExactly("text");
        assertThat(MessagesSdk.text(m)).isEqualTo("Hi from Nova.");
        assertThat(m.stopReason()).hasValue(StopReason.END_TURN);
        assertThat(m.usage().inputTokens()).isEqualTo(3301);
        assertThat(m.usage().outputTokens()).isEqualTo(13);

        Received r = upstream.last();
        assertThat(r.path()).isEqualTo(BedrockApi.converse(NOVA));
        JsonNode body = lastBody();
        assertThat(body.get("system").toString()).contains("Be brief.");
        assertThat(body.get("messages").get(0).get("content").get(0).get("text").asText()).isEqualTo("Hello");
        assertThat(body.get("inferenceConfig").get("maxTokens").asLong()).isEqualTo(200);

        JsonNode e = Metering.eventWithPrompt(gw.admin, keyId, 3301);
        Metering.assertMetered(e, "bedrock", NOVA, 3301, 13, "aws");
        assertThat(e.get("userId").asText()).isEqualTo("nova-user");
    }

    @Test
    void novasConverseStreamBecomesAnthropicsEvents() {
        answerNovaStream(body -> BedrockApi.textEventStream(List.of("Hel", "lo", " world"), 3302, 9));
        MessagesSdk.Streamed s = MessagesSdk.stream(sdk, MessagesSdk.create("bedrock/" + NOVA).addUserMessage("Say hello").build());

        Message m = s.message();
        assertThat(MessagesSdk.blockTypes(m)).containsExactly("text");
        assertThat(MessagesSdk.text(m)).isEqualTo("Hello world");
        assertThat(m.stopReason()).hasValue(StopReason.END_TURN);
        assertThat(m.usage().inputTokens()).isEqualTo(3302);
        assertThat(m.usage().outputTokens()).isEqualTo(9);
        assertThat(s.events().get(0).isMessageStart()).isTrue();
        assertThat(s.events().get(s.events().size() - 1).isMessageStop()).isTrue();
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 3302), "bedrock", NOVA, 3302, 9, "aws");
    }

    @Test
    void novasStreamedToolUsesBecomeToolUseBlocks() {
        answerNovaStream(body -> BedrockApi.eventStream(Golden.json("/dialect/bedrock/streams/tool-calls.bedrock.json")));
        MessagesSdk.Streamed s = MessagesSdk.stream(sdk, MessagesSdk.create("bedrock/" + NOVA).addTool(MessagesSdk.weatherTool())
                .addUserMessage("Weather in Paris and Rome?").build());

        Message m = s.message();
        assertThat(MessagesSdk.blockTypes(m)).containsExactly("text", "tool_use", "tool_use");
        assertThat(MessagesSdk.text(m)).isEqualTo("Checking both.");
        assertThat(m.content().get(1).toolUse().orElseThrow().id()).isEqualTo("tooluse_01");
        assertThat(MessagesSdk.input(m.content().get(1))).isEqualTo(Golden.parse("{\"city\":\"Paris\"}"));
        assertThat(m.content().get(2).toolUse().orElseThrow().id()).isEqualTo("tooluse_02");
        assertThat(MessagesSdk.input(m.content().get(2))).isEqualTo(Golden.parse("{\"city\":\"Rome\"}"));
        assertThat(m.stopReason()).hasValue(StopReason.TOOL_USE);
        assertThat(m.usage().outputTokens()).isEqualTo(45);
        assertThat(lastBody().get("toolConfig").get("tools").get(0).get("toolSpec").get("name").asText()).isEqualTo("get_weather");
    }

    @Test
    void novaToolsRoundTripSendsToolUseThenToolResults() {
        answerNova(body -> {
            JsonNode messages = body.get("messages");
            return messages.get(messages.size() - 1).get("content").get(0).has("toolResult")
                    ? Reply.json(200, BedrockApi.textAnswer("Rome is warmer.", 3303, 6))
                    : Reply.json(200, Golden.text("/dialect/bedrock/responses/tool-use-cached.bedrock.json"));
        });
        MessageCreateParams.Builder ask = MessagesSdk.create("bedrock/" + NOVA).addTool(MessagesSdk.weatherTool()).addUserMessage("Weather in Paris and Rome?");
        Message first = sdk.messages().create(ask.build());
        assertThat(first.stopReason()).hasValue(StopReason.TOOL_USE);
        assertThat(MessagesSdk.blockTypes(first)).containsExactly("text", "tool_use", "tool_use");
        assertThat(first.usage().cacheReadInputTokens()).hasValue(100L);

        List<ContentBlockParam> results = new ArrayList<>();
        results.add(MessagesSdk.toolResult(first.content().get(1).toolUse().orElseThrow().id(), "18C"));
        results.add(MessagesSdk.toolResult(first.content().get(2).toolUse().orElseThrow().id(), "21C"));
        ask.addMessage(first).addUserMessageOfContentBlockParams(results);
        Message second = sdk.messages().create(ask.build());
        assertThat(MessagesSdk.text(second)).isEqualTo("Rome is warmer.");

        JsonNode messages = lastBody().get("messages");
        assertThat(messages).hasSize(3);
        List<String> useIds = new ArrayList<>();
        messages.get(1).get("content").forEach(b -> {
            if (b.has("toolUse")) useIds.add(b.get("toolUse").get("toolUseId").asText());
        });
        assertThat(useIds).containsExactly("tooluse_01", "tooluse_02");
        List<String> resultIds = new ArrayList<>();
        messages.get(2).get("content").forEach(b -> {
            if (b.has("toolResult")) resultIds.add(b.get("toolResult").get("toolUseId").asText());
        });
        assertThat(resultIds).containsExactly("tooluse_01", "tooluse_02");
        assertThat(messages.get(2).toString()).contains("18C").contains("21C");
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 3303), "bedrock", NOVA, 3303, 6, "aws");
    }

    @Test
    void novasSignedReasoningIsAThinkingBlockWhoseSignatureGoesBackToConverse() {
        answerNova(body -> body.get("messages").size() == 1
                ? Reply.json(200, Golden.text("/dialect/bedrock/responses/reasoning.bedrock.json"))
                : Reply.json(200, BedrockApi.textAnswer("12", 3304, 1)));
        MessageCreateParams.Builder ask = MessagesSdk.create("bedrock/" + NOVA).addUserMessage("2 + 2?");
        Message first = sdk.messages().create(ask.build());
        assertThat(MessagesSdk.blockTypes(first)).containsExactly("thinking", "text");
        assertThat(first.content().get(0).thinking().orElseThrow().thinking()).isEqualTo("2 + 2 = 4.");
        assertThat(first.content().get(0).thinking().orElseThrow().signature()).isEqualTo("EqQBCkYIBxgCKkBh");
        assertThat(MessagesSdk.text(first)).isEqualTo("4");

        ask.addMessage(first).addUserMessage("Times 3?");
        Message second = sdk.messages().create(ask.build());
        assertThat(MessagesSdk.text(second)).isEqualTo("12");
        JsonNode reasoning = lastBody().get("messages").get(1).get("content").get(0).get("reasoningContent");
        assertThat(reasoning).as("the signed reasoning goes back as Converse's reasoningContent").isNotNull();
        assertThat(reasoning.get("reasoningText").get("signature").asText()).isEqualTo("EqQBCkYIBxgCKkBh");
        assertThat(reasoning.get("reasoningText").get("text").asText()).isEqualTo("2 + 2 = 4.");
    }

    @Test
    void countTokensForABedrockModelIsTheGatewaysEstimate() {
        long n = sdk.messages().countTokens(com.anthropic.models.messages.MessageCountTokensParams.builder().model("bedrock/" + NOVA)
                .addUserMessage("How many tokens is this sentence?").build()).inputTokens();
        assertThat(n).isPositive();
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void bedrockThrottlingOnInvokeModelIsAnAnthropicRateLimitError() {
        upstream.on("POST", BedrockApi.invoke(CLAUDE), r -> BedrockApi.withErrorType(429, "ThrottlingException", "Too many requests, please wait."));
        com.anthropic.errors.RateLimitException e = org.assertj.core.api.Assertions.catchThrowableOfType(com.anthropic.errors.RateLimitException.class,
                () -> sdk.messages().create(MessagesSdk.create("bedrock/" + CLAUDE).addUserMessage("hi").build()));
        assertThat(e).as("the SDK's 429 exception").isNotNull();
        assertThat(e.type()).hasValue(com.anthropic.models.ErrorType.RATE_LIMIT_ERROR);
    }

    @Test
    void aConverseValidationErrorIsAnAnthropicInvalidRequestError() {
        upstream.on("POST", BedrockApi.converse(NOVA), r -> BedrockApi.validation("The model returned the following errors: bad input"));
        com.anthropic.errors.BadRequestException e = org.assertj.core.api.Assertions.catchThrowableOfType(com.anthropic.errors.BadRequestException.class,
                () -> sdk.messages().create(MessagesSdk.create("bedrock/" + NOVA).addUserMessage("hi").build()));
        assertThat(e).isNotNull();
        assertThat(e.type()).hasValue(com.anthropic.models.ErrorType.INVALID_REQUEST_ERROR);
        assertThat(e.apiMessage().orElseThrow()).contains("bad input");
    }

    @Test
    void aConverseStreamThrottledMidwayEndsWithAnErrorEventTheSdkRaises() {
        answerNovaStream(body -> BedrockApi.eventStream(Golden.json("/dialect/bedrock/streams/throttled.bedrock.json")));
        List<com.anthropic.models.messages.RawMessageStreamEvent> seen = new ArrayList<>();
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> {
            try (var s = sdk.messages().createStreaming(MessagesSdk.create("bedrock/" + NOVA).addUserMessage("hi").build())) {
                s.stream().forEach(seen::add);
            }
        });
        assertThat(t).isInstanceOf(com.anthropic.errors.AnthropicServiceException.class);
        assertThat(t.getMessage()).contains("Too many tokens");
        assertThat(seen).isNotEmpty();
        assertThat(seen.get(0).isMessageStart()).isTrue();
    }

    @Test
    void claudeOnBedrocksCacheTokensAreCountedAndPriced() {
        answerClaude(body -> Reply.json(200, Fixtures.anthropicMessage(CLAUDE, "cached", 3205, 7, 1000, 300)));
        Message m = sdk.messages().create(MessagesSdk.create("bedrock/" + CLAUDE).addUserMessage("hi").build());
        assertThat(m.usage().cacheReadInputTokens()).hasValue(1000L);
        JsonNode e = Metering.events(gw.admin, keyId, ev -> ev.get("completion_token_count").asLong() == 7, 1).get(0);
        assertThat(e.get("cache_read_token_count").asLong()).as(e.toString()).isEqualTo(1000);
        assertThat(e.get("cache_write_token_count").asLong()).as(e.toString()).isEqualTo(300);
        assertThat(e.get("cost_in_usd").asDouble()).as("cache tokens cost something: " + e)
                .isGreaterThan(Metering.cost("aws", CLAUDE, 3205, 7));
    }

    @Test
    void anInvokeStreamThrottledMidwayEndsWithAnErrorEventTheSdkRaises() {
        List<String> events = MessagesSdk.agentTurnEvents(CLAUDE, 3206, 10, 0, 0).subList(0, 4);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(MessagesSdk.invokeFrames(events));
        Map<String, software.amazon.awssdk.eventstream.HeaderValue> headers = new java.util.LinkedHashMap<>();
        headers.put(":message-type", software.amazon.awssdk.eventstream.HeaderValue.fromString("exception"));
        headers.put(":exception-type", software.amazon.awssdk.eventstream.HeaderValue.fromString("throttlingException"));
        headers.put(":content-type", software.amazon.awssdk.eventstream.HeaderValue.fromString("application/json"));
        new software.amazon.awssdk.eventstream.Message(headers, "{\"message\":\"Too many tokens, slow down.\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).encode(out);
        answerClaudeStream(body -> Reply.bytes(200, "application/vnd.amazon.eventstream", out.toByteArray()));

        List<com.anthropic.models.messages.RawMessageStreamEvent> seen = new ArrayList<>();
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> {
            try (var s = sdk.messages().createStreaming(MessagesSdk.create("bedrock/" + CLAUDE).addUserMessage("hi").build())) {
                s.stream().forEach(seen::add);
            }
        });
        assertThat(t).isInstanceOf(com.anthropic.errors.AnthropicServiceException.class);
        assertThat(t.getMessage()).contains("Too many tokens");
        assertThat(seen).hasSize(4);
        assertThat(seen.get(0).isMessageStart()).isTrue();
    }
}
