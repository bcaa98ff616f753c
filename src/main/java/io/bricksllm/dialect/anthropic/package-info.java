/**
 * The Anthropic Messages API as a target: canonical requests encoded as Messages bodies, Messages
 * responses, SSE events and error bodies decoded back to the canonical model.
 */
package io.bricksllm.dialect.anthropic;
