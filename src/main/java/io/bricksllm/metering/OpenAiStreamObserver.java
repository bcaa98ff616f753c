package io.bricksllm.metering;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Optional;

/**
 * Observes an OpenAI-dialect stream (chat and legacy completions; OpenAI, Azure, vLLM, Deepinfra).
 * Text is {@code choices[].delta.content} (chat) or {@code choices[].text} (completions) of every
 * chunk; all choices count because all of them are billed. Usage comes from a chunk whose
 * {@code usage} is an object — the final chunk when {@code stream_options.include_usage} is set, or
 * the latest cumulative one from servers that send usage on every chunk.
 *
 * <p>Chunks arrive by the thousand per second, so a chunk is only parsed when a plain substring
 * scan says it may hold something wanted, and then with a streaming parser, never a tree.
 */
public final class OpenAiStreamObserver implements StreamUsageObserver {

    private final StreamTranscript transcript = new StreamTranscript();
    private Optional<Usage> usage = Optional.empty();

    @Override
    public void onEvent(String event, String data) {
        if (data.isEmpty() || data.startsWith("[DONE]") || !worthParsing(data)) {
            return;
        }
        try (JsonParser p = JsonReading.FACTORY.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "model" -> transcript.noteModel(JsonReading.text(p));
                    case "choices" -> readChoices(p);
                    case "usage" -> OpenAiUsage.readUsage(p).ifPresent(u -> usage = Optional.of(u));
                    default -> p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            // a malformed chunk (e.g. an error line) carries nothing to meter; keep observing
        }
    }

    private boolean worthParsing(String data) {
        return data.contains("\"content\"") || data.contains("\"text\"") || data.contains("\"usage\"")
                || (!transcript.knowsModel() && data.contains("\"model\""));
    }

    private void readChoices(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "delta" -> readDelta(p);
                    case "text" -> transcript.append(JsonReading.text(p));
                    default -> p.skipChildren();
                }
            }
        }
    }

    private void readDelta(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            if (field.equals("content")) {
                transcript.append(JsonReading.text(p));
            } else {
                p.skipChildren(); // tool-call deltas are not text (as in the original)
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
