package io.bricksllm.proxy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.metering.PriceBook;
import io.bricksllm.provider.Provider;
import io.bricksllm.provider.Providers;
import io.bricksllm.store.Json;
import io.bricksllm.store.ProviderSetting;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code GET /v1/models} of the unified API, answered by the gateway: in OpenAI's list shape, every model the key
 * may call, spelled {@code <provider>/<model id>} — a setting's {@code allowedModels}, or, when it allows every
 * model, the models the price book prices for its provider.
 */
public final class UnifiedModels {
    private final Providers providers;
    private final Supplier<PriceBook> prices;

    public UnifiedModels(Providers providers, Supplier<PriceBook> prices) {
        this.providers = providers;
        this.prices = prices;
    }

    Outcome answer(Exchange x) {
        Map<String, String> owners = new TreeMap<>();
        for (ProviderSetting s : x.config.settingsOf(x.key)) {
            Provider p = providers.get(s.provider()).orElse(null);
            if (p == null) continue; // custom providers are called at their own paths
            Iterable<String> ids = s.allowedModels().isEmpty() ? prices.get().modelIds(p.priceProvider()) : s.allowedModels();
            for (String id : ids) owners.put(p.name() + "/" + id, p.name());
        }
        ObjectNode list = Json.MAPPER.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        owners.forEach((id, owner) -> data.addObject().put("id", id).put("object", "model").put("created", 0).put("owned_by", owner));
        byte[] body = Json.write(list).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        x.request.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(Buffer.buffer(body));
        return new Outcome(200, "", 0, 0, 0, 0, false, x.key.shouldLogResponse() ? body : null, null, false);
    }
}
