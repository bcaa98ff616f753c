package io.bricksllm.proxy.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.provider.UsageDialect;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.forward.ResponseMeter;
import io.bricksllm.store.Json;
import io.vertx.core.MultiMap;
import java.util.Map;

/**
 * A caller of Anthropic's Messages API whose model is Anthropic's: the body goes as sent but for the model (without
 * its provider prefix) and the {@code models} list — thinking signatures, {@code cache_control} and every beta field
 * untouched — with the caller's {@code anthropic-version} (or a default: Anthropic requires one) and
 * {@code anthropic-beta}; the answer passes untouched and Anthropic's own meter reads it.
 */
final class AnthropicTarget extends EncodedOnce {
    private final String model;
    private final String leaf;

    /** @param leaf {@code /messages} or {@code /messages/count_tokens} */
    AnthropicTarget(String model, String leaf) {
        this.model = model;
        this.leaf = leaf;
    }

    @Override
    Upstream encodeNow(Exchange x) {
        JsonNode caller = CrossDialect.callerBody(x);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.setAll((ObjectNode) caller); // shallow: only top-level fields change
        body.put("model", model);
        body.remove("models");
        String version = x.request.getHeader("anthropic-version");
        return new Upstream(leaf, Bodies.of(Json.MAPPER, body),
                Map.of("anthropic-version", version == null || version.isBlank() ? AnthropicChat.VERSION : version), true);
    }

    @Override
    public ResponseMeter answer(Exchange x, int status, MultiMap headers) {
        return null;
    }

    @Override
    public UsageDialect callerDialect() {
        return UsageDialect.ANTHROPIC;
    }
}
