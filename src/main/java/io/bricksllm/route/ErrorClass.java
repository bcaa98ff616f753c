package io.bricksllm.route;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * What went wrong with an upstream answer, as route fallbacks name it, read from each provider's own error body:
 * OpenAI {@code context_length_exceeded} / {@code content_filter} / 429; Anthropic {@code invalid_request_error}
 * "prompt is too long" / {@code overloaded_error} (529) / 429; Gemini {@code INVALID_ARGUMENT} "input token count …
 * exceeds the maximum" / 429 {@code RESOURCE_EXHAUSTED}; Azure {@code content_filter} with
 * {@code ResponsibleAIPolicyViolation}; Bedrock "Input is too long" / {@code ThrottlingException}; vLLM "maximum context
 * length". Matching is on the body's text: the markers are distinctive and the JSON shapes differ per provider.
 */
public enum ErrorClass {
    CONTEXT_WINDOW_EXCEEDED, CONTENT_POLICY, RATE_LIMITED;

    /** Enough of a body to hold any provider's error object; the rest is not read. */
    static final int MAX_READ = 16 * 1024;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ErrorClass> ofLabel(String label) {
        for (ErrorClass c : values()) if (c.label().equals(label)) return Optional.of(c);
        return Optional.empty();
    }

    public static Optional<ErrorClass> of(int status, Buffer body) {
        if (status < 400) return Optional.empty();
        String text = body == null ? "" : new String(body.getBytes(0, Math.min(body.length(), MAX_READ)), StandardCharsets.UTF_8)
                .toLowerCase(Locale.ROOT);
        if (status == 429 || status == 529 || text.contains("overloaded_error") || text.contains("resource_exhausted")
                || text.contains("throttlingexception") || text.contains("rate_limit_exceeded")) {
            return Optional.of(RATE_LIMITED);
        }
        if (status >= 500) return Optional.empty();
        if (text.contains("content_filter") || text.contains("responsibleaipolicyviolation") || text.contains("content_policy_violation")
                || text.contains("content management policy")) {
            return Optional.of(CONTENT_POLICY);
        }
        if (text.contains("context_length_exceeded") || text.contains("prompt is too long") || text.contains("maximum context length")
                || (text.contains("token count") && text.contains("exceeds the maximum")) || text.contains("input is too long")
                || text.contains("too many input tokens") || text.contains("context window")) {
            return Optional.of(CONTEXT_WINDOW_EXCEEDED);
        }
        return Optional.empty();
    }
}
