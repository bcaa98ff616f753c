package io.bricksllm.proxy.meter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.store.Json;
import java.math.BigDecimal;

/** Writes the charged cost into an OpenAI usage chunk as {@code usage.cost} (a number, in USD). */
final class UsageCost {
    private UsageCost() {
    }

    /** {@code chunk} with {@code usage.cost}; the chunk unchanged when it is not a JSON object with a usage object. */
    static String added(String chunk, double costUsd) {
        try {
            JsonNode tree = Json.MAPPER.readTree(chunk);
            if (tree instanceof ObjectNode o && o.get("usage") instanceof ObjectNode usage) {
                usage.put("cost", BigDecimal.valueOf(costUsd));
                return Json.MAPPER.writeValueAsString(o);
            }
        } catch (Exception e) {
            // not the JSON it looked like: the caller gets it as it came
        }
        return chunk;
    }
}
