package io.bricksllm.metering;

import static io.bricksllm.metering.SseFixtures.ANTHROPIC_MESSAGES;
import static io.bricksllm.metering.SseFixtures.OPENAI_CHAT;
import static io.bricksllm.metering.SseFixtures.OPENAI_COMPLETIONS;
import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.metering.SseSplitting.Observed;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StreamObserverTest {

    enum LineEnds {
        LF(s -> s), CRLF(SseFixtures::crlf), CR(SseFixtures::cr);

        final UnaryOperator<String> apply;

        LineEnds(UnaryOperator<String> apply) {
            this.apply = apply;
        }
    }

    @ParameterizedTest
    @EnumSource(LineEnds.class)
    void openai_chat_stream_yields_reported_usage_text_and_model(LineEnds ends) {
        Observed seen = SseSplitting.observeEverySplit(ends.apply.apply(OPENAI_CHAT), OpenAiStreamObserver::new);

        assertThat(seen.usage()).isEqualTo(Optional.of(new Usage(1200, 9, 1024, 0)));
        assertThat(seen.text()).isEqualTo("Hello, wörld 👋 \"quoted\"\n");
        assertThat(seen.model()).isEqualTo(Optional.of("gpt-4o-mini-2024-07-18"));
        assertThat(seen.events()).hasSize(7).allMatch(e -> e.startsWith("message|"));
        assertThat(seen.events().getLast()).isEqualTo("message|[DONE]");
    }

    @ParameterizedTest
    @EnumSource(LineEnds.class)
    void openai_completions_stream_without_usage_reports_none(LineEnds ends) {
        Observed seen = SseSplitting.observeEverySplit(ends.apply.apply(OPENAI_COMPLETIONS), OpenAiStreamObserver::new);

        assertThat(seen.usage()).isEqualTo(Optional.empty());
        assertThat(seen.text()).isEqualTo("\n\nThis is a test");
        assertThat(seen.model()).isEqualTo(Optional.of("gpt-3.5-turbo-instruct"));
    }

    @ParameterizedTest
    @EnumSource(LineEnds.class)
    void anthropic_stream_takes_input_from_start_and_output_from_the_last_delta(LineEnds ends) {
        Observed seen = SseSplitting.observeEverySplit(ends.apply.apply(ANTHROPIC_MESSAGES), AnthropicStreamObserver::new);

        // 25 uncached + 2000 cache read + 100 cache write; output 15 (the last delta, not 1 + 7 + 15)
        assertThat(seen.usage()).isEqualTo(Optional.of(new Usage(2125, 15, 2000, 100)));
        // the tool call's input JSON is written output too (counted when a stream ends before its usage)
        assertThat(seen.text()).isEqualTo("Hello, wörld 👋{\"text\": \"x\"}");
        assertThat(seen.model()).isEqualTo(Optional.of("claude-3-5-sonnet-20241022"));
        assertThat(seen.events()).first().asString().startsWith("message_start|{");
    }

    /** Gemini's alt=sse stream: data-only events, usageMetadata on every chunk (the last holds the totals), no [DONE]. */
    static final String GEMINI = """
            data: {"candidates":[{"content":{"parts":[{"text":"Let me think.","thought":true}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":1200,"totalTokenCount":1220,"thoughtsTokenCount":20,"cachedContentTokenCount":1024},"modelVersion":"gemini-2.5-flash","responseId":"r1"}

            data: {"candidates":[{"content":{"parts":[{"text":"Hello, wörld 👋 \\"quoted\\""}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":1200,"candidatesTokenCount":4,"totalTokenCount":1224,"thoughtsTokenCount":20,"cachedContentTokenCount":1024},"modelVersion":"gemini-2.5-flash","responseId":"r1"}

            data: {"candidates":[{"content":{"parts":[{"text":"!"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":1200,"candidatesTokenCount":9,"totalTokenCount":1229,"thoughtsTokenCount":20,"cachedContentTokenCount":1024},"modelVersion":"gemini-2.5-flash","responseId":"r1"}

            """;

    @ParameterizedTest
    @EnumSource(LineEnds.class)
    void gemini_stream_takes_the_last_usage_metadata_with_thoughts_billed_as_output(LineEnds ends) {
        Observed seen = SseSplitting.observeEverySplit(ends.apply.apply(GEMINI), GeminiStreamObserver::new);

        // 1200 prompt tokens of which 1024 cached; output 9 candidates + 20 thoughts (the last chunk, not a sum)
        assertThat(seen.usage()).isEqualTo(Optional.of(new Usage(1200, 29, 1024, 0, 20)));
        assertThat(seen.text()).isEqualTo("Let me think.Hello, wörld 👋 \"quoted\"!");
        assertThat(seen.model()).isEqualTo(Optional.of("gemini-2.5-flash"));
        assertThat(seen.events()).hasSize(3).allMatch(e -> e.startsWith("message|{"));
    }

    @org.junit.jupiter.api.Test
    void anthropic_delta_with_input_counts_replaces_the_start_counts() {
        AnthropicStreamObserver observer = new AnthropicStreamObserver();
        observer.onEvent("message_start", """
                {"type":"message_start","message":{"model":"claude-sonnet-4-20250514","usage":{"input_tokens":10,"output_tokens":1}}}""");
        observer.onEvent("message_delta", """
                {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"input_tokens":12,"cache_read_input_tokens":3,"output_tokens":40}}""");

        assertThat(observer.usage()).contains(new Usage(15, 40, 3, 0));
    }

    @org.junit.jupiter.api.Test
    void anthropic_thinking_and_tool_input_are_written_output_but_signatures_are_not() {
        AnthropicStreamObserver observer = new AnthropicStreamObserver();
        observer.onEvent("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Plan. \"}}");
        observer.onEvent("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQB\"}}");
        observer.onEvent("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"Reading. \"}}");
        observer.onEvent("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"file_path\\\": \"}}");
        observer.onEvent("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"/a.ts\\\"}\"}}");

        assertThat(observer.text()).isEqualTo("Plan. Reading. {\"file_path\": \"/a.ts\"}");
    }

    @org.junit.jupiter.api.Test
    void anthropic_legacy_complete_stream_accumulates_completions_without_usage() {
        AnthropicStreamObserver observer = new AnthropicStreamObserver();
        observer.onEvent("completion", "{\"type\":\"completion\",\"completion\":\" Hello\",\"stop_reason\":null,\"model\":\"claude-2.1\"}");
        observer.onEvent("completion", "{\"type\":\"completion\",\"completion\":\" there\",\"stop_reason\":\"stop_sequence\",\"model\":\"claude-2.1\"}");

        assertThat(observer.text()).isEqualTo(" Hello there");
        assertThat(observer.usage()).isEmpty();
        assertThat(observer.model()).contains("claude-2.1");
    }

    @org.junit.jupiter.api.Test
    void anthropic_events_without_names_are_recognised_by_their_payload() {
        AnthropicStreamObserver observer = new AnthropicStreamObserver();
        observer.onEvent("message", "{\"type\":\"message_start\",\"message\":{\"model\":\"claude-3-haiku-20240307\",\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}");
        observer.onEvent("message", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"hi\"}}");
        observer.onEvent("message", "{\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"output_tokens\":2}}");

        assertThat(observer.usage()).contains(Usage.of(5, 2));
        assertThat(observer.text()).isEqualTo("hi");
    }

    @org.junit.jupiter.api.Test
    void malformed_chunks_are_ignored_and_later_ones_still_observed() {
        OpenAiStreamObserver observer = new OpenAiStreamObserver();
        observer.onEvent("message", "{\"choices\":[{\"delta\":{\"content\":\"a\"");
        observer.onEvent("message", "not json with \"content\"");
        observer.onEvent("message", "{\"choices\":[{\"delta\":{\"content\":\"b\"}}],\"usage\":null}");

        assertThat(observer.text()).isEqualTo("ab");
        assertThat(observer.usage()).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void latest_cumulative_usage_wins_for_servers_reporting_it_on_every_chunk() {
        OpenAiStreamObserver observer = new OpenAiStreamObserver();
        observer.onEvent("message", "{\"model\":\"llama\",\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1}}");
        observer.onEvent("message", "{\"model\":\"llama\",\"choices\":[{\"delta\":{\"content\":\"b\"}}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}");

        assertThat(observer.usage()).contains(Usage.of(5, 2));
    }
}
