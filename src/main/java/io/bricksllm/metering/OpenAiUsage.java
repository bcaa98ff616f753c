package io.bricksllm.metering;

import static io.bricksllm.metering.JsonReading.ABSENT;
import static io.bricksllm.metering.JsonReading.count;
import static io.bricksllm.metering.JsonReading.orZero;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Optional;

/**
 * Usage in the OpenAI wire dialect (OpenAI, Azure, vLLM, Deepinfra): {@code usage.prompt_tokens},
 * {@code completion_tokens}, {@code prompt_tokens_details.cached_tokens},
 * {@code completion_tokens_details.reasoning_tokens}; embeddings report only
 * {@code prompt_tokens}/{@code total_tokens}. The Responses API's {@code input_tokens}/{@code
 * output_tokens}/{@code input_tokens_details.cached_tokens}/{@code output_tokens_details.reasoning_tokens}
 * are read as well.
 */
public final class OpenAiUsage {

    private OpenAiUsage() {
    }

    /** Reads the body in one streaming pass; never throws (a non-JSON body yields {@link ResponseMeta#NONE}). */
    public static ResponseMeta fromResponse(byte[] json) {
        return fromResponse(json, 0, json.length);
    }

    public static ResponseMeta fromResponse(byte[] json, int offset, int length) {
        return JsonReading.readResponse(json, offset, length, OpenAiUsage::readUsage);
    }

    /** Reads a {@code usage} value the parser is positioned on; {@code null} or an empty object is "not reported". */
    static Optional<Usage> readUsage(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return Optional.empty();
        }
        long prompt = ABSENT;
        long completion = ABSENT;
        long total = ABSENT;
        long cached = ABSENT;
        long reasoning = ABSENT;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "prompt_tokens", "input_tokens" -> prompt = count(p);
                case "completion_tokens", "output_tokens" -> completion = count(p);
                case "total_tokens" -> total = count(p);
                case "prompt_tokens_details", "input_tokens_details" -> cached = detail(p, "cached_tokens");
                case "completion_tokens_details", "output_tokens_details" -> reasoning = detail(p, "reasoning_tokens");
                default -> p.skipChildren();
            }
        }
        if (prompt == ABSENT && total != ABSENT) {
            prompt = total == Usage.UNREADABLE ? total : Math.max(0, total - orZero(completion));
        }
        if (prompt == ABSENT) {
            return Optional.empty();
        }
        // an unreadable cached count stays unreadable (the bounds flag it) rather than pricing the prompt as cached
        long cacheRead = cached == Usage.UNREADABLE ? cached : Math.min(orZero(cached), prompt);
        // reasoning is part of completion_tokens; likewise an unreadable figure stays unreadable for the bounds
        long output = orZero(completion);
        long reasoningTokens = reasoning == Usage.UNREADABLE ? reasoning : Math.min(orZero(reasoning), output);
        return Optional.of(new Usage(prompt, output, cacheRead, 0, reasoningTokens));
    }

    /** One count of a {@code *_tokens_details} object the parser is positioned on, {@link JsonReading#ABSENT} if missing. */
    private static long detail(JsonParser p, String name) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return ABSENT;
        }
        long value = ABSENT;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            if (field.equals(name)) {
                value = count(p);
            } else {
                p.skipChildren();
            }
        }
        return value;
    }
}
