package io.bricksllm.unified;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFormatTextJsonSchemaConfig;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseTextConfig;
import io.bricksllm.store.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Responses API pieces the {@code Responses…Test}s send with the official openai-java SDK, what they read back,
 * and OpenAI's own Responses answers (JSON and named-event SSE) for the native path's mock.
 */
final class ResponsesSdk {
    private ResponsesSdk() {}

    static ResponseCreateParams.Builder create(String model) {
        return ResponseCreateParams.builder().model(model);
    }

    /** A function tool {@code get_weather(city)}, not strict (strict asks for additionalProperties: false). */
    static FunctionTool weatherTool() {
        return FunctionTool.builder().name("get_weather").description("Current weather for a city").strict(false)
                .parameters(FunctionTool.Parameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build())
                .build();
    }

    /** {@code text.format: json_schema} asking for {"name": string, "age": integer}. */
    static ResponseTextConfig personFormat() {
        return ResponseTextConfig.builder().format(ResponseFormatTextJsonSchemaConfig.builder().name("person").strict(true)
                .schema(ResponseFormatTextJsonSchemaConfig.Schema.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of(
                                "name", Map.of("type", "string"), "age", Map.of("type", "integer"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("name", "age")))
                        .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                        .build())
                .build()).build();
    }

    /** Every event of a streamed answer, read to its end. */
    static List<ResponseStreamEvent> stream(OpenAIClient client, ResponseCreateParams params) {
        try (StreamResponse<ResponseStreamEvent> s = client.responses().createStreaming(params)) {
            return new ArrayList<>(s.stream().toList());
        }
    }

    /** The streamed response as the SDK's accumulator puts it together (it fails on an event out of order). */
    static Response accumulate(List<ResponseStreamEvent> events) {
        ResponseAccumulator acc = ResponseAccumulator.create();
        events.forEach(acc::accumulate);
        return acc.response();
    }

    /** The shape every Responses stream must have: created first, then in_progress, completed (with usage) last. */
    static Response assertWellFormed(List<ResponseStreamEvent> events) {
        assertThat(events).as("events").isNotEmpty();
        assertThat(events.get(0).isCreated()).as("first event %s", events.get(0)).isTrue();
        ResponseStreamEvent last = events.get(events.size() - 1);
        assertThat(last.isCompleted()).as("last event %s", last).isTrue();
        assertThat(events.subList(0, events.size() - 1)).noneMatch(e -> e.isCompleted() || e.isFailed() || e.isError());
        assertThat(last.asCompleted().response().usage()).as("usage in response.completed").isPresent();
        return last.asCompleted().response();
    }

    static String deltas(List<ResponseStreamEvent> events) {
        StringBuilder sb = new StringBuilder();
        events.stream().filter(ResponseStreamEvent::isOutputTextDelta).forEach(e -> sb.append(e.asOutputTextDelta().delta()));
        return sb.toString();
    }

    static String argumentDeltas(List<ResponseStreamEvent> events, String itemId) {
        StringBuilder sb = new StringBuilder();
        events.stream().filter(ResponseStreamEvent::isFunctionCallArgumentsDelta).map(ResponseStreamEvent::asFunctionCallArgumentsDelta)
                .filter(d -> d.itemId().equals(itemId)).forEach(d -> sb.append(d.delta()));
        return sb.toString();
    }

    /** The text of every output_text part of every message item. */
    static String outputText(Response r) {
        StringBuilder sb = new StringBuilder();
        for (ResponseOutputItem item : r.output()) {
            if (item.isMessage()) item.asMessage().content().forEach(c -> c.outputText().ifPresent(t -> sb.append(t.text())));
        }
        return sb.toString();
    }

    static List<ResponseFunctionToolCall> functionCalls(Response r) {
        return r.output().stream().filter(ResponseOutputItem::isFunctionCall).map(ResponseOutputItem::asFunctionCall).toList();
    }

