package io.bricksllm.metering;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import java.io.IOException;
import java.util.Optional;

/**
 * Observes a Gemini {@code streamGenerateContent?alt=sse} stream: data-only events, no {@code [DONE]}. Every chunk
 * may carry {@code usageMetadata} with the counts so far; the last one that does holds the totals, so each replaces
 * the one before (summing would overcharge). Text is every candidate's text parts, thoughts included.
 *
 * <p>Gemini sends a few coarse chunks (sentences, not tokens), so each is read as a tree; one that names neither
 * text, usage nor the model is skipped unparsed.
 */
public final class GeminiStreamObserver implements StreamUsageObserver {

    private final StreamTranscript transcript = new StreamTranscript();
    private Optional<Usage> usage = Optional.empty();

    @Override
    public void onEvent(String event, String data) {
        if (!data.contains("\"text\"") && !data.contains("\"usageMetadata\"") && !data.contains("\"modelVersion\"")) {
            return;
        }
        JsonNode chunk;
        try {
            chunk = Json.MAPPER.readTree(data);
        } catch (IOException | RuntimeException e) {
            return; // a malformed chunk carries nothing to meter; keep observing
        }
        if (chunk == null || !chunk.isObject()) return;
        GeminiResponses.usageOf(chunk).ifPresent(u -> usage = Optional.of(u));
        GeminiResponses.modelOf(chunk).ifPresent(transcript::noteModel);
        transcript.append(GeminiResponses.answerText(chunk));
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
