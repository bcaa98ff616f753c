package io.bricksllm.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.metering.AnthropicStreamObserver;
import io.bricksllm.metering.AnthropicUsage;
import io.bricksllm.metering.GeminiResponses;
import io.bricksllm.metering.GeminiStreamObserver;
import io.bricksllm.metering.OpenAiStreamObserver;
import io.bricksllm.metering.OpenAiUsage;
import io.bricksllm.metering.ResponseMeta;
import io.bricksllm.metering.StreamUsageObserver;
import io.bricksllm.metering.TokenCounter;
import io.bricksllm.proxy.ProxyErrors;
import io.bricksllm.store.Json;

/**
 * The wire dialect a provider speaks, and everything the request path does differently for it: how an answer and a
 * stream report usage, which texts the gateway counts when they report none, whether a stream must be asked for its
 * usage, and how the gateway's own errors look to the caller's SDK (a refused request, a stream cut short). Stages,
 * the forwarder and the meters call these methods and never compare dialects; a new dialect is a new constant.
 * The defaults are OpenAI's.
 */
public enum UsageDialect {
    /** OpenAI, Azure, vLLM and the OpenAI-compatible providers: {@code usage.prompt_tokens}, SSE chunks, {@code [DONE]}. */
    OPENAI {
        @Override
        public boolean asksStreamUsage() {
            return true;
        }
    },
    /** Anthropic Messages: {@code usage.input_tokens}; SSE {@code message_start} / {@code message_delta} events. */
    ANTHROPIC {
        @Override
        public ResponseMeta readResponse(byte[] body) {
            return AnthropicUsage.fromResponse(body);
        }

        @Override
        public StreamUsageObserver streamObserver() {
            return new AnthropicStreamObserver();
        }

        @Override
        public String errorBody(int status, String message, String type) {
            return ProxyErrors.anthropicBody(message, type);
        }

        /**
         * Anthropic's own {@code error} event ({@code {"type":"error","error":{"type":"api_error",…}}}, as its API ends
         * a stream it cannot finish): its SDKs raise the typed error from it; the gateway's generic shape had no
         * {@code type} and an error type no Anthropic client knows.
         */
        @Override
        public String cutStreamTail(String message) {
            return "event: error\ndata: " + ProxyErrors.anthropicBody(message, "api_error")
                    + "\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        }

        /** Messages and Text Completions name the end user in {@code metadata.user_id} (BEHAVIOUR.md §5.5). */
        @Override
        public java.util.List<String> endUserPath() {
            return METADATA_USER_ID;
        }
    },
    /**
     * Google Gemini: {@code generateContent}, {@code usageMetadata}, SSE without {@code [DONE]}, errors as
     * {@code google.rpc.Status}.
     */
    GEMINI {
        @Override
        public ResponseMeta readResponse(byte[] body) {
            return GeminiResponses.fromResponse(body);
        }

        @Override
        public StreamUsageObserver streamObserver() {
            return new GeminiStreamObserver();
        }

        @Override
        public long promptTokens(TokenCounter tokens, String model, JsonNode request) {
            String text = GeminiResponses.promptText(request);
            return text.isEmpty() ? 0 : tokens.countText(model, text);
        }

        @Override
        public String answerText(JsonNode response) {
            return GeminiResponses.answerText(response);
        }

        @Override
        public String errorBody(int status, String message, String type) {
            return ProxyErrors.googleBody(status, message);
        }

        /** A chunk holding only {@code error}, as Google ends a stream that failed; there is no end marker. */
        @Override
        public String cutStreamTail(String message) {
            var err = Json.MAPPER.createObjectNode();
            err.putObject("error").put("code", 502).put("message", message).put("status", "UNAVAILABLE");
            return "data: " + err + "\n\n";
        }
    },
    /**
     * AWS Bedrock: SigV4-signed JSON, streams in AWS event-stream frames. Its native paths
     * ({@code /api/providers/bedrock/anthropic/v1/messages}, {@code /complete}) carry Anthropic's bodies, so until
     * Converse bodies are metered natively it answers, streams and refuses as Anthropic does.
     */
    BEDROCK {
        @Override
        public ResponseMeta readResponse(byte[] body) {
            return ANTHROPIC.readResponse(body);
        }

        @Override
        public StreamUsageObserver streamObserver() {
            return ANTHROPIC.streamObserver();
        }

        @Override
        public String errorBody(int status, String message, String type) {
            return ANTHROPIC.errorBody(status, message, type);
        }

        @Override
        public String cutStreamTail(String message) {
            return ANTHROPIC.cutStreamTail(message);
        }

        @Override
        public java.util.List<String> endUserPath() {
            return METADATA_USER_ID;
        }
    },
    /** Custom providers: JSON paths from the provider's route configuration (their own meter); tokens counted by the gateway. */
    CUSTOM;

    private static final java.util.List<String> METADATA_USER_ID = java.util.List.of("metadata", "user_id");

    /**
     * Where a request body in this dialect names the end user: one field name, or a top-level object and its member
     * ({@code metadata}, {@code user_id} for Anthropic's Messages and Text Completions).
     */
    public java.util.List<String> endUserPath() {
        return Provider.TOP_LEVEL_USER;
    }

    /** What a whole (non-streamed) answer says of its usage and model; never throws. */
    public ResponseMeta readResponse(byte[] body) {
        return OpenAiUsage.fromResponse(body);
    }

    /** A fresh observer of one streamed answer (confined to its event loop). */
    public StreamUsageObserver streamObserver() {
        return new OpenAiStreamObserver();
    }

    /**
     * Whether a stream reports usage only when asked ({@code stream_options.include_usage}): the gateway then asks
     * on the caller's behalf and removes the extra chunk.
     */
    public boolean asksStreamUsage() {
        return false;
    }

    /** The prompt tokens of {@code request} as the gateway counts them, for answers that reported no usage. */
    public long promptTokens(TokenCounter tokens, String model, JsonNode request) {
        if (request.has("messages")) return tokens.countChatPrompt(model, request.get("messages"));
        for (String field : new String[] {"prompt", "input"}) {
            JsonNode p = request.get(field);
            if (p != null) return tokens.countText(model, p.isTextual() ? p.asText() : p.toString());
        }
        return 0;
    }

    /** The generated text of a whole answer (every choice, since every choice is billed), for counting. */
    public String answerText(JsonNode response) {
        StringBuilder text = new StringBuilder();
        for (JsonNode c : response.path("choices")) {
            text.append(c.path("message").path("content").asText("")).append(c.path("text").asText(""));
        }
        text.append(response.path("completion").asText(""));
        for (JsonNode block : response.path("content")) text.append(block.path("text").asText(""));
        // the Responses API: output items, their content parts (output_text, refusal)
        for (JsonNode item : response.path("output")) {
            for (JsonNode part : item.path("content")) text.append(part.path("text").asText("")).append(part.path("refusal").asText(""));
        }
        return text.toString();
    }

    /** The body of a gateway error (a refusal) as this dialect's SDKs parse it. */
    public String errorBody(int status, String message, String type) {
        return ProxyErrors.body(status, message, type);
    }

    /** The events that end a stream the upstream broke off, so the caller's SDK raises instead of waiting. */
    public String cutStreamTail(String message) {
        return "data: " + bricksError(message) + "\n\ndata: [DONE]\n\n";
    }

    static String bricksError(String message) {
        return "{\"error\":{\"message\":\"" + message.replace("\"", "'") + "\",\"type\":\"bricksllm_error\"}}";
    }
}
