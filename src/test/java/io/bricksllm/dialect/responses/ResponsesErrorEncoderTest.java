package io.bricksllm.dialect.responses;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static io.bricksllm.dialect.DialectFixtures.bytes;
import static io.bricksllm.dialect.DialectFixtures.json;
import static io.bricksllm.dialect.DialectFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.ObjectMappers;
import com.openai.models.responses.ResponseErrorEvent;
import com.openai.models.responses.ResponseStreamEvent;
import io.bricksllm.dialect.ChatError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Errors for Responses callers: OpenAI's error body, and the stream's {@code error} event the SDK parses. */
class ResponsesErrorEncoderTest {

    private static final ChatError RATE_LIMIT = new ChatError(429, "rate_limit_error", "Rate limited, retry later");

    private final ResponsesErrorEncoder encoder = new ResponsesErrorEncoder(JSON);

    @Test
    void theBodyIsOpenAisErrorShape() {
        assertThat(parse(encoder.encode(RATE_LIMIT))).isEqualTo(json("responses/errors/rate-limit.body.json"));
    }

    @Test
    void theStreamEventIsTheGoldenErrorEventWhichTheSdkParses() throws Exception {
        byte[] event = encoder.streamEvent(RATE_LIMIT, 3);

        String text = new String(event, StandardCharsets.UTF_8);
        assertThat(text).isEqualTo(new String(bytes("responses/errors/rate-limit.event.sse"), StandardCharsets.UTF_8));
        String data = text.substring(text.indexOf("data: ") + 6).strip();
        ResponseErrorEvent error = ObjectMappers.jsonMapper().readValue(data, ResponseStreamEvent.class).validate()
                .asError();
        assertThat(error.code()).contains("rate_limit_error");
        assertThat(error.message()).isEqualTo("Rate limited, retry later");
        assertThat(error.sequenceNumber()).isEqualTo(3);
        assertThat(parse(data.getBytes(StandardCharsets.UTF_8)).path("param").isNull()).isTrue();
    }

    @Test
    void aStreamThatFailsFirstNumbersItsErrorZero() {
        String text = new String(encoder.streamEvent(RATE_LIMIT), StandardCharsets.UTF_8);

        assertThat(text).startsWith("event: error\ndata: ").endsWith("\n\n");
        assertThat(parse(text.substring(text.indexOf("data: ") + 6).strip().getBytes(StandardCharsets.UTF_8))
                .path("sequence_number").asInt()).isZero();
    }
}
