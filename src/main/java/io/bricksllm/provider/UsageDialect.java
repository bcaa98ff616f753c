package io.bricksllm.provider;

/** The wire format in which an upstream reports usage; metering reads per dialect, not per provider. */
public enum UsageDialect {
    /** OpenAI, Azure, vLLM, Deepinfra: {@code usage.prompt_tokens}, SSE {@code data:} chunks, {@code [DONE]}. */
    OPENAI,
    /** Anthropic: {@code usage.input_tokens}; SSE {@code message_start} / {@code message_delta} events. */
    ANTHROPIC,
    /** Custom providers: JSON paths from the provider's route configuration; tokens counted by the gateway. */
    CUSTOM
}
