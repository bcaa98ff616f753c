/**
 * OpenAI chat completions, the dialect callers speak at the unified endpoint: requests are decoded
 * to the canonical model, answers, stream events and errors encoded back as OpenAI's JSON and SSE.
 */
package io.bricksllm.dialect.openai;
