package io.bricksllm.metering;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Recognises the extra chunk OpenAI sends when {@code stream_options.include_usage} is set: no
 * choices ({@code "choices":[]}) and a usage object. The gateway asks for usage on every stream
 * so it can meter exactly (DECISIONS.md "streaming cost"); a caller that did not ask must not see
 * that chunk, so the relay drops it.
 */
public final class OpenAiUsageChunkFilter {

    private OpenAiUsageChunkFilter() {
    }

    /** @param data one event's {@code data:} payload */
    public static boolean isUsageOnlyChunk(String data) {
        if (!data.contains("\"usage\"") || !data.contains("\"choices\"")) {
            return false; // the common case costs two substring scans
        }
        boolean emptyChoices = false;
        boolean usageObject = false;
        try (JsonParser p = JsonReading.FACTORY.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("choices")) {
                    emptyChoices = value == JsonToken.START_ARRAY && p.nextToken() == JsonToken.END_ARRAY;
                    if (!emptyChoices) {
                        return false;
                    }
                } else if (field.equals("usage")) {
                    usageObject = value == JsonToken.START_OBJECT;
                    p.skipChildren();
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return emptyChoices && usageObject;
    }
}
