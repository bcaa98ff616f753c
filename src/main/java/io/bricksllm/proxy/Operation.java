package io.bricksllm.proxy;

/** What an endpoint does, which decides how it is metered and priced. */
public enum Operation {
    CHAT(true),
    COMPLETION(true),
    EMBEDDINGS(false),
    MESSAGES(true),
    SPEECH(false),
    TRANSCRIPTION(false),
    TRANSLATION(false),
    /** A custom provider's route: metered by the JSON paths of its configuration. */
    CUSTOM(true),
    /** Forwarded and recorded, never priced (files, models, assistants, batches, images, moderations, …). */
    PASS_THROUGH(false);

    private final boolean streamable;

    Operation(boolean streamable) {
        this.streamable = streamable;
    }

    public boolean streamable() {
        return streamable;
    }
}
