package io.bricksllm.dialect.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.Usage;
import java.util.OptionalLong;

/**
 * {@code usageMetadata} as canonical usage. {@code promptTokenCount} already includes
 * {@code cachedContentTokenCount}, which is its cache-read detail. Gemini counts thinking apart from
 * {@code candidatesTokenCount}, while OpenAI counts reasoning inside {@code completion_tokens} (with
 * {@code reasoning_tokens} as a detail), so output is the sum of both. Gemini reports no cache writes.
 * Absent counts in a present {@code usageMetadata} are zeros (proto3 JSON omits them); only the
 * output count is made explicit, the details stay "not reported".
 */
public final class GeminiUsage {

    private GeminiUsage() {
    }

    /**
     * Also the usage reader of the native path ({@code /api/providers/gemini/…}): pass a response's
     * or a stream chunk's {@code usageMetadata}; in a stream the last chunk's counts are the totals.
     */
    public static Usage read(JsonNode metadata) {
        if (metadata == null || !metadata.isObject()) {
            return Usage.NOT_REPORTED;
        }
        OptionalLong candidates = count(metadata.get("candidatesTokenCount"));
        OptionalLong thoughts = count(metadata.get("thoughtsTokenCount"));
        // proto3 JSON leaves zero counts out: a blocked answer has no candidatesTokenCount, and produced 0
        OptionalLong output = OptionalLong.of(candidates.orElse(0) + thoughts.orElse(0));
        return new Usage(count(metadata.get("promptTokenCount")), output, count(metadata.get("cachedContentTokenCount")),
                OptionalLong.empty(), thoughts);
    }

    private static OptionalLong count(JsonNode node) {
        return node != null && node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0
                ? OptionalLong.of(node.longValue()) : OptionalLong.empty();
    }
}
