package io.bricksllm.dialect.responses;

import static io.bricksllm.dialect.DialectFixtures.json;
import static io.bricksllm.dialect.DialectFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.ObjectMappers;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Canonical answer → Responses {@code response} object: the golden JSON, read back by openai-java's {@link Response}. */
class ResponsesResponseGoldenTest {

    @ParameterizedTest
    @ValueSource(strings = {"text", "tool-calls", "length", "content-filter"})
    void encodesTheGoldenResponseObjectWhichTheSdkValidates(String name) throws Exception {
        byte[] body = ResponsesCases.encode(ResponsesCases.ANSWERS.get(name));

        JsonNode actual = parse(body);
        assertThat(actual).as(actual.toPrettyString()).isEqualTo(json("responses/responses/" + name + ".responses.json"));
        ObjectMappers.jsonMapper().readValue(body, Response.class).validate();
    }

    @Test
    void theSdkReadsTheTextOfAnAnswer() throws Exception {
        Response response = sdk("text");

        assertThat(response.id()).isEqualTo("resp_msg_01XFDUDYJgAACzvnptvVoYEL");
        assertThat(response.status()).contains(ResponseStatus.COMPLETED);
        assertThat(response.output()).hasSize(1);
        assertThat(response.output().get(0).asMessage().content().get(0).asOutputText().text())
                .isEqualTo("Under a silver moon, a unicorn named Lumina… 🦄");
        assertThat(response.usage().orElseThrow().totalTokens()).isEqualTo(123);
        assertThat(response.usage().orElseThrow().inputTokensDetails().cachedTokens()).isZero();
    }

    @Test
    void theSdkReadsReasoningTextAndBothToolCallsInPartOrder() throws Exception {
        Response response = sdk("tool-calls");

        List<ResponseOutputItem> output = response.output();
        assertThat(output).hasSize(4);
        assertThat(output.get(0).asReasoning().summary().get(0).text()).isEqualTo("Need both files.");
        assertThat(output.get(1).asMessage().content().get(0).asOutputText().text()).isEqualTo("Reading.");
        ResponseFunctionToolCall first = output.get(2).asFunctionCall();
        assertThat(first.callId()).isEqualTo("call_1");
        assertThat(first.name()).isEqualTo("read_file");
        assertThat(first.arguments()).isEqualTo("{\"path\":\"a.py\"}");
        assertThat(output.get(3).asFunctionCall().callId()).isEqualTo("call_2");
        assertThat(response.usage().orElseThrow().outputTokensDetails().reasoningTokens()).isEqualTo(12);
        assertThat(response.instructions().orElseThrow().asString()).isEqualTo("You are a coding agent.");
        assertThat(response.tools()).hasSize(2);
        assertThat(response.parallelToolCalls()).isFalse();
    }

    @Test
    void aCutAnswerIsIncompleteWithItsReason() throws Exception {
        Response length = sdk("length");
        assertThat(length.status()).contains(ResponseStatus.INCOMPLETE);
        assertThat(length.incompleteDetails().orElseThrow().reason().orElseThrow().asString())
                .isEqualTo("max_output_tokens");
        assertThat(length.output().get(0).asMessage().status().asString()).isEqualTo("incomplete");

        Response filtered = sdk("content-filter");
        assertThat(filtered.incompleteDetails().orElseThrow().reason().orElseThrow().asString())
                .isEqualTo("content_filter");
        assertThat(filtered.output()).isEmpty();
        assertThat(filtered.usage()).as("no usage reported is not 0 tokens").isEmpty();
    }

    private static Response sdk(String name) throws Exception {
        return ObjectMappers.jsonMapper().readValue(ResponsesCases.encode(ResponsesCases.ANSWERS.get(name)),
                Response.class).validate();
    }
}
