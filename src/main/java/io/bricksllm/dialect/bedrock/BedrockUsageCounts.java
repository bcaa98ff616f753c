package io.bricksllm.dialect.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.Usage;
import java.util.OptionalLong;

/**
 * Usage as Converse reports it ({@code usage} of a response, or of a stream's {@code metadata} event).
 * Like Anthropic's, Bedrock's {@code inputTokens} leaves out the tokens read from and written to the
 * prompt cache ({@code totalTokens} = input + output + both cache counts), so the canonical input, the
 * whole prompt, is their sum. Bedrock does not report reasoning tokens apart from {@code outputTokens}.
 */
final class BedrockUsageCounts {

    private BedrockUsageCounts() {
    }

    static Usage read(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.NOT_REPORTED;
        }
        OptionalLong input = count(usage.get("inputTokens"));
        OptionalLong cacheRead = count(usage.get("cacheReadInputTokens"));
        OptionalLong cacheWrite = count(usage.get("cacheWriteInputTokens"));
        OptionalLong total = input.isEmpty() ? OptionalLong.empty()
                : OptionalLong.of(input.getAsLong() + cacheRead.orElse(0) + cacheWrite.orElse(0));
        return new Usage(total, count(usage.get("outputTokens")), cacheRead, cacheWrite, OptionalLong.empty());
    }

    private static OptionalLong count(JsonNode node) {
        return node != null && node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0
                ? OptionalLong.of(node.longValue()) : OptionalLong.empty();
    }
}
