/**
 * OpenAI chat completions, both ways. As the caller's dialect ({@code /v1/chat/completions}): requests decoded to the
 * canonical model, answers, stream events and errors encoded back as OpenAI's JSON and SSE. As a target (Anthropic
 * Messages or Responses API callers reaching GPT and every OpenAI-compatible provider): canonical requests encoded,
 * answers, streams and errors decoded.
 */
package io.bricksllm.dialect.openai;
