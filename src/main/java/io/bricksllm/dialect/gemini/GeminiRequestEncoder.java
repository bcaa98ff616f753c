package io.bricksllm.dialect.gemini;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.ReasoningEffort;
import io.bricksllm.dialect.Sampling;
import io.bricksllm.dialect.UnsupportedByDialectException;

/**
 * A canonical request as a Gemini {@code generateContent} body and path. Fails with
 * {@link UnsupportedByDialectException} for what cannot be expressed, before anything is sent.
 *
 * <p>{@code n > 1} is refused although Gemini has {@code candidateCount}: the canonical answer carries
 * one choice, so further candidates would be paid for and dropped. {@code user} has no Gemini field
 * and is left out (the gateway still records it); {@code parallel_tool_calls} has no switch either
 * and is left out (the model may call several functions at once, which an OpenAI caller handles).
 */
public final class GeminiRequestEncoder {

    static final String PROVIDER = "gemini";

    private final ObjectMapper json;
    private final GeminiContentsEncoder contents;
    private final GeminiToolsEncoder tools;

    public GeminiRequestEncoder(ObjectMapper json) {
        this.json = json;
        this.contents = new GeminiContentsEncoder(json);
        this.tools = new GeminiToolsEncoder(json);
    }

    /** @param upstreamModel the model id as Gemini names it (the caller's prefix already removed) */
    public GeminiCall encode(ChatRequest request, String upstreamModel) {
        String path = request.streaming().stream() ? GeminiPaths.streamGenerateContent(upstreamModel)
                : GeminiPaths.generateContent(upstreamModel);
        Sampling sampling = request.sampling();
        if (sampling.n().orElse(1) > 1) {
            throw new UnsupportedByDialectException("n", PROVIDER, "only one choice per request");
        }
        ObjectNode body = json.createObjectNode();
        body.set("contents", contents.contents(request.messages()));
        contents.systemInstruction(request.messages()).ifPresent(system -> body.set("systemInstruction", system));
        ObjectNode config = json.createObjectNode();
        tools.encode(request, body, config);
        generation(sampling, config);
        if (!config.isEmpty()) {
            body.set("generationConfig", config);
        }
        return new GeminiCall(path, body);
    }

    private void generation(Sampling sampling, ObjectNode config) {
        sampling.maxOutputTokens().ifPresent(max -> config.put("maxOutputTokens", max));
        sampling.temperature().ifPresent(t -> config.put("temperature", t));
        sampling.topP().ifPresent(p -> config.put("topP", p));
        if (!sampling.stop().isEmpty()) {
            ArrayNode stop = config.putArray("stopSequences");
            sampling.stop().forEach(stop::add);
        }
        sampling.reasoningEffort().ifPresent(effort -> thinking(effort, config.putObject("thinkingConfig")));
    }

    /**
     * OpenAI's effort as a thinking budget in tokens (Gemini 3 models also accept budgets). Like
     * OpenAI's {@code max_completion_tokens}, Gemini's {@code maxOutputTokens} includes thinking, so
     * the caller's cap passes unchanged. Thoughts are asked for so they come back as reasoning.
     */
    private static void thinking(ReasoningEffort effort, ObjectNode thinking) {
        int budget = switch (effort) {
            case NONE -> 0;
            case MINIMAL -> 512;
            case LOW -> 1024;
            case MEDIUM -> 8192;
            case HIGH -> 24576;
        };
        thinking.put("thinkingBudget", budget);
        if (budget > 0) {
            thinking.put("includeThoughts", true);
        }
    }
}
