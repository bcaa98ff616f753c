package io.bricksllm.proxy.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.provider.Provider;
import io.bricksllm.provider.UsageDialect;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.forward.ResponseMeter;
import io.bricksllm.store.Json;
import java.util.Map;

/**
 * A provider that speaks OpenAI's API (OpenAI, Azure, vLLM, the OpenAI-compatible clouds): the caller's body goes as
 * it is but for the model (without its provider prefix), the unified endpoint's {@code models} list, and the usage
 * chunk the gateway asks a chat stream for (the Responses API always reports usage and refuses {@code stream_options});
 * the answer passes untouched and the provider's own meter reads it.
 */
final class OpenAiTarget extends EncodedOnce {
    private final Provider provider;
    private final String model;
    private final String leaf;
    private final Map<String, String> params;

    OpenAiTarget(Provider provider, String model, String leaf, Map<String, String> params) {
        this.provider = provider;
        this.model = model;
        this.leaf = leaf;
        this.params = params;
    }

    @Override
    Upstream encodeNow(Exchange x) {
        JsonNode caller = x.info.json();
        ObjectNode body = Json.MAPPER.createObjectNode();
        if (caller instanceof ObjectNode o) body.setAll(o); // shallow: only top-level fields change
        body.put("model", model);
        body.remove("models");
        if (x.info.stream() && !x.info.includeUsageRequested() && x.endpoint.operation().streamUsageOnRequest()) {
            JsonNode so = body.get("stream_options");
            ObjectNode opts = so instanceof ObjectNode o ? o.deepCopy() : Json.MAPPER.createObjectNode();
            opts.put("include_usage", true);
            body.set("stream_options", opts);
            x.usageChunkInjected = true;
        }
        // straight to UTF-8 bytes: Json.write would build a String first and encode it again
        return new Upstream(provider.openAiPath(leaf, model, params, x.setting), Bodies.of(Json.MAPPER, body), Map.of(), true);
    }

    @Override
    public ResponseMeter answer(Exchange x, int status, io.vertx.core.MultiMap headers) {
        return null;
    }

    @Override
    public UsageDialect callerDialect() {
        return UsageDialect.OPENAI;
    }
}
