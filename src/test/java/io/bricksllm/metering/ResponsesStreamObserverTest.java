package io.bricksllm.metering;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.metering.SseSplitting.Observed;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Responses API stream: text from output_text deltas only, model and usage from the closing response object. */
class ResponsesStreamObserverTest {

    /** As OpenAI streams a reasoning model's answer with a tool call: every kind of delta, only the output text is text. */
    static final String COMPLETED = """
            event: response.created
            data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response","status":"in_progress","model":"o4-mini-2025-04-16","output":[],"usage":null}}

            event: response.reasoning_summary_text.delta
            data: {"type":"response.reasoning_summary_text.delta","sequence_number":1,"item_id":"rs_1","output_index":0,"summary_index":0,"delta":"thinking"}

            event: response.output_text.delta
            data: {"type":"response.output_text.delta","sequence_number":2,"item_id":"msg_1","output_index":1,"content_index":0,"delta":"Hello, wörld 👋 ","logprobs":[]}

            event: response.output_text.delta
            data: {"type":"response.output_text.delta","sequence_number":3,"item_id":"msg_1","output_index":1,"content_index":0,"delta":"\\"quoted\\"","logprobs":[]}

            event: response.function_call_arguments.delta
            data: {"type":"response.function_call_arguments.delta","sequence_number":4,"item_id":"fc_1","output_index":2,"delta":"{\\"city\\":"}

            event: response.output_text.done
            data: {"type":"response.output_text.done","sequence_number":5,"item_id":"msg_1","output_index":1,"content_index":0,"text":"Hello, wörld 👋 \\"quoted\\"","logprobs":[]}

            event: response.completed
            data: {"type":"response.completed","sequence_number":6,"response":{"id":"resp_1","object":"response","status":"completed","model":"o4-mini-2025-04-16","output":[{"type":"message","content":[{"type":"output_text","text":"Hello, wörld 👋 \\"quoted\\""}]}],"usage":{"input_tokens":1200,"input_tokens_details":{"cached_tokens":1024},"output_tokens":90,"output_tokens_details":{"reasoning_tokens":64},"total_tokens":1290}}}

            """;

    @ParameterizedTest
    @EnumSource(StreamObserverTest.LineEnds.class)
    void completedStreamYieldsTheClosingUsageTheOutputTextAndTheModel(StreamObserverTest.LineEnds ends) {
        Observed seen = SseSplitting.observeEverySplit(ends.apply.apply(COMPLETED), ResponsesStreamObserver::new);

        assertThat(seen.usage()).isEqualTo(Optional.of(new Usage(1200, 90, 1024, 0, 64)));
        assertThat(seen.text()).isEqualTo("Hello, wörld 👋 \"quoted\"");
        assertThat(seen.model()).isEqualTo(Optional.of("o4-mini-2025-04-16"));
        assertThat(seen.events()).hasSize(7).allMatch(e -> e.startsWith("response."));
    }

    @Test
    void incompleteAndFailedResponsesReportUsageToo() {
        for (String closing : new String[] {"response.incomplete", "response.failed"}) {
            var o = new ResponsesStreamObserver();
            o.onEvent(closing, "{\"type\":\"" + closing + "\",\"response\":{\"model\":\"gpt-4o-mini\",\"usage\":"
                    + "{\"input_tokens\":10,\"output_tokens\":3,\"total_tokens\":13}}}");
            assertThat(o.usage()).as(closing).isEqualTo(Optional.of(new Usage(10, 3, 0, 0, 0)));
        }
    }

    @Test
    void aStreamCutBeforeItsClosingEventHasTextButNoUsage() {
        var o = new ResponsesStreamObserver();
        o.onEvent("response.created", "{\"type\":\"response.created\",\"response\":{\"model\":\"gpt-4o\",\"usage\":null}}");
        // the type may come after the delta: the text still counts
        o.onEvent("response.output_text.delta", "{\"delta\":\"partial\",\"type\":\"response.output_text.delta\"}");
        o.onEvent("response.refusal.delta", "{\"type\":\"response.refusal.delta\",\"delta\":\" no\"}");

        assertThat(o.usage()).isEmpty();
        assertThat(o.text()).isEqualTo("partial no");
        assertThat(o.model()).hasValue("gpt-4o");
    }
}
