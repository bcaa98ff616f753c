/**
 * The translation seam (DESIGN.md §4b): an ingress dialect's request is decoded into a small
 * canonical model ({@link io.bricksllm.dialect.ChatRequest}: messages of typed
 * {@link io.bricksllm.dialect.Part}s, tools, tool choice, response format, sampling), encoded for the
 * target dialect, and the target's answer is decoded back into {@link io.bricksllm.dialect.ChatResponse},
 * {@link io.bricksllm.dialect.StreamEvent}s or a {@link io.bricksllm.dialect.ChatError}, then encoded in
 * the ingress dialect. N dialects need N codecs, not N×N converters.
 *
 * <p>Each dialect is one subpackage of pure codecs (JSON in, JSON or SSE bytes out, no Vert.x):
 * {@code openai} (the ingress dialect: request decoder, response / stream / error encoders), and the targets
 * {@code anthropic} (Messages), {@code gemini} (generateContent, batchEmbedContents) and {@code bedrock}
 * (Converse / ConverseStream on the AWS SDK's event-stream decoder, SigV4 through the AWS SDK's signer, Titan
 * embeddings): request encoder, response / stream / error decoders each. Requests a target cannot
 * express fail with {@link io.bricksllm.dialect.UnsupportedByDialectException} before anything is
 * sent; malformed requests with {@link io.bricksllm.dialect.InvalidChatRequestException} (both 400).
 *
 * <p>Not done yet: wiring into the proxy pipeline (a {@code Translated} target on the exchange, the
 * forwarder encoding for the target and relaying through the stream codecs), OpenAI as a target
 * (pass-through), a canonical embeddings type (Gemini and Titan keep their own small records today), and audio /
 * file content parts (refused as untranslatable today).
 */
package io.bricksllm.dialect;
