package io.bricksllm.testing;

import java.util.ArrayList;
import java.util.List;

/** Upstream bodies shaped like the real provider APIs. */
public final class Fixtures {
    private Fixtures() {}

    public static String chatCompletion(String model, String content, long prompt, long completion) {
        return """
                {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"%s",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"logprobs":null,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d},"system_fingerprint":"fp"}
                """.formatted(model, content, prompt, completion, prompt + completion);
    }

    public static String embeddings(String model, long prompt) {
        return """
                {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2,0.3]}],
                 "model":"%s","usage":{"prompt_tokens":%d,"total_tokens":%d}}
                """.formatted(model, prompt, prompt);
    }

    /** OpenAI SSE: one chunk per word, then (optionally) the include_usage chunk, then [DONE]. */
    public static List<String> chatStream(String model, List<String> words, long prompt, long completion, boolean usageChunk) {
        List<String> events = new ArrayList<>();
        events.add("data: " + chunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", "null"));
        for (String w : words) events.add("data: " + chunk(model, "{\"content\":\"" + w + "\"}", "null"));
        events.add("data: " + chunk(model, "{}", "\"stop\""));
        if (usageChunk) {
            events.add("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"" + model
                    + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
                    + ",\"total_tokens\":" + (prompt + completion) + "}}");
        }
        events.add("data: [DONE]");
        return events;
    }

    private static String chunk(String model, String delta, String finish) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":" + finish + "}]}";
    }

    public static String anthropicMessage(String model, String text, long input, long output, long cacheRead, long cacheWrite) {
        return """
                {"id":"msg_1","type":"message","role":"assistant","model":"%s",
                 "content":[{"type":"text","text":"%s"}],"stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":%d,"output_tokens":%d,"cache_read_input_tokens":%d,"cache_creation_input_tokens":%d}}
                """.formatted(model, text, input, output, cacheRead, cacheWrite);
    }

    /** Anthropic SSE: message_start carries input tokens, the last message_delta the output tokens. */
    public static List<String> anthropicStream(String model, List<String> words, long input, long output) {
        List<String> events = new ArrayList<>();
        events.add("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\""
                + model + "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + input + ",\"output_tokens\":1}}}");
        events.add("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        events.add("event: ping\ndata: {\"type\":\"ping\"}");
        for (String w : words) {
            events.add("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + w + "\"}}");
        }
        events.add("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}");
        events.add("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + output + "}}");
        events.add("event: message_stop\ndata: {\"type\":\"message_stop\"}");
        return events;
    }
}
