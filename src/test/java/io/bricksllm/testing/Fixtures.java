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
}
