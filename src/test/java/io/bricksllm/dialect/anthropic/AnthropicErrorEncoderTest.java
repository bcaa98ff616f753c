package io.bricksllm.dialect.anthropic;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.core.ObjectMappers;
import com.anthropic.models.ErrorResponse;
import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.SseEventSplitter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Errors in Anthropic's shape for {@code /v1/messages} callers: the SDK's type parses them, Anthropic's decoder reads them back. */
class AnthropicErrorEncoderTest {

    private final AnthropicErrorEncoder encoder = new AnthropicErrorEncoder(JSON);

    @ParameterizedTest
    @CsvSource({"429,rate_limit_error,rate_limit_error", "400,invalid_request_error,invalid_request_error",
            "529,overloaded_error,overloaded_error", "502,upstream_error,api_error", "401,invalid_api_key,api_error"})
    void aBodyTheSdkParsesAndTheDecoderReadsBack(int status, String type, String anthropicType) throws Exception {
        ChatError error = new ChatError(status, type, "budget exceeded for key k1");

        byte[] body = encoder.encode(error);

        ErrorResponse parsed = ObjectMappers.jsonMapper().readValue(body, ErrorResponse.class);
        parsed.validate();
        assertThat(JSON.readTree(body).path("error").path("type").asText()).isEqualTo(anthropicType);
        assertThat(new AnthropicErrorDecoder(JSON).decode(status, body))
                .isEqualTo(new ChatError(status, anthropicType, "budget exceeded for key k1"));
    }

    @ParameterizedTest
    @CsvSource({"429,rate_limit_error", "529,overloaded_error"})
    void theStreamEventIsReadAsAFailure(int status, String type) {
        byte[] event = encoder.event(new ChatError(status, type, "stop"));
        List<String> names = new ArrayList<>();
        List<Object> decoded = new ArrayList<>();
        AnthropicStreamDecoder decoder = new AnthropicStreamDecoder(JSON, java.util.Optional.empty());
        new SseEventSplitter((name, data) -> {
            names.add(name);
            decoded.addAll(decoder.decode(name, data));
        }).feedSplitAt(event, List.of());

        assertThat(new String(event, StandardCharsets.UTF_8)).startsWith("event: error\ndata: ");
        assertThat(names).containsExactly("error");
        assertThat(decoded).containsExactly(new io.bricksllm.dialect.StreamEvent.Failure(new ChatError(status, type, "stop")));
    }
}
