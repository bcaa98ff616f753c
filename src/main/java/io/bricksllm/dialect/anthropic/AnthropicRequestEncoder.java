package io.bricksllm.dialect.anthropic;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.Sampling;
import io.bricksllm.dialect.UnsupportedByDialectException;
import java.util.Optional;

/**
 * A canonical request as an Anthropic Messages API body. Fails with {@link UnsupportedByDialectException}
 * for what Anthropic cannot express (several choices), before anything is sent.
 */
public final class AnthropicRequestEncoder {

    static final String PROVIDER = "anthropic";

    private final ObjectMapper json;
    private final int defaultMaxTokens;
    private final AnthropicMessagesEncoder messages;
    private final AnthropicToolsEncoder tools;
    private final AnthropicThinkingEncoder thinking = new AnthropicThinkingEncoder();

    /** @param defaultMaxTokens the {@code max_tokens} sent when the caller set none (Anthropic requires one) */
    public AnthropicRequestEncoder(ObjectMapper json, int defaultMaxTokens) {
        if (defaultMaxTokens < 1) {
            throw new IllegalArgumentException("defaultMaxTokens must be positive: " + defaultMaxTokens);
        }
        this.json = json;
        this.defaultMaxTokens = defaultMaxTokens;
        this.messages = new AnthropicMessagesEncoder(json);
        this.tools = new AnthropicToolsEncoder(json);
    }

    /** @param upstreamModel the model id as Anthropic names it (the caller's prefix already removed) */
    public AnthropicCall encode(ChatRequest request, String upstreamModel) {
        Sampling sampling = request.sampling();
        if (sampling.n().orElse(1) > 1) {
            throw new UnsupportedByDialectException("n", PROVIDER, "only one choice per request");
        }
        ObjectNode body = json.createObjectNode();
        body.put("model", upstreamModel);
        body.put("max_tokens", sampling.maxOutputTokens().orElse(defaultMaxTokens));
        ArrayNode system = messages.system(request.messages());
        if (!system.isEmpty()) {
            body.set("system", system);
        }
        body.set("messages", messages.messages(request.messages()));
        Optional<String> answerTool = tools.encode(request, body);
        sampling.temperature().ifPresent(t -> {
            if (t > 1) {
                throw new UnsupportedByDialectException("temperature", PROVIDER, "it must be between 0 and 1");
            }
            body.put("temperature", t);
        });
        sampling.topP().ifPresent(p -> body.put("top_p", p));
        if (!sampling.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop_sequences");
            sampling.stop().forEach(stop::add);
        }
        thinking.encode(sampling, request.messages(), body);
        request.user().ifPresent(user -> body.putObject("metadata").put("user_id", user));
        if (request.streaming().stream()) {
            body.put("stream", true);
        }
        return new AnthropicCall(body, answerTool);
    }
}
