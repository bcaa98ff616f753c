package io.bricksllm.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the upstream may plausibly report for one request, and what is charged when it reports more. */
class UsageBoundsTest {

    @Test
    void completionIsBoundedByTheOutputCapTimesTheChoicesAndPromptByTheBodyPlusAContextWindow() {
        UsageBounds capped = UsageBounds.forRequest(1_000, 50, 3);
        assertThat(capped.maxOutputTokens()).isEqualTo(150);
        assertThat(capped.maxInputTokens()).isEqualTo(1_000 + UsageBounds.PROMPT_BEYOND_BODY);
        assertThat(capped.anomalies(Usage.of(10_000_000, 150))).isEmpty();

        UsageBounds uncapped = UsageBounds.forRequest(0, 0, 1);
        assertThat(uncapped.maxOutputTokens()).isEqualTo(UsageBounds.DEFAULT_MAX_COMPLETION);
        assertThat(UsageBounds.forRequest(0, 0, 1_000_000).maxOutputTokens())
                .as("an absurd n cannot widen the bound").isEqualTo(128 * UsageBounds.DEFAULT_MAX_COMPLETION);
        assertThat(UsageBounds.forRequest(-1, Long.MAX_VALUE, -4)).isEqualTo(new UsageBounds(UsageBounds.PROMPT_BEYOND_BODY,
                UsageBounds.DEFAULT_MAX_COMPLETION));
    }

    @Test
    void implausibleCountsAreNamedAndReplacedByTheCountedOnesWithinTheBounds() {
        UsageBounds b = UsageBounds.forRequest(100, 50, 1);
        Usage absurd = new Usage(1_000_000_000_000_000L, 1_000_000_000_000_000L, 0, 0);
        assertThat(b.anomalies(absurd)).isEqualTo("prompt_tokens:above_bound,completion_tokens:above_bound");
        assertThat(b.settle(absurd, Usage.of(9, 4))).isEqualTo(Usage.of(9, 4));
        assertThat(b.settle(absurd, Usage.of(9, 4_000))).as("the counted figure is bounded too").isEqualTo(Usage.of(9, 50));

        Usage goodPromptBadOutput = new Usage(20, Usage.UNREADABLE, 5, 0);
        assertThat(b.anomalies(goodPromptBadOutput)).isEqualTo("completion_tokens:unreadable");
        assertThat(b.settle(goodPromptBadOutput, Usage.of(9, 4))).isEqualTo(new Usage(20, 4, 5, 0));

        Usage badCache = new Usage(20, 3, Usage.UNREADABLE, 0);
        assertThat(b.anomalies(badCache)).isEqualTo("cache_read_tokens:unreadable");
        assertThat(b.settle(badCache, Usage.of(9, 4))).as("the cache counts go with the prompt they were part of")
                .isEqualTo(Usage.of(9, 3));
    }

    @Test
    void reasoningIsBoundedByTheCompletionBoundAndGoesWithTheCompletionItIsPartOf() {
        UsageBounds b = UsageBounds.forRequest(100, 50, 1);
        assertThat(b.anomalies(new Usage(20, 50, 5, 2, 40))).isEmpty();
        assertThat(b.settle(new Usage(20, 50, 5, 2, 40), Usage.of(9, 4))).isEqualTo(new Usage(20, 50, 5, 2, 40));

        Usage badReasoning = new Usage(20, 30, 5, 2, Usage.UNREADABLE);
        assertThat(b.anomalies(badReasoning)).isEqualTo("reasoning_tokens:unreadable");
        assertThat(b.settle(badReasoning, Usage.of(9, 4))).as("only the implausible detail is dropped")
                .isEqualTo(new Usage(20, 30, 5, 2, 0));

        Usage badOutput = new Usage(20, 1_000_000_000L, 0, 0, 40);
        assertThat(b.anomalies(badOutput)).isEqualTo("completion_tokens:above_bound");
        assertThat(b.settle(badOutput, Usage.of(9, 4))).as("a replaced completion drops the reasoning it contained")
                .isEqualTo(new Usage(20, 4, 0, 0, 0));
        assertThat(b.settle(new Usage(Usage.UNREADABLE, 30, 0, 0, 20), Usage.of(9, 4)))
                .as("a replaced prompt keeps the plausible completion's reasoning").isEqualTo(new Usage(9, 30, 0, 0, 20));
    }

    @Test
    void countsNoTokenCountCanBeAreReadAsUnreadableNotAsZeroNorAsMissingUsage() {
        assertThat(openAi("\"prompt_tokens\":-5,\"completion_tokens\":3")).isEqualTo(new Usage(Usage.UNREADABLE, 3, 0, 0));
        assertThat(openAi("\"prompt_tokens\":\"12\",\"completion_tokens\":3")).isEqualTo(new Usage(Usage.UNREADABLE, 3, 0, 0));
        assertThat(openAi("\"prompt_tokens\":12,\"completion_tokens\":123456789012345678901234567890"))
                .isEqualTo(new Usage(12, Usage.UNREADABLE, 0, 0));
        assertThat(openAi("\"prompt_tokens\":12,\"completion_tokens\":1e300")).isEqualTo(new Usage(12, Usage.UNREADABLE, 0, 0));
        assertThat(openAi("\"total_tokens\":-1")).isEqualTo(new Usage(Usage.UNREADABLE, 0, 0, 0));
        assertThat(openAi("\"prompt_tokens\":12,\"completion_tokens\":null")).as("null is 'not reported'").isEqualTo(Usage.of(12, 0));
        assertThat(openAi("\"prompt_tokens\":12.0,\"completion_tokens\":3")).isEqualTo(Usage.of(12, 3));

        Usage anthropic = AnthropicUsage.fromResponse(("{\"usage\":{\"input_tokens\":" + Long.MAX_VALUE / 2
                + ",\"output_tokens\":1,\"cache_read_input_tokens\":" + Long.MAX_VALUE / 2 + ",\"cache_creation_input_tokens\":9}}")
                .getBytes(StandardCharsets.UTF_8)).usage().orElseThrow();
        assertThat(anthropic.inputTokens()).as("a sum past a long is unreadable, never negative").isEqualTo(Usage.UNREADABLE);
        assertThat(UsageBounds.forRequest(10, 0, 1).anomalies(anthropic)).contains("prompt_tokens:unreadable");
    }

    private static Usage openAi(String usage) {
        return OpenAiUsage.fromResponse(("{\"model\":\"m\",\"usage\":{" + usage + "}}").getBytes(StandardCharsets.UTF_8))
                .usage().orElseThrow();
    }
}
