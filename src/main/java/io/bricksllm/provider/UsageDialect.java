package io.bricksllm.provider;

/** The wire dialect a provider speaks: how requests, answers, streams, errors and usage look on the wire. */
public enum UsageDialect {
    /** OpenAI, Azure, vLLM and the OpenAI-compatible providers: {@code usage.prompt_tokens}, SSE chunks, {@code [DONE]}. */
    OPENAI,
    /** Anthropic Messages: {@code usage.input_tokens}; SSE {@code message_start} / {@code message_delta} events. */
    ANTHROPIC,
    /** Google Gemini: {@code generateContent}, {@code usageMetadata}, SSE without {@code [DONE]}. */
    GEMINI,
    /** AWS Bedrock Converse: SigV4-signed JSON, streams in AWS event-stream frames. */
    BEDROCK,
    /** Custom providers: JSON paths from the provider's route configuration; tokens counted by the gateway. */
    CUSTOM
}
