/**
 * OpenAI's Responses API ({@code POST /v1/responses}) as the caller's dialect: pure codecs between its wire shapes
 * and the canonical model, so a Responses caller can reach Anthropic, Gemini, Bedrock or OpenAI-chat targets.
 * Translated requests are stateless: nothing is stored upstream or here, so fields that refer to stored state
 * ({@code previous_response_id}, {@code store: true}, {@code conversation}, {@code item_reference}) are refused.
 */
package io.bricksllm.dialect.responses;
