package io.bricksllm.dialect.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.Usage;
import java.util.OptionalLong;

/**
 * OpenAI's {@code usage} object as canonical usage. {@code prompt_tokens} already includes cached tokens, as the
 * canonical input does; counts not reported stay empty rather than 0. OpenAI never reports cache writes.
 */
final class OpenAiUsageDecoder {

    private OpenAiUsageDecoder() {
    }

    static Usage read(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.NOT_REPORTED;
        }
        OptionalLong cacheRead = count(usage.path("prompt_tokens_details").get("cached_tokens"));
        if (cacheRead.isEmpty()) {
            cacheRead = count(usage.get("prompt_cache_hit_tokens")); // DeepSeek's name for the same count
        }
        return new Usage(count(usage.get("prompt_tokens")), count(usage.get("completion_tokens")), cacheRead,
                OptionalLong.empty(), count(usage.path("completion_tokens_details").get("reasoning_tokens")));
    }

    private static OptionalLong count(JsonNode node) {
        return node != null && node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0
                ? OptionalLong.of(node.longValue()) : OptionalLong.empty();
    }
}
