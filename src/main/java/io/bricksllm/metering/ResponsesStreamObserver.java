package io.bricksllm.metering;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Optional;

/**
 * Observes a stream of OpenAI's Responses API ({@code event: response.*} events, no {@code [DONE]}). Every event's
 * data is {@code {"type": …, …}}: the text is the {@code delta} of {@code response.output_text.delta} (and of
 * {@code response.refusal.delta}, billed the same); the model and the usage are those of the {@code response} object
 * that {@code response.created} opens and {@code response.completed} / {@code response.incomplete} /
 * {@code response.failed} close with its {@code usage} (the Responses field names, read by {@link OpenAiUsage}).
 *
 * <p>As in {@link OpenAiStreamObserver}, an event is parsed only when a substring scan says it may hold something
 * wanted, and then with a streaming parser that skips the rest (the closing event repeats the whole output).
 */
public final class ResponsesStreamObserver implements StreamUsageObserver {

    private final StreamTranscript transcript = new StreamTranscript();
    private Optional<Usage> usage = Optional.empty();

    @Override
    public void onEvent(String event, String data) {
        if (data.isEmpty() || !worthParsing(data)) {
            return;
        }
        try (JsonParser p = JsonReading.FACTORY.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            String type = null;
            String delta = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "type" -> type = JsonReading.text(p);
                    case "delta" -> delta = JsonReading.text(p);
                    case "response" -> readResponse(p);
                    default -> p.skipChildren();
                }
            }
            // the type may follow the delta in the object: decide once both are read
            if (delta != null && ("response.output_text.delta".equals(type) || "response.refusal.delta".equals(type))) {
                transcript.append(delta);
            }
        } catch (IOException | RuntimeException e) {
            // a malformed event carries nothing to meter; keep observing
        }
    }

    private boolean worthParsing(String data) {
        return data.contains("\"usage\"") || data.contains("text.delta\"") || data.contains("refusal.delta\"")
                || (!transcript.knowsModel() && data.contains("\"model\""));
    }

    /** The {@code response} object: its model, and its usage once it has one (null until the closing event). */
    private void readResponse(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "model" -> transcript.noteModel(JsonReading.text(p));
                case "usage" -> OpenAiUsage.readUsage(p).ifPresent(u -> usage = Optional.of(u));
                default -> p.skipChildren();
            }
        }
    }

    @Override
    public Optional<Usage> usage() {
        return usage;
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
