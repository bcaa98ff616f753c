package io.bricksllm.metering;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.Optional;

/**
 * Small helpers over Jackson's streaming parser: metering reads a handful of fields from bodies
 * and SSE chunks that may be large, so it walks tokens and skips everything else instead of
 * building trees.
 */
final class JsonReading {

    /** Thread-safe once built; parsers it creates are per call. */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(500).build())
            .build();

    /** Marks a count the body did not contain, as opposed to a reported 0. */
    static final long ABSENT = -1;

    private JsonReading() {
    }

    /** Reads one dialect's {@code usage} value, the parser positioned on it; must consume the value. */
    @FunctionalInterface
    interface UsageReader {
        Optional<Usage> read(JsonParser p) throws IOException;
    }

    /**
     * One streaming pass over a response body for its top-level {@code model} and {@code usage};
     * everything else is skipped unread. Never throws: a truncated or malformed body keeps what
     * was read before the damage, a non-object body yields {@link ResponseMeta#NONE}.
     */
    static ResponseMeta readResponse(byte[] json, int offset, int length, UsageReader usageReader) {
        String model = null;
        Optional<Usage> usage = Optional.empty();
        try (JsonParser p = FACTORY.createParser(json, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return ResponseMeta.NONE;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "model" -> model = text(p);
                    case "usage" -> usage = usageReader.read(p);
                    default -> p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            // keep what was read before the damage
        }
        return new ResponseMeta(usage, Optional.ofNullable(model));
    }

    /**
     * The current value as a token count: {@link #ABSENT} for null (and a structure, skipped), {@link Usage#UNREADABLE}
     * for what no count can be (negative, fractional beyond an integer, a string, a number beyond {@code long}) so
     * that settling sees it as an anomaly instead of silently reading 0 or losing the whole usage object.
     */
    static long count(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                return Usage.UNREADABLE;
            }
            long v = p.getLongValue();
            return v < 0 ? Usage.UNREADABLE : v;
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            double v = p.getDoubleValue();
            return v >= 0 && v < Long.MAX_VALUE ? (long) v : Usage.UNREADABLE;
        }
        if (t == JsonToken.VALUE_NULL) {
            return ABSENT;
        }
        if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return Usage.UNREADABLE;
        }
        p.skipChildren();
        return ABSENT;
    }

    /** {@code a + b}, where an {@link Usage#UNREADABLE} part (or an overflow) makes the whole unreadable. */
    static long sum(long a, long b) {
        if (a == Usage.UNREADABLE || b == Usage.UNREADABLE) {
            return Usage.UNREADABLE;
        }
        long s = a + b;
        return s < 0 ? Usage.UNREADABLE : s;
    }

    /** The current value if it is a string, else null (structures are skipped). */
    static String text(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }

    static long orZero(long count) {
        return count == ABSENT ? 0 : count;
    }
}
