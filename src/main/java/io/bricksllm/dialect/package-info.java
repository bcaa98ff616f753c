/**
 * The translation seam (DESIGN.md §4b): an ingress dialect's request is decoded into a small
 * canonical model ({@link io.bricksllm.dialect.ChatRequest}: messages of typed
 * {@link io.bricksllm.dialect.Part}s, tools, tool choice, response format, sampling), encoded for the
 * target dialect, and the target's answer is decoded back into {@link io.bricksllm.dialect.ChatResponse},
 * {@link io.bricksllm.dialect.StreamEvent}s or a {@link io.bricksllm.dialect.ChatError}, then encoded in
 * the ingress dialect. N dialects need N codecs, not N×N converters.
 *
 * <p>Each dialect is one subpackage of pure codecs (JSON in, JSON or SSE bytes out, no Vert.x). Caller-side (ingress)
 * dialects: {@code openai} (chat completions), {@code anthropic} (Messages) and {@code responses} (OpenAI's Responses
 * API): request decoder, response / stream ({@link io.bricksllm.dialect.StreamEncoder}) / error encoders. Targets:
 * {@code openai} (chat completions, for every OpenAI-compatible provider), {@code anthropic} (Messages), {@code gemini}
 * (generateContent, batchEmbedContents) and {@code bedrock} (Converse / ConverseStream on the AWS SDK's event-stream
 * decoder, SigV4 through the AWS SDK's signer, Titan embeddings): request encoder, response / stream / error decoders
 * each. The proxy joins one ingress to one target per attempt ({@code proxy/translate}). Requests a target cannot
 * express fail with {@link io.bricksllm.dialect.UnsupportedByDialectException} before anything is sent; malformed
 * requests with {@link io.bricksllm.dialect.InvalidChatRequestException} (both 400).
 *
 * <p>Not done yet: a canonical embeddings type (Gemini and Titan keep their own small records today), audio / file
 * content parts (refused as untranslatable), reasoning signatures across providers (only the native paths keep them).
 */
package io.bricksllm.dialect;
