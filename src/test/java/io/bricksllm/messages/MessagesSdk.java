package io.bricksllm.messages;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import io.bricksllm.testing.TestGateway;
import io.bricksllm.unified.Golden;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.eventstream.HeaderValue;

/** The official anthropic-java SDK pointed at the gateway's unified endpoint, and the request pieces the Messages tests share. */
public final class MessagesSdk {
    private MessagesSdk() {}

    /** As an application configures it: base URL the gateway's proxy root (the SDK adds {@code /v1/messages}), the gateway key as API key. */
    public static AnthropicClient client(TestGateway gw, String gatewayKey) {
        return client(gw.proxyUrl(), gatewayKey);
    }

    public static AnthropicClient client(String baseUrl, String apiKey) {
        return AnthropicOkHttpClient.builder().baseUrl(baseUrl).apiKey(apiKey).maxRetries(0).build();
    }

    public static MessageCreateParams.Builder create(String model) {
        return MessageCreateParams.builder().model(model).maxTokens(1024);
    }

    public static Tool weatherTool() {
        return Tool.builder().name("get_weather").description("Current weather for a city")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .addRequired("city").build())
                .build();
    }

    public static ContentBlockParam toolResult(String toolUseId, String content) {
        return ContentBlockParam.ofToolResult(ToolResultBlockParam.builder().toolUseId(toolUseId).content(content).build());
    }

    /** A streamed answer: every event as the SDK parsed it, and the message the SDK's accumulator builds from them. */
    public record Streamed(List<RawMessageStreamEvent> events, Message message) {}

    public static Streamed stream(AnthropicClient client, MessageCreateParams params) {
        MessageAccumulator acc = MessageAccumulator.create();
        List<RawMessageStreamEvent> events = new ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params)) {
            // validate(): every event must have all the fields the SDK requires, not only those the test reads
            s.stream().forEach(e -> events.add(acc.accumulate(e.validate())));
        }
        return new Streamed(events, acc.message().validate());
    }

    /** The message's text blocks, concatenated; validates the whole message first (every field the SDK requires). */
    public static String text(Message m) {
        m.validate();
        StringBuilder sb = new StringBuilder();
        m.content().forEach(b -> b.text().ifPresent(t -> sb.append(t.text())));
        return sb.toString();
    }

    public static List<String> blockTypes(Message m) {
        m.validate();
        return m.content().stream().map(MessagesSdk::type).toList();
    }

    static String type(ContentBlock b) {
        if (b.isText()) return "text";
        if (b.isThinking()) return "thinking";
        if (b.isRedactedThinking()) return "redacted_thinking";
        if (b.isToolUse()) return "tool_use";
        return "other";
    }

    /** A tool_use block's input as JSON (the SDK keeps it as an untyped JsonValue). */
    public static JsonNode input(ContentBlock b) {
        return Json.MAPPER.valueToTree(b.toolUse().orElseThrow()._input().convert(Object.class));
    }

    /** Anthropic's SSE event text {@code event: <type>\ndata: <json>} for MockUpstream.Reply.sse. */
    public static String sse(String json) {
        return "event: " + Golden.parse(json).get("type").asText() + "\ndata: " + json;
    }

    /** Anthropic's SSE events of a whole stream, for MockUpstream.Reply.sse. */
    public static List<String> sse(List<String> jsonEvents) {
        return jsonEvents.stream().map(MessagesSdk::sse).toList();
    }

    /** InvokeModelWithResponseStream's body: each Anthropic event as the base64 {@code bytes} of one {@code chunk} frame. */
    public static byte[] invokeFrames(List<String> jsonEvents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String event : jsonEvents) {
            Map<String, HeaderValue> headers = new LinkedHashMap<>();
            headers.put(":message-type", HeaderValue.fromString("event"));
            headers.put(":event-type", HeaderValue.fromString("chunk"));
            headers.put(":content-type", HeaderValue.fromString("application/json"));
            String payload = "{\"bytes\":\"" + Base64.getEncoder().encodeToString(event.getBytes(StandardCharsets.UTF_8)) + "\",\"p\":\"ab\"}";
            new software.amazon.awssdk.eventstream.Message(headers, payload.getBytes(StandardCharsets.UTF_8)).encode(out);
        }
        return out.toByteArray();
    }

    /**
     * An agent turn as Anthropic streams it: a thinking block (thinking deltas, then its signature), a text block, a
     * tool_use whose input arrives in two input_json_delta pieces; the usage with cache tokens.
     */
    public static List<String> agentTurnEvents(String model, long input, long output, long cacheRead, long cacheWrite) {
        return List.of(
                "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_stream\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model
                        + "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + input
                        + ",\"output_tokens\":1,\"cache_read_input_tokens\":" + cacheRead + ",\"cache_creation_input_tokens\":" + cacheWrite + "}}}",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"The user wants \"}}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"the weather.\"}}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQBCkYIsig==\"}}",
                "{\"type\":\"content_block_stop\",\"index\":0}",
                "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
                "{\"type\":\"ping\"}",
                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"Let me \"}}",
                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"check.\"}}",
                "{\"type\":\"content_block_stop\",\"index\":1}",
                "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_s1\",\"name\":\"get_weather\",\"input\":{}}}",
                "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \"}}",
                "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}",
                "{\"type\":\"content_block_stop\",\"index\":2}",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + output + "}}",
                "{\"type\":\"message_stop\"}");
    }

    /** A Messages answer with a tool_use block (and a text before it). */
    public static String toolUseMessage(String model, String id, String city, long input, long output) {
        return Json.write(Map.of("id", "msg_tool", "type", "message", "role", "assistant", "model", model,
                "content", List.of(Map.of("type", "text", "text", "Checking."),
                        Map.of("type", "tool_use", "id", id, "name", "get_weather", "input", Map.of("city", city))),
                "stop_reason", "tool_use", "usage", Map.of("input_tokens", input, "output_tokens", output)));
    }
}
