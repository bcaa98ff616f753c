package io.bricksllm.dialect.openai;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.Usage;
import java.util.OptionalLong;

/**
 * OpenAI's {@code usage} object. Counts not reported are left out rather than written as 0; cache
 * writes (which OpenAI never reports) go in {@code prompt_tokens_details.cache_write_tokens}, the
 * name OpenRouter uses for them.
 */
final class OpenAiUsageEncoder {

    ObjectNode encode(Usage usage) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        put(node, "prompt_tokens", usage.input());
        put(node, "completion_tokens", usage.output());
        if (usage.input().isPresent() && usage.output().isPresent()) {
            node.put("total_tokens", usage.input().getAsLong() + usage.output().getAsLong());
        }
        if (usage.cacheRead().isPresent() || usage.cacheWrite().isPresent()) {
            ObjectNode prompt = node.putObject("prompt_tokens_details");
            put(prompt, "cached_tokens", usage.cacheRead());
            put(prompt, "cache_write_tokens", usage.cacheWrite());
        }
        if (usage.reasoning().isPresent()) {
            node.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoning().getAsLong());
        }
        return node;
    }

    private static void put(ObjectNode node, String name, OptionalLong count) {
        count.ifPresent(value -> node.put(name, value));
    }
}
