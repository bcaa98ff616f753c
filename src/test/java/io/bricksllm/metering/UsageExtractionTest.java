package io.bricksllm.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UsageExtractionTest {

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void openai_chat_response_usage_with_cached_tokens_and_model() {
        ResponseMeta meta = OpenAiUsage.fromResponse(json("""
                {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-2024-08-06",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"{\\"usage\\": 1}","refusal":null},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,
                          "prompt_tokens_details":{"cached_tokens":1920,"audio_tokens":0},
                          "completion_tokens_details":{"reasoning_tokens":0}},
                 "system_fingerprint":"fp"}
                """));

        assertThat(meta.usage()).contains(new Usage(2006, 300, 1920, 0));
        assertThat(meta.model()).contains("gpt-4o-2024-08-06");
    }

    @Test
    void openai_embeddings_report_prompt_tokens_only() {
        ResponseMeta meta = OpenAiUsage.fromResponse(json("""
                {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.0023064255,-0.009327292,1e-5]}],
                 "model":"text-embedding-3-small","usage":{"prompt_tokens":8,"total_tokens":8}}
                """));

        assertThat(meta.usage()).contains(Usage.of(8, 0));
        assertThat(meta.model()).contains("text-embedding-3-small");
    }

    @Test
    void embeddings_with_only_a_total_use_it_as_the_prompt() {
        assertThat(OpenAiUsage.fromResponse(json("{\"usage\":{\"total_tokens\":12}}")).usage()).contains(Usage.of(12, 0));
    }

    @Test
    void openai_responses_api_usage_is_read_too() {
        ResponseMeta meta = OpenAiUsage.fromResponse(json("""
                {"id":"resp_1","object":"response","model":"gpt-4.1-2025-04-14","output":[],
                 "usage":{"input_tokens":328,"input_tokens_details":{"cached_tokens":128},"output_tokens":52,
                          "output_tokens_details":{"reasoning_tokens":0},"total_tokens":380}}
                """));

        assertThat(meta.usage()).contains(new Usage(328, 52, 128, 0));
    }

    @Test
    void openai_reasoning_tokens_are_a_detail_of_the_completion_in_both_apis() {
        assertThat(OpenAiUsage.fromResponse(json("""
                {"usage":{"prompt_tokens":1200,"completion_tokens":300,"total_tokens":1500,
                          "prompt_tokens_details":{"cached_tokens":1024},
                          "completion_tokens_details":{"reasoning_tokens":256,"audio_tokens":0}}}
                """)).usage()).contains(new Usage(1200, 300, 1024, 0, 256));
        assertThat(OpenAiUsage.fromResponse(json("""
                {"object":"response","usage":{"input_tokens":10,"output_tokens":90,"output_tokens_details":{"reasoning_tokens":64}}}
                """)).usage()).contains(new Usage(10, 90, 0, 0, 64));
        // inconsistent figures never make reasoning exceed the completion it is part of
        assertThat(OpenAiUsage.fromResponse(json("{\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":5,"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":9}}}")).usage()).contains(new Usage(1, 5, 0, 0, 5));
        assertThat(OpenAiUsage.fromResponse(json("{\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":5,"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":\"x\"}}}")).usage())
                .as("an unreadable detail stays unreadable for the bounds to flag").contains(new Usage(1, 5, 0, 0, Usage.UNREADABLE));
    }

    @Test
    void openai_stream_usage_chunk_carries_reasoning_tokens() {
        OpenAiStreamObserver o = new OpenAiStreamObserver();
        o.onEvent("", "{\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":40,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":4},\"completion_tokens_details\":{\"reasoning_tokens\":32}}}");
        assertThat(o.usage()).contains(new Usage(7, 40, 4, 0, 32));
    }

    @Test
    void not_reported_is_empty_never_zero() {
        assertThat(OpenAiUsage.fromResponse(json("{\"model\":\"m\",\"usage\":null}")).usage()).isEmpty();
        assertThat(OpenAiUsage.fromResponse(json("{\"model\":\"m\"}")).usage()).isEmpty();
        assertThat(OpenAiUsage.fromResponse(json("{\"error\":{\"message\":\"Rate limit\",\"type\":\"requests\"}}")))
                .isEqualTo(new ResponseMeta(Optional.empty(), Optional.empty()));
        assertThat(OpenAiUsage.fromResponse(json("<html>502 Bad Gateway</html>"))).isEqualTo(ResponseMeta.NONE);
        assertThat(OpenAiUsage.fromResponse(new byte[0])).isEqualTo(ResponseMeta.NONE);
        assertThat(OpenAiUsage.fromResponse(json("[1,2]"))).isEqualTo(ResponseMeta.NONE);
    }

    @Test
    void a_reported_zero_is_kept() {
        assertThat(OpenAiUsage.fromResponse(json("{\"usage\":{\"prompt_tokens\":0,\"completion_tokens\":0}}")).usage())
                .contains(Usage.of(0, 0));
    }

    @Test
    void a_truncated_body_keeps_what_was_read_before_the_damage() {
        ResponseMeta meta = OpenAiUsage.fromResponse(json("{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":6},\"choices\":[{\"mess"));

        assertThat(meta.usage()).contains(Usage.of(5, 6));
        assertThat(meta.model()).contains("gpt-4o");
    }

    @Test
    void a_slice_of_a_larger_array_can_be_read() {
        byte[] padded = json("XXX{\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}YYY");

        assertThat(OpenAiUsage.fromResponse(padded, 3, padded.length - 6).usage()).contains(Usage.of(3, 4));
    }

    @Test
    void anthropic_input_includes_cache_reads_and_writes() {
        ResponseMeta meta = AnthropicUsage.fromResponse(json("""
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-3-5-sonnet-20241022",
                 "content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":100,"cache_creation_input_tokens":1000,"cache_read_input_tokens":2000,
                          "cache_creation":{"ephemeral_5m_input_tokens":1000,"ephemeral_1h_input_tokens":0},
                          "output_tokens":500,"service_tier":"standard"}}
                """));

        assertThat(meta.usage()).contains(new Usage(3100, 500, 2000, 1000));
        assertThat(meta.model()).contains("claude-3-5-sonnet-20241022");
    }

    @Test
    void anthropic_without_cache_fields_and_errors() {
        assertThat(AnthropicUsage.fromResponse(json("{\"model\":\"claude-3-haiku-20240307\",\"usage\":{\"input_tokens\":10,\"output_tokens\":20}}")).usage())
                .contains(Usage.of(10, 20));
        assertThat(AnthropicUsage.fromResponse(json("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")).usage())
                .isEmpty();
        assertThat(AnthropicUsage.fromResponse(json("not json"))).isEqualTo(ResponseMeta.NONE);
    }

    @Test
    void usage_only_chunk_is_recognised_for_dropping() {
        assertThat(OpenAiUsageChunkFilter.isUsageOnlyChunk(
                "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}"))
                .isTrue();
        assertThat(OpenAiUsageChunkFilter.isUsageOnlyChunk(
                "{\"usage\":{\"prompt_tokens\":1},\"choices\":[]}")).as("field order").isTrue();
        assertThat(OpenAiUsageChunkFilter.isUsageOnlyChunk(
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}],\"usage\":null}")).isFalse();
        assertThat(OpenAiUsageChunkFilter.isUsageOnlyChunk(
                "{\"choices\":[{\"index\":0,\"delta\":{}}],\"usage\":{\"prompt_tokens\":1}}")).as("usage on a content chunk").isFalse();
        assertThat(OpenAiUsageChunkFilter.isUsageOnlyChunk("{\"choices\":[],\"usage\":null}")).isFalse();
        assertThat(OpenAiUsageChunkFilter.isUsageOnlyChunk("[DONE]")).isFalse();
        assertThat(OpenAiUsageChunkFilter.isUsageOnlyChunk("{\"choices\":[],\"usage\":{")).isFalse();
    }
}
