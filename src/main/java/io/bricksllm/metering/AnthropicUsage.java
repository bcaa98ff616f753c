package io.bricksllm.metering;

import static io.bricksllm.metering.JsonReading.ABSENT;
import static io.bricksllm.metering.JsonReading.count;
import static io.bricksllm.metering.JsonReading.orZero;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Optional;

/**
 * Usage in the Anthropic Messages dialect: {@code usage.input_tokens}, {@code output_tokens},
 * {@code cache_read_input_tokens}, {@code cache_creation_input_tokens}. Anthropic's
 * {@code input_tokens} excludes cached tokens, so {@link Usage#inputTokens()} is the sum of all three.
 */
public final class AnthropicUsage {

    private AnthropicUsage() {
    }

    /** Reads the body in one streaming pass; never throws (a non-JSON body yields {@link ResponseMeta#NONE}). */
    public static ResponseMeta fromResponse(byte[] json) {
        return fromResponse(json, 0, json.length);
    }

    public static ResponseMeta fromResponse(byte[] json, int offset, int length) {
        return JsonReading.readResponse(json, offset, length, p -> Counts.read(p).usage());
    }

    /**
     * The four counts as Anthropic reports them, each possibly {@link JsonReading#ABSENT}: streams
     * report them piecemeal ({@code message_start}, then cumulative {@code message_delta}s).
     */
    record Counts(long input, long output, long cacheRead, long cacheWrite) {

        static final Counts NONE = new Counts(ABSENT, ABSENT, ABSENT, ABSENT);

        static Counts read(JsonParser p) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                p.skipChildren();
                return NONE;
            }
            long input = ABSENT;
            long output = ABSENT;
            long cacheRead = ABSENT;
            long cacheWrite = ABSENT;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "input_tokens" -> input = count(p);
                    case "output_tokens" -> output = count(p);
                    case "cache_read_input_tokens" -> cacheRead = count(p);
                    case "cache_creation_input_tokens" -> cacheWrite = count(p);
                    default -> p.skipChildren();
                }
            }
            return new Counts(input, output, cacheRead, cacheWrite);
        }

        /** Later counts replace earlier ones (Anthropic's stream counts are cumulative, never increments). */
        Counts merge(Counts later) {
            return new Counts(pick(later.input, input), pick(later.output, output),
                    pick(later.cacheRead, cacheRead), pick(later.cacheWrite, cacheWrite));
        }

        /** Reported once the prompt size is known; output alone cannot be priced sensibly. */
        Optional<Usage> usage() {
            if (input == ABSENT) {
                return Optional.empty();
            }
            long read = orZero(cacheRead);
            long write = orZero(cacheWrite);
            return Optional.of(new Usage(JsonReading.sum(JsonReading.sum(input, read), write), orZero(output), read, write));
        }

        private static long pick(long later, long earlier) {
            return later == ABSENT ? earlier : later;
        }
    }
}
