package io.bricksllm.dialect.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.Usage;
import java.util.OptionalLong;

/**
 * Usage as Anthropic reports it. Its {@code input_tokens} excludes cached tokens, so the canonical
 * input is the sum of the three input counts; streams report counts piecemeal and cumulatively
 * ({@code message_start}, then {@code message_delta}), so later counts replace earlier ones.
 */
record AnthropicUsageCounts(OptionalLong input, OptionalLong output, OptionalLong cacheRead,
        OptionalLong cacheWrite, OptionalLong thinking) {

    static final AnthropicUsageCounts NONE = new AnthropicUsageCounts(OptionalLong.empty(), OptionalLong.empty(),
            OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());

    static AnthropicUsageCounts read(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return NONE;
        }
        return new AnthropicUsageCounts(count(usage.get("input_tokens")), count(usage.get("output_tokens")),
                count(usage.get("cache_read_input_tokens")), count(usage.get("cache_creation_input_tokens")),
                count(usage.path("output_tokens_details").get("thinking_tokens")));
    }

    AnthropicUsageCounts updatedBy(AnthropicUsageCounts later) {
        return new AnthropicUsageCounts(pick(later.input, input), pick(later.output, output),
                pick(later.cacheRead, cacheRead), pick(later.cacheWrite, cacheWrite), pick(later.thinking, thinking));
    }

    Usage toUsage() {
        OptionalLong total = input.isEmpty() ? OptionalLong.empty()
                : OptionalLong.of(input.getAsLong() + cacheRead.orElse(0) + cacheWrite.orElse(0));
        return new Usage(total, output, cacheRead, cacheWrite, thinking);
    }

    private static OptionalLong count(JsonNode node) {
        return node != null && node.canConvertToLong() && node.isIntegralNumber() && node.longValue() >= 0
                ? OptionalLong.of(node.longValue()) : OptionalLong.empty();
    }

    private static OptionalLong pick(OptionalLong later, OptionalLong earlier) {
        return later.isPresent() ? later : earlier;
    }
}
