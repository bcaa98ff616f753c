package io.bricksllm.dialect.gemini;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.bytes;
import static io.bricksllm.dialect.DialectFixtures.sseData;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletionChunk;
import io.bricksllm.dialect.SseEventSplitter;
import io.bricksllm.dialect.StreamEvent;
import io.bricksllm.dialect.openai.OpenAiStreamEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A Gemini {@code streamGenerateContent?alt=sse} transcript → OpenAI chunk transcript, fed whole, split
 * at every byte offset and byte by byte: every feeding must give the same bytes, equal to the golden
 * transcript, and every chunk must parse as the official SDK's {@link ChatCompletionChunk}.
 */
class GeminiStreamGoldenTest {

    @ParameterizedTest
    @CsvSource({"text-cached,true", "tool-calls,false", "thinking,true", "prompt-blocked,true", "overloaded,true"})
    void translatesTheStreamToTheGoldenChunksAtEverySplit(String name, boolean includeUsage) throws Exception {
        byte[] upstream = bytes("gemini/streams/" + name + ".gemini.sse");

        String whole = translate(upstream, List.of(), includeUsage);
        for (int split = 0; split <= upstream.length; split++) {
            assertThat(translate(upstream, List.of(split), includeUsage)).as("split at %d", split).isEqualTo(whole);
        }
        List<Integer> everyByte = IntStream.range(1, upstream.length).boxed().toList();
        assertThat(translate(upstream, everyByte, includeUsage)).as("byte by byte").isEqualTo(whole);

        List<JsonNode> frames = sseData(whole);
        assertThat(frames).isEqualTo(sseData(new String(bytes("gemini/streams/" + name + ".openai.sse"),
                StandardCharsets.UTF_8)));
        for (JsonNode frame : frames) {
            if (frame.isObject() && frame.has("choices")) {
                ObjectMappers.jsonMapper().readValue(JSON.writeValueAsBytes(frame), ChatCompletionChunk.class)
                        .validate();
            }
        }
    }

    @Test
    void eachChunkIsTranslatedAsSoonAsItArrives() {
        GeminiStreamDecoder decoder = new GeminiStreamDecoder(JSON, "gemini-2.5-flash");
        assertThat(decoder.decode("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]}}]}"))
                .hasSize(2).last().isEqualTo(new StreamEvent.TextDelta("Hi"));
        assertThat(decoder.decode("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"!\"}]}}]}"))
                .containsExactly(new StreamEvent.TextDelta("!"));
        assertThat(decoder.decode("not json")).singleElement().isInstanceOf(StreamEvent.Failure.class);
    }

    @Test
    void aChunksUsageComesBeforeItsContentSoAnthropicsMessageStartCarriesThePrompt() throws Exception {
        GeminiStreamDecoder decoder = new GeminiStreamDecoder(JSON, "gemini-2.5-flash");
        List<StreamEvent> events = decoder.decode("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]}}],"
                + "\"usageMetadata\":{\"promptTokenCount\":42,\"totalTokenCount\":42}}");
        assertThat(events).hasSize(3);
        assertThat(events.get(0)).isInstanceOf(StreamEvent.Start.class);
        assertThat(events.get(1)).isInstanceOf(StreamEvent.UsageUpdate.class);
        assertThat(((StreamEvent.UsageUpdate) events.get(1)).usage().isReported()).isTrue();
        assertThat(events.get(2)).isEqualTo(new StreamEvent.TextDelta("Hi"));

        io.bricksllm.dialect.anthropic.AnthropicStreamEncoder encoder = new io.bricksllm.dialect.anthropic.AnthropicStreamEncoder(JSON);
        StringBuilder sse = new StringBuilder();
        events.forEach(e -> sse.append(new String(encoder.encode(e), StandardCharsets.UTF_8)));
        String firstData = sse.toString().lines().filter(l -> l.startsWith("data: ")).findFirst().orElseThrow().substring(6);
        JsonNode start = JSON.readTree(firstData);
        assertThat(start.get("type").asText()).isEqualTo("message_start");
        assertThat(start.get("message").get("usage").get("input_tokens").asLong()).isEqualTo(42);
    }

    @Test
    void dataLeftWithTheCarriageReturnOfGooglesCrlfFramingStillDecodes() {
        GeminiStreamDecoder decoder = new GeminiStreamDecoder(JSON, "gemini-2.5-flash");
        assertThat(decoder.decode("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]}}]}\r"))
                .last().isEqualTo(new StreamEvent.TextDelta("Hi"));
    }

    private static String translate(byte[] upstream, List<Integer> splits, boolean includeUsage) {
        GeminiStreamDecoder decoder = new GeminiStreamDecoder(JSON, "gemini-2.5-flash");
        OpenAiStreamEncoder encoder = new OpenAiStreamEncoder(JSON, includeUsage, 1_700_000_000L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SseEventSplitter splitter = new SseEventSplitter(
                (event, data) -> decoder.decode(data).forEach(e -> out.writeBytes(encoder.encode(e))));
        splitter.feedSplitAt(upstream, splits);
        out.writeBytes(encoder.end());
        return out.toString(StandardCharsets.UTF_8);
    }
}
