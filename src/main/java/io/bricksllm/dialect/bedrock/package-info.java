/**
 * The Bedrock Converse dialect (DESIGN.md §4b): request encoder ({@link io.bricksllm.dialect.bedrock.BedrockRequestEncoder}),
 * response / stream / error decoders, the paths ({@link io.bricksllm.dialect.bedrock.BedrockPaths}), a SigV4
 * signer adapter over the AWS SDK v2's signer ({@link io.bricksllm.dialect.bedrock.BedrockSigner}) and the
 * Amazon Titan text embeddings codec. ConverseStream's binary event-stream framing is decoded with the
 * SDK's {@code MessageDecoder}, chunk by chunk (no hand-written framing or crypto, DESIGN.md §2).
 * Pure codecs: bytes and JSON in and out, no Vert.x, no I/O.
 */
package io.bricksllm.dialect.bedrock;
