package io.bricksllm.store;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One path of a custom provider: where requests go and where, in request and response JSON, the model,
 * the prompt and the completion are found (gjson-style paths such as {@code messages.#.content}).
 */
public record RouteConfig(
        String path,
        @JsonProperty("target_url") String targetUrl,
        @JsonProperty("stream_location") String streamLocation,
        @JsonProperty("model_location") String modelLocation,
        @JsonProperty("request_prompt_location") String requestPromptLocation,
        @JsonProperty("response_completion_location") String responseCompletionLocation,
        @JsonProperty("stream_end_word") String streamEndWord,
        @JsonProperty("stream_response_completion_location") String streamResponseCompletionLocation,
        @JsonProperty("stream_max_empty_messages") int streamMaxEmptyMessages) {

    public RouteConfig {
        path = nz(path);
        targetUrl = nz(targetUrl);
        streamLocation = nz(streamLocation);
        modelLocation = nz(modelLocation);
        requestPromptLocation = nz(requestPromptLocation);
        responseCompletionLocation = nz(responseCompletionLocation);
        streamEndWord = nz(streamEndWord);
        streamResponseCompletionLocation = nz(streamResponseCompletionLocation);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
