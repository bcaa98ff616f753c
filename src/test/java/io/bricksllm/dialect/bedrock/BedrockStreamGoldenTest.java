package io.bricksllm.dialect.bedrock;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.bytes;
import static io.bricksllm.dialect.DialectFixtures.json;
import static io.bricksllm.dialect.DialectFixtures.sseData;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletionChunk;
import io.bricksllm.dialect.StreamEvent;
import io.bricksllm.dialect.openai.OpenAiStreamEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A ConverseStream transcript, framed with the AWS SDK's event-stream encoder, → OpenAI chunk
 * transcript, fed whole, split at every byte offset and byte by byte: every feeding must give the same
 * canonical events and bytes, equal to the golden transcript, and every chunk must parse as the
 * official SDK's {@link ChatCompletionChunk}.
 */
class BedrockStreamGoldenTest {

    @ParameterizedTest
    @CsvSource({"text-cached,true", "tool-calls,false", "reasoning,true", "json-schema,true", "guardrail,false",
            "throttled,true"})
    void translatesTheStreamToTheGoldenChunksAtEverySplit(String name, boolean includeUsage) throws Exception {
        byte[] upstream = BedrockEventStreams.encode(json("bedrock/streams/" + name + ".bedrock.json"));

        Translation whole = translate(name, upstream, List.of(), includeUsage);
        for (int split = 0; split <= upstream.length; split++) {
            Translation parted = translate(name, upstream, List.of(split), includeUsage);
            assertThat(parted.events()).as("events split at %d", split).isEqualTo(whole.events());
            assertThat(parted.sse()).as("chunks split at %d", split).isEqualTo(whole.sse());
        }
        List<Integer> everyByte = IntStream.range(1, upstream.length).boxed().toList();
        assertThat(translate(name, upstream, everyByte, includeUsage)).as("byte by byte").isEqualTo(whole);

        List<JsonNode> frames = sseData(whole.sse());
        assertThat(frames).as(whole.sse()).isEqualTo(sseData(new String(bytes("bedrock/streams/" + name + ".openai.sse"),
                StandardCharsets.UTF_8)));
        for (JsonNode frame : frames) {
            if (frame.isObject() && frame.has("choices")) {
                ObjectMappers.jsonMapper().readValue(JSON.writeValueAsBytes(frame), ChatCompletionChunk.class)
                        .validate();
            }
        }
    }

    record Translation(List<StreamEvent> events, String sse) {
    }

    static Translation translate(String name, byte[] upstream, List<Integer> splits, boolean includeUsage) {
        BedrockStreamDecoder decoder = new BedrockStreamDecoder(JSON, "req-" + name, BedrockResponseGoldenTest.MODEL,
                BedrockResponseGoldenTest.answerTool(name));
        OpenAiStreamEncoder encoder = new OpenAiStreamEncoder(JSON, includeUsage, 1_700_000_000L);
        List<StreamEvent> events = new ArrayList<>();
        int from = 0;
        for (int split : splits) {
            events.addAll(decoder.feed(upstream, from, split - from));
            from = split;
        }
        events.addAll(decoder.feed(upstream, from, upstream.length - from));
        events.addAll(decoder.end());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        events.forEach(event -> out.writeBytes(encoder.encode(event)));
        out.writeBytes(encoder.end());
        return new Translation(events, out.toString(StandardCharsets.UTF_8));
    }
}
