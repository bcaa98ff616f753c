package io.bricksllm.dialect.openai;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.Message;
import io.bricksllm.dialect.Role;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The egress encoder writes what the ingress decoder reads: decoding an encoded request gives the request back, for
 * every request the encoder can express losslessly (no reasoning parts, usage asked for whenever streaming).
 */
class OpenAiRequestRoundTripTest {

    private final OpenAiRequestEncoder encoder = new OpenAiRequestEncoder(JSON);
    private final OpenAiRequestDecoder decoder = new OpenAiRequestDecoder(JSON);

    @ParameterizedTest
    @ValueSource(strings = {"text", "images", "parallel-tool-calls", "named-tool-choice", "json-schema", "json-object",
            "reasoning-effort", "streaming-with-usage"})
    void decodingTheEncodedRequestGivesItBack(String name) throws Exception {
        ChatRequest request = CanonicalRequests.named(name);

        byte[] wire = JSON.writeValueAsBytes(encoder.encode(request, request.model()));

        assertThat(decoder.decode(wire)).isEqualTo(oneResultPerToolMessage(request));
    }

    /** OpenAI has one tool message per result: several results in one canonical message come back as several. */
    private static ChatRequest oneResultPerToolMessage(ChatRequest request) {
        List<Message> messages = new ArrayList<>();
        for (Message message : request.messages()) {
            if (message.role() == Role.TOOL) {
                message.parts().forEach(part -> messages.add(new Message(Role.TOOL, List.of(part))));
            } else {
                messages.add(message);
            }
        }
        return new ChatRequest(request.model(), messages, request.tools(), request.toolChoice(),
                request.parallelToolCalls(), request.responseFormat(), request.sampling(), request.user(),
                request.streaming());
    }
}
