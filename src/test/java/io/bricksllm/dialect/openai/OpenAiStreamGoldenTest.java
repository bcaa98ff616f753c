package io.bricksllm.dialect.openai;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.bytes;
import static io.bricksllm.dialect.DialectFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.SseEventSplitter;
import io.bricksllm.dialect.StreamEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An OpenAI-compatible chunk transcript → canonical stream events, fed whole, split at every byte offset and byte
 * by byte: every feeding must give the same events, equal to the golden list.
 */
class OpenAiStreamGoldenTest {

    @ParameterizedTest
    @ValueSource(strings = {"text-usage", "parallel-tool-calls", "azure-empty-first", "error-mid-stream"})
    void decodesTheStreamToTheGoldenEventsAtEverySplit(String name) {
        byte[] upstream = bytes("openai/streams/" + name + ".openai.sse");

        List<StreamEvent> whole = decode(upstream, List.of());
        assertThat(CanonicalJson.events(whole)).isEqualTo(json("openai/streams/" + name + ".events.json"));
        for (int split = 0; split <= upstream.length; split++) {
            assertThat(decode(upstream, List.of(split))).as("split at %d", split).isEqualTo(whole);
        }
        List<Integer> everyByte = IntStream.range(1, upstream.length).boxed().toList();
        assertThat(decode(upstream, everyByte)).as("byte by byte").isEqualTo(whole);
    }

    @Test
    void eachChunkIsDecodedAsSoonAsItArrivesAndDoneEndsNothing() {
        OpenAiStreamDecoder decoder = new OpenAiStreamDecoder(JSON);
        assertThat(decoder.decode(null, "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"Hi\"}}]}"))
                .containsExactly(new StreamEvent.Start("c", "m"), new StreamEvent.TextDelta("Hi"));
        assertThat(decoder.decode(null, "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"!\"}}]}\r")).containsExactly(new StreamEvent.TextDelta("!"));
        assertThat(decoder.decode(null, "[DONE]")).isEmpty();
    }

    @Test
    void whenNoChunkNamesAnIdTheStartStillPrecedesTheContent() {
        OpenAiStreamDecoder decoder = new OpenAiStreamDecoder(JSON);
        assertThat(decoder.decode(null, "{\"choices\":[],\"prompt_filter_results\":[]}")).isEmpty();
        assertThat(decoder.decode(null, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}"))
                .containsExactly(new StreamEvent.Start("", ""), new StreamEvent.TextDelta("Hi"));
    }

    @Test
    void aWholeCallInOneChunkWithoutAnIndexStartsAndCarriesItsArguments() {
        OpenAiStreamDecoder decoder = new OpenAiStreamDecoder(JSON);
        List<StreamEvent> events = decoder.decode(null, "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"tool_calls\":[{\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}},"
                + "{\"id\":\"b\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]},\"finish_reason\":\"stop\"}]}");
        assertThat(events).containsExactly(new StreamEvent.Start("c", "m"), new StreamEvent.ToolCallStart(0, "a", "f"),
                new StreamEvent.ToolCallArgumentsDelta(0, "{}"), new StreamEvent.ToolCallStart(1, "b", "g"),
                new StreamEvent.ToolCallArgumentsDelta(1, "{}"),
                new StreamEvent.Finish(io.bricksllm.dialect.FinishReason.TOOL_CALLS));
    }

    @Test
    void aChunkThatIsNotJsonIsAnUpstreamFailure() {
        assertThat(new OpenAiStreamDecoder(JSON).decode(null, "not json")).singleElement()
                .isInstanceOfSatisfying(StreamEvent.Failure.class,
                        f -> assertThat(f.error().status()).isEqualTo(502));
    }

    @Test
    void aVllmErrorChunkKeepsTheStatusItNames() {
        assertThat(new OpenAiStreamDecoder(JSON).decode(null, "{\"error\":{\"object\":\"error\",\"message\":\"too long\","
                + "\"type\":\"BadRequestError\",\"param\":null,\"code\":400}}")).containsExactly(
                new StreamEvent.Failure(new ChatError(400, "BadRequestError", "too long")));
    }

    private static List<StreamEvent> decode(byte[] upstream, List<Integer> splits) {
        OpenAiStreamDecoder decoder = new OpenAiStreamDecoder(JSON);
        List<StreamEvent> out = new ArrayList<>();
        new SseEventSplitter((event, data) -> out.addAll(decoder.decode(event, data))).feedSplitAt(upstream, splits);
        return out;
    }
}
