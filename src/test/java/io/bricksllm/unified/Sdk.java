package io.bricksllm.unified;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.bricksllm.testing.TestGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The official openai-java SDK pointed at the unified endpoint, and the request pieces every provider test sends. */
final class Sdk {
    /** A 1×1 PNG, small enough to read in a failure message. */
    static final String PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==";
    static final String PNG_DATA_URL = "data:image/png;base64," + PNG_BASE64;

    private Sdk() {}

    /** As an application would configure it: base URL {@code <proxy>/v1}, the gateway key as API key. */
    static OpenAIClient client(TestGateway gw, String gatewayKey) {
        return OpenAIOkHttpClient.builder().baseUrl(gw.proxyUrl() + "/v1").apiKey(gatewayKey).maxRetries(0).build();
    }

    static ChatCompletionCreateParams.Builder chat(String model) {
        return ChatCompletionCreateParams.builder().model(model);
    }

    static ChatCompletionStreamOptions includeUsage() {
        return ChatCompletionStreamOptions.builder().includeUsage(true).build();
    }

    static ChatCompletionFunctionTool weatherTool() {
        return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
                .name("get_weather").description("Current weather for a city")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build())
                .build()).build();
    }

    /** {@code response_format: json_schema} asking for {"name": string, "age": integer}. */
    static ResponseFormatJsonSchema personFormat() {
        return ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                .name("person").strict(true)
                .schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of(
                                "name", Map.of("type", "string"), "age", Map.of("type", "integer"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("name", "age")))
                        .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                        .build())
                .build()).build();
    }

    /** A user turn with a text part and a PNG as a data URL. */
    static List<ChatCompletionContentPart> textAndImage(String text) {
        return List.of(
                ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text(text).build()),
                ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                        .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url(PNG_DATA_URL).build()).build()));
    }

    /** Every chunk of a streamed answer, read to its end. */
    static List<ChatCompletionChunk> stream(OpenAIClient client, ChatCompletionCreateParams params) {
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params)) {
            return new ArrayList<>(s.stream().toList());
        }
    }

    static String text(List<ChatCompletionChunk> chunks) {
        StringBuilder sb = new StringBuilder();
        for (ChatCompletionChunk c : chunks) {
            for (ChatCompletionChunk.Choice choice : c.choices()) choice.delta().content().ifPresent(sb::append);
        }
        return sb.toString();
    }

    static List<ChatCompletionChunk.Choice.FinishReason> finishReasons(List<ChatCompletionChunk> chunks) {
        List<ChatCompletionChunk.Choice.FinishReason> out = new ArrayList<>();
        for (ChatCompletionChunk c : chunks) {
            for (ChatCompletionChunk.Choice choice : c.choices()) choice.finishReason().ifPresent(out::add);
        }
        return out;
    }

    /** One tool call as its stream deltas add up: the id and name from its first delta, the arguments concatenated. */
    record StreamedCall(String id, String name, String arguments) {}

    /** The streamed tool calls by their {@code index}. */
    static Map<Long, StreamedCall> toolCalls(List<ChatCompletionChunk> chunks) {
        Map<Long, String> ids = new TreeMap<>();
        Map<Long, String> names = new TreeMap<>();
        Map<Long, StringBuilder> args = new TreeMap<>();
        for (ChatCompletionChunk c : chunks) {
            for (ChatCompletionChunk.Choice choice : c.choices()) {
                for (ChatCompletionChunk.Choice.Delta.ToolCall call : choice.delta().toolCalls().orElse(List.of())) {
                    long i = call.index();
                    call.id().ifPresent(id -> ids.merge(i, id, (a, b) -> a + "|second id " + b));
                    call.function().flatMap(f -> f.name()).ifPresent(n -> names.merge(i, n, (a, b) -> a + "|second name " + b));
                    call.function().flatMap(f -> f.arguments()).ifPresent(a -> args.computeIfAbsent(i, k -> new StringBuilder()).append(a));
                }
            }
        }
        Map<Long, StreamedCall> out = new TreeMap<>();
        for (Long i : names.keySet()) {
            out.put(i, new StreamedCall(ids.get(i), names.get(i), args.getOrDefault(i, new StringBuilder()).toString()));
        }
        return out;
    }
}
