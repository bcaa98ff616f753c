package io.bricksllm.proxy;

/** What an endpoint does, which decides how it is metered and priced. */
public enum Operation {
    CHAT(true),
    COMPLETION(true),
    EMBEDDINGS(false),
    MESSAGES(true),
    /** OpenAI's Responses API: usage in the answer's {@code usage}, or in the stream's {@code response.completed} event. */
    RESPONSES(true),
    SPEECH(false),
    TRANSCRIPTION(false),
    TRANSLATION(false),
    /** A custom provider's route: metered by the JSON paths of its configuration. */
    CUSTOM(true),
    /** Counts a request's input tokens (Anthropic's {@code count_tokens}): forwarded or answered by the gateway, never priced. */
    TOKEN_COUNT(false),
    /** Forwarded and recorded, never priced (files, models, assistants, batches, images, moderations, …). */
    PASS_THROUGH(false),
    /**
     * The caller's own key, its limits and what of them is used ({@code GET /v1/key}): answered by the gateway, counted
     * against no limit — asking how much is left must not use any of it.
     */
    KEY_VIEW(false);

    private final boolean streamable;

    Operation(boolean streamable) {
        this.streamable = streamable;
    }

    public boolean streamable() {
        return streamable;
    }

    /** Whether the upstream writes tokens an output cap bounds (what a token reservation counts beyond the prompt). */
    public boolean generatesTokens() {
        return this == CHAT || this == COMPLETION || this == MESSAGES || this == RESPONSES || this == CUSTOM;
    }

    /** Whether the request body is prompt text a tokenizer can count (a token reservation's input). */
    public boolean hasTextPrompt() {
        return generatesTokens() || this == EMBEDDINGS;
    }

    /** Whether a request takes a slot of the rate limits and reserves budget (key and end user). */
    public boolean countsAgainstLimits() {
        return this != KEY_VIEW;
    }

    /**
     * Whether a stream of this operation reports its usage only when asked ({@code stream_options.include_usage}):
     * chat and legacy completions. The Responses API always reports it and rejects {@code stream_options}.
     */
    public boolean streamUsageOnRequest() {
        return this == CHAT || this == COMPLETION;
    }
}
