package io.bricksllm.dialect.openai;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.sseData;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.FinishReason;
import io.bricksllm.dialect.StreamEvent;
import io.bricksllm.dialect.Usage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class OpenAiStreamEncoderTest {

    private static final Usage REPORTED = new Usage(OptionalLong.of(3), OptionalLong.of(4), OptionalLong.empty(),
            OptionalLong.empty(), OptionalLong.empty());

    private static List<JsonNode> run(boolean includeUsage, StreamEvent... events) {
        OpenAiStreamEncoder encoder = new OpenAiStreamEncoder(JSON, includeUsage, 1L);
        StringBuilder out = new StringBuilder();
        for (StreamEvent event : events) {
            out.append(new String(encoder.encode(event), StandardCharsets.UTF_8));
        }
        out.append(new String(encoder.end(), StandardCharsets.UTF_8));
        return sseData(out.toString());
    }

    @Test
    void withoutIncludeUsageNoUsageChunkIsSent() {
        List<JsonNode> frames = run(false, new StreamEvent.Start("id1", "m"), new StreamEvent.TextDelta("Hi"),
                new StreamEvent.Finish(FinishReason.STOP), new StreamEvent.UsageUpdate(REPORTED));

        assertThat(frames).hasSize(4);
        assertThat(frames).noneMatch(frame -> frame.has("usage"));
        assertThat(frames.getLast().asText()).isEqualTo("[DONE]");
    }

    @Test
    void withIncludeUsageTheLastChunkBeforeDoneCarriesTheLatestUsageAndNoChoices() {
        Usage later = new Usage(OptionalLong.empty(), OptionalLong.of(9), OptionalLong.empty(), OptionalLong.empty(),
                OptionalLong.empty());
        List<JsonNode> frames = run(true, new StreamEvent.Start("id1", "m"), new StreamEvent.UsageUpdate(REPORTED),
                new StreamEvent.Finish(FinishReason.LENGTH), new StreamEvent.UsageUpdate(later));

        JsonNode usageChunk = frames.get(frames.size() - 2);
        assertThat(usageChunk.get("choices")).isEmpty();
        assertThat(usageChunk.get("usage").toString())
                .isEqualTo("{\"prompt_tokens\":3,\"completion_tokens\":9,\"total_tokens\":12}");
        assertThat(frames.get(1).at("/choices/0/finish_reason").asText()).isEqualTo("length");
    }

    @Test
    void afterAFailureNothingMoreIsSentNotEvenDone() {
        List<JsonNode> frames = run(true, new StreamEvent.Start("id1", "m"),
                new StreamEvent.Failure(new ChatError(529, "overloaded_error", "Overloaded")),
                new StreamEvent.TextDelta("late"), new StreamEvent.Finish(FinishReason.STOP),
                new StreamEvent.UsageUpdate(REPORTED));

        assertThat(frames).hasSize(2);
        assertThat(frames.getLast().at("/error/type").asText()).isEqualTo("overloaded_error");
    }

    @Test
    void usageNeverReportedIsNotInventedAsZero() {
        List<JsonNode> frames = run(true, new StreamEvent.Start("id1", "m"), new StreamEvent.Finish(FinishReason.STOP));

        assertThat(frames).noneMatch(frame -> frame.has("usage"));
        assertThat(frames.getLast().asText()).isEqualTo("[DONE]");
    }
}
