package io.bricksllm.metering;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.bricksllm.metering.AnthropicUsage.Counts;
import java.io.IOException;
import java.util.Optional;

/**
 * Observes an Anthropic Messages stream. Input and cache tokens come from {@code message_start}
 * ({@code message.usage}); output tokens from the LAST {@code message_delta} — its counts are
 * cumulative, so summing them would overcharge. Newer streams repeat input and cache counts in
 * {@code message_delta}; those replace the start's. Text is what the model wrote, as a stream with no (or cut
 * before its final) usage is counted: {@code content_block_delta}'s {@code text}, {@code thinking} and tool-input
 * {@code partial_json} — all billed as output; an agent's answer is mostly thinking and tool calls — and
 * {@code completion} for the legacy {@code /v1/complete} stream.
 *
 * <p>Events are dispatched by SSE event name (falling back to the payload's {@code type} when the
 * name is missing); pings, block boundaries and non-text deltas are skipped without parsing.
 */
public final class AnthropicStreamObserver implements StreamUsageObserver {

    private final StreamTranscript transcript = new StreamTranscript();
    private Counts counts = Counts.NONE;

    @Override
    public void onEvent(String event, String data) {
        switch (event) {
            case "ping", "content_block_start", "content_block_stop", "message_stop", "error" -> {
                // nothing to meter
            }
            case "content_block_delta" -> {
                if (data.contains("\"text_delta\"") || data.contains("\"thinking_delta\"") || data.contains("\"input_json_delta\"")) {
                    parse(data);
                }
            }
            default -> parse(data);
        }
    }

    /** One pass over the payload; what it holds decides what is kept, so the event name is only a filter. */
    private void parse(String data) {
        try (JsonParser p = JsonReading.FACTORY.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "message" -> readMessage(p);
                    case "usage" -> counts = counts.merge(Counts.read(p));
                    case "delta" -> readDelta(p);
                    case "completion" -> transcript.append(JsonReading.text(p));
                    case "model" -> transcript.noteModel(JsonReading.text(p));
                    default -> p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            // a malformed event carries nothing to meter; keep observing
        }
    }

    private void readMessage(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "model" -> transcript.noteModel(JsonReading.text(p));
                case "usage" -> counts = counts.merge(Counts.read(p));
                default -> p.skipChildren();
            }
        }
    }

    /** Text, thinking and tool-input JSON deltas are written output; signatures are not. */
    private void readDelta(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        String type = null;
        String deltaText = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "type" -> type = JsonReading.text(p);
                case "text", "thinking", "partial_json" -> deltaText = JsonReading.text(p);
                default -> p.skipChildren();
            }
        }
        if ("text_delta".equals(type) || "thinking_delta".equals(type) || "input_json_delta".equals(type)) {
            transcript.append(deltaText);
        }
    }

    @Override
    public Optional<Usage> usage() {
        return counts.usage();
    }

    @Override
    public String text() {
        return transcript.text();
    }

    @Override
    public Optional<String> model() {
        return transcript.model();
    }
}
