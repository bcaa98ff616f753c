package io.bricksllm.dialect.anthropic;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.bytes;
import static io.bricksllm.dialect.DialectFixtures.sseData;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletionChunk;
import io.bricksllm.dialect.SseEventSplitter;
import io.bricksllm.dialect.openai.OpenAiStreamEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An Anthropic SSE transcript → OpenAI chunk transcript, fed whole, split at every byte offset and
 * byte by byte: every feeding must give the same bytes, equal to the golden transcript, and every
 * chunk must parse as the official SDK's {@link ChatCompletionChunk}.
 */
class AnthropicStreamGoldenTest {

    @ParameterizedTest
    @CsvSource({"text-cached,true", "tool-calls,false", "thinking,true", "json-object,false", "overloaded,true"})
    void translatesTheStreamToTheGoldenChunksAtEverySplit(String name, boolean includeUsage) throws Exception {
        byte[] upstream = bytes("anthropic/streams/" + name + ".anthropic.sse");
        Optional<String> answerTool = name.equals("json-object") ? Optional.of("json_answer") : Optional.empty();

        String whole = translate(upstream, List.of(), includeUsage, answerTool);
        for (int split = 0; split <= upstream.length; split++) {
            assertThat(translate(upstream, List.of(split), includeUsage, answerTool)).as("split at %d", split)
                    .isEqualTo(whole);
        }
        List<Integer> everyByte = java.util.stream.IntStream.range(1, upstream.length).boxed().toList();
        assertThat(translate(upstream, everyByte, includeUsage, answerTool)).as("byte by byte").isEqualTo(whole);

        List<JsonNode> frames = sseData(whole);
        assertThat(frames).isEqualTo(sseData(new String(bytes("anthropic/streams/" + name + ".openai.sse"),
                StandardCharsets.UTF_8)));
        for (JsonNode frame : frames) {
            if (frame.isObject() && frame.has("choices")) {
                ObjectMappers.jsonMapper().readValue(JSON.writeValueAsBytes(frame), ChatCompletionChunk.class)
                        .validate();
            }
        }
    }

    private static String translate(byte[] upstream, List<Integer> splits, boolean includeUsage,
            Optional<String> answerTool) {
        AnthropicStreamDecoder decoder = new AnthropicStreamDecoder(JSON, answerTool);
        OpenAiStreamEncoder encoder = new OpenAiStreamEncoder(JSON, includeUsage, 1_700_000_000L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SseEventSplitter splitter = new SseEventSplitter(
                (event, data) -> decoder.decode(event, data).forEach(e -> out.writeBytes(encoder.encode(e))));
        splitter.feedSplitAt(upstream, splits);
        out.writeBytes(encoder.end());
        return out.toString(StandardCharsets.UTF_8);
    }
}
