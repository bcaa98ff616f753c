package io.bricksllm.unified;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import io.bricksllm.testing.MockUpstream.Received;
import io.bricksllm.testing.MockUpstream.Reply;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An OpenAI-dialect upstream (OpenAI, Azure, vLLM, Mistral, …): checks the credential header and that the body names
 * the bare upstream model (no {@code provider/} prefix, no gateway-only fields), answers 401/400 in OpenAI's shape.
 */
final class OpenAiApi {
    private OpenAiApi() {}

    /** @param credentialHeader {@code Authorization} (value {@code Bearer <key>}) or Azure's {@code api-key} */
    static Function<Received, Reply> chat(String credentialHeader, String credential, String model, Function<JsonNode, Reply> answer) {
        return r -> {
            if (!credential.equals(r.header(credentialHeader))) {
                return error(401, "invalid_request_error", "Incorrect API key provided (" + credentialHeader + ")");
            }
            JsonNode body;
            try {
                body = Json.MAPPER.readTree(r.body());
            } catch (Exception e) {
                return error(400, "invalid_request_error", "We could not parse the JSON body of your request.");
            }
            if (!body.path("model").asText().equals(model)) {
                return error(404, "invalid_request_error", "The model `" + body.path("model").asText() + "` does not exist (expected " + model + ")");
            }
            if (body.has("models")) return error(400, "invalid_request_error", "Unrecognized request argument supplied: models");
            return answer.apply(body);
        };
    }

    static Reply error(int status, String type, String message) {
        return Reply.json(status, Json.write(Map.of("error", Map.of("message", message, "type", type))));
    }

    /** An embeddings answer in the encoding the request asked for (the SDKs ask for base64 by default). */
    static Reply embeddings(JsonNode request, String model, List<Float> vector, long promptTokens) {
        Object embedding = vector;
        if (request.path("encoding_format").asText().equals("base64")) {
            ByteBuffer b = ByteBuffer.allocate(vector.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
            vector.forEach(b::putFloat);
            embedding = Base64.getEncoder().encodeToString(b.array());
        }
        return Reply.json(200, Json.write(Map.of("object", "list", "model", model,
                "data", List.of(Map.of("object", "embedding", "index", 0, "embedding", embedding)),
                "usage", Map.of("prompt_tokens", promptTokens, "total_tokens", promptTokens))));
    }

    /** OpenAI chunks streaming two tool calls, their arguments split over deltas, then finish_reason tool_calls. */
    static List<String> toolCallStream(String model) {
        String head = "data: {\"id\":\"chatcmpl-t\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"delta\":";
        String tail = ",\"logprobs\":null,\"finish_reason\":null}]}";
        return List.of(
                head + "{\"role\":\"assistant\",\"content\":null}" + tail,
                head + "{\"tool_calls\":[{\"index\":0,\"id\":\"call_P\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}" + tail,
                head + "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}" + tail,
                head + "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]}" + tail,
                head + "{\"tool_calls\":[{\"index\":1,\"id\":\"call_R\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Rome\\\"}\"}}]}" + tail,
                "data: {\"id\":\"chatcmpl-t\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"" + model
                        + "\",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}]}",
                "data: {\"id\":\"chatcmpl-t\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"" + model
                        + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":4105,\"completion_tokens\":30,\"total_tokens\":4135}}",
                "data: [DONE]");
    }

    /** A chat completion whose message holds two tool calls. */
    static String toolCallAnswer(String model) {
        return """
                {"id":"chatcmpl-tc","object":"chat.completion","created":1700000000,"model":"%s",
                 "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
                   {"id":"call_P","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                   {"id":"call_R","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]},
                   "logprobs":null,"finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":40,"completion_tokens":20,"total_tokens":60}}
                """.formatted(model);
    }
}