    /** The next turn of a tool loop: the user's question, the calls the model made, one output per call. */
    static List<ResponseInputItem> toolTurn(String question, List<ResponseFunctionToolCall> calls, List<String> outputs) {
        List<ResponseInputItem> items = new ArrayList<>();
        items.add(ResponseInputItem.ofEasyInputMessage(com.openai.models.responses.EasyInputMessage.builder()
                .role(com.openai.models.responses.EasyInputMessage.Role.USER).content(question).build()));
        calls.forEach(c -> items.add(ResponseInputItem.ofFunctionCall(c)));
        for (int i = 0; i < calls.size(); i++) {
            items.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                    .callId(calls.get(i).callId()).output(outputs.get(i)).build()));
        }
        return items;
    }

    // --- OpenAI's own Responses answers, for the native path ---

    /** A whole Responses API object as OpenAI answers it; {@code usage} "null" while in progress. */
    static String openAiResponse(String model, String status, String text, String usage, boolean store, String previous) {
        String output = text == null ? "[]" : "[{\"type\":\"message\",\"id\":\"msg_1\",\"status\":\"completed\",\"role\":\"assistant\","
                + "\"content\":[{\"type\":\"output_text\",\"text\":" + Json.write(text) + ",\"annotations\":[]}]}]";
        return "{\"id\":\"resp_native_1\",\"object\":\"response\",\"created_at\":1741476542,\"status\":\"" + status + "\",\"error\":null,"
                + "\"incomplete_details\":null,\"instructions\":null,\"max_output_tokens\":null,\"model\":\"" + model + "\","
                + "\"output\":" + output + ",\"parallel_tool_calls\":true,\"previous_response_id\":"
                + (previous == null ? "null" : Json.write(previous)) + ","
                + "\"reasoning\":{\"effort\":null,\"summary\":null},\"store\":" + store + ",\"temperature\":1.0,"
                + "\"text\":{\"format\":{\"type\":\"text\"}},\"tool_choice\":\"auto\",\"tools\":[],\"top_p\":1.0,"
                + "\"truncation\":\"disabled\",\"usage\":" + usage + ",\"user\":null,\"metadata\":{}}";
    }

    static String usage(long input, long cached, long output, long reasoning) {
        return "{\"input_tokens\":" + input + ",\"input_tokens_details\":{\"cached_tokens\":" + cached + "},\"output_tokens\":" + output
                + ",\"output_tokens_details\":{\"reasoning_tokens\":" + reasoning + "},\"total_tokens\":" + (input + output) + "}";
    }

    /** A Responses stream as OpenAI sends it: named events, the usage in response.completed, no [DONE]. */
    static List<String> openAiStream(String model, List<String> words, String usage) {
        List<String> events = new ArrayList<>();
        int seq = 0;
        events.add(event("response.created", "{\"type\":\"response.created\",\"sequence_number\":" + seq++ + ",\"response\":"
                + openAiResponse(model, "in_progress", null, "null", true, null) + "}"));
        events.add(event("response.output_item.added", "{\"type\":\"response.output_item.added\",\"sequence_number\":" + seq++
                + ",\"output_index\":0,\"item\":{\"id\":\"msg_1\",\"type\":\"message\",\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]}}"));
        events.add(event("response.content_part.added", "{\"type\":\"response.content_part.added\",\"sequence_number\":" + seq++
                + ",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"part\":{\"type\":\"output_text\",\"text\":\"\",\"annotations\":[]}}"));
        for (String w : words) {
            events.add(event("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"sequence_number\":" + seq++
                    + ",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":" + Json.write(w) + ",\"logprobs\":[]}"));
        }
        String text = String.join("", words);
        events.add(event("response.output_text.done", "{\"type\":\"response.output_text.done\",\"sequence_number\":" + seq++
                + ",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"text\":" + Json.write(text) + ",\"logprobs\":[]}"));
        events.add(event("response.completed", "{\"type\":\"response.completed\",\"sequence_number\":" + seq + ",\"response\":"
                + openAiResponse(model, "completed", text, usage, true, null) + "}"));
        return events;
    }

    static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data;
    }
}
