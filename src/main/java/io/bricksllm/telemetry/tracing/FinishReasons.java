package io.bricksllm.telemetry.tracing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.bricksllm.metering.SseListener;
import io.bricksllm.proxy.Exchange;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code gen_ai.response.finish_reasons} on the request's spans, read from the answer by the meters only when a span
 * records (tracing off or unsampled: one check, nothing read). Every dialect's own field is recognised: OpenAI
 * {@code finish_reason}, Anthropic {@code stop_reason}, Gemini {@code finishReason}, Bedrock {@code stopReason}; the
 * values are the provider's own words, as the conventions ask.
 */
public final class FinishReasons {
    static final AttributeKey<List<String>> KEY = AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
    private static final JsonFactory JSON = new JsonFactory();

    private FinishReasons() {
    }

    /** Whether {@code x}'s answer should be read for finish reasons: a span of its records. */
    public static boolean wanted(Exchange x) {
        return recording(x.clientSpan) || recording(x.serverSpan);
    }

    /** Reads a whole JSON answer's finish reasons onto {@code x}'s spans. */
    public static void fromJson(Exchange x, byte[] json) {
        List<String> found = scan(json);
        if (!found.isEmpty()) record(x, found);
    }

    /**
     * {@code listener} with each event's finish reasons put on {@code x}'s spans as they come (the last event that
     * names some wins: a stream's final chunk carries them).
     */
    public static SseListener observing(Exchange x, SseListener listener) {
        return (event, data) -> {
            listener.onEvent(event, data);
            if (mayName(data)) fromJson(x, data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        };
    }

    /** Cheap test before a parse: most stream events name no reason. */
    private static boolean mayName(String data) {
        return data.contains("_reason\"") || data.contains("Reason\"");
    }

    static List<String> scan(byte[] json) {
        List<String> found = new ArrayList<>(1);
        try (JsonParser p = JSON.createParser(json)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t != JsonToken.FIELD_NAME) continue;
                String name = p.currentName();
                if (!isReasonField(name)) continue;
                if (p.nextToken() == JsonToken.VALUE_STRING) {
                    String v = p.getText();
                    if (!v.isEmpty() && !found.contains(v) && found.size() < 16) found.add(v);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not JSON, or cut short: what was found so far stands
        }
        return found;
    }

    private static boolean isReasonField(String name) {
        return switch (name) {
            case "finish_reason", "stop_reason", "finishReason", "stopReason" -> true;
            default -> false;
        };
    }

    private static void record(Exchange x, List<String> reasons) {
        if (recording(x.clientSpan)) x.clientSpan.setAttribute(KEY, reasons);
        if (recording(x.serverSpan)) x.serverSpan.setAttribute(KEY, reasons);
    }

    private static boolean recording(Span s) {
        return s != null && s.isRecording();
    }
}
