package io.bricksllm.proxy.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.ChatResponse;
import io.bricksllm.dialect.StreamEncoder;
import io.bricksllm.provider.UsageDialect;

/**
 * The caller's side of a translated chat (DESIGN.md §4b): the API the caller speaks — OpenAI chat, Anthropic Messages
 * or OpenAI's Responses — read into the canonical request, and the canonical answer, stream and errors written back in
 * it. The target's side is the translation's; one ingress serves every target. Stateless: what an answer needs of its
 * request is passed in.
 */
interface Ingress {

    /**
     * The caller's request in the canonical model.
     *
     * @throws io.bricksllm.dialect.DialectException a malformed request, or one no target can be sent (400)
     */
    ChatRequest decode(JsonNode body);

    /**
     * A whole answer as the caller's API writes it, for the caller's {@code body} as {@code request}; {@code created}:
     * the request's arrival, seconds since the epoch.
     */
    byte[] response(ChatResponse response, JsonNode body, ChatRequest request, long created);

    /** A fresh encoder of one streamed answer. */
    StreamEncoder stream(JsonNode body, ChatRequest request, long created);

    /** An upstream error in the caller's error shape (status kept by the caller). */
    byte[] error(ChatError error);

    /** The dialect whose refusals, cut-stream tails and token counting the caller gets. */
    UsageDialect dialect();
}
