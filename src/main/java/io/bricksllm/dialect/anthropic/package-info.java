/**
 * The Anthropic Messages API as a target: canonical requests encoded as Messages bodies, Messages
 * responses, SSE events and error bodies decoded back to the canonical model. And as the caller's
 * dialect ({@code /v1/messages}, issue 18): {@link io.bricksllm.dialect.anthropic.AnthropicRequestDecoder},
 * {@link io.bricksllm.dialect.anthropic.AnthropicResponseEncoder},
 * {@link io.bricksllm.dialect.anthropic.AnthropicStreamEncoder} and {@link io.bricksllm.dialect.anthropic.AnthropicErrorEncoder}.
 */
package io.bricksllm.dialect.anthropic;
