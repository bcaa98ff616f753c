package io.bricksllm.dialect.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.Usage;

import java.util.OptionalLong;

/**
 * Canonical usage in Anthropic's shape, the inverse of {@link AnthropicUsageCounts}: Anthropic's {@code input_tokens}
 * is the uncached part of the prompt only, so cache reads and writes come off the canonical (whole-prompt) input.
 * The SDKs want both token counts present; an unreported one is written as 0 (it is not billed from here: the
 * gateway meters from the canonical usage), and the cache counts as null, as Anthropic does.
 */
final class AnthropicUsageEncoder {

    void write(Usage usage, ObjectNode target) {
        long cacheRead = usage.cacheRead().orElse(0);
        long cacheWrite = usage.cacheWrite().orElse(0);
        target.put("input_tokens", Math.max(0, usage.input().orElse(0) - cacheRead - cacheWrite));
        target.put("output_tokens", usage.output().orElse(0));
        put(target, "cache_creation_input_tokens", usage.cacheWrite());
        put(target, "cache_read_input_tokens", usage.cacheRead());
    }

    private static void put(ObjectNode target, String name, OptionalLong count) {
        if (count.isPresent()) {
            target.put(name, count.getAsLong());
        } else {
            target.putNull(name);
        }
    }
}
