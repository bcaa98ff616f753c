package io.bricksllm.dialect.openai;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.bytes;
import static io.bricksllm.dialect.DialectFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import io.bricksllm.dialect.ChatResponse;
import io.bricksllm.dialect.FinishReason;
import io.bricksllm.dialect.MalformedUpstreamException;
import io.bricksllm.dialect.Usage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An OpenAI-compatible chat.completion → canonical answer, compared with a golden canonical rendering. */
class OpenAiResponseGoldenTest {

    private final OpenAiResponseDecoder decoder = new OpenAiResponseDecoder(JSON);

    @ParameterizedTest
    @ValueSource(strings = {"plain", "tool-calls", "reasoning-content", "length", "cached-reasoning-usage",
            "azure-content-filter"})
    void decodesTheCompletionToTheGoldenCanonicalAnswer(String name) throws Exception {
        byte[] upstream = bytes("openai/responses/" + name + ".openai.json");
        // the fixture is a chat completion the official SDK accepts
        ObjectMappers.jsonMapper().readValue(upstream, ChatCompletion.class).validate();

        ChatResponse response = decoder.decode(upstream);

        assertThat(CanonicalJson.response(response)).isEqualTo(json("openai/responses/" + name + ".canonical.json"));
    }

    @Test
    void missingUsageIsNotReportedRatherThanZero() {
        ChatResponse response = decoder.decode(("{\"id\":\"x\",\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":null}]}")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(response.usage()).isEqualTo(Usage.NOT_REPORTED);
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void toolCallsUnderAStopReasonStillAskForTheToolsTurn() {
        ChatResponse response = decoder.decode(("{\"id\":\"x\",\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"id\":\"c\","
                + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
                + "\"finish_reason\":\"stop\"}]}").getBytes(StandardCharsets.UTF_8));

        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(response.parts()).as("no empty text beside the call").hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"<html>bad gateway</html>", "{\"object\":\"list\",\"data\":[]}", "[]", "null"})
    void aBodyThatIsNotAChatCompletionIsAnUpstreamFault(String body) {
        assertThatThrownBy(() -> decoder.decode(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(MalformedUpstreamException.class,
                        e -> assertThat(e.toChatError().status()).isEqualTo(502));
    }
}
