package io.bricksllm.dialect.bedrock;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.InvalidChatRequestException;
import io.bricksllm.dialect.bedrock.ClaudeInvokeStreamDecoder.Piece;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/** Claude's Anthropic bodies for InvokeModel, and its event-stream answer back as Anthropic events. */
class ClaudeInvokeCodecTest {

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void messagesKeepWhatBedrockAcceptsAndMoveModelAndStreamOut() {
        JsonNode request = tree("""
                {"model":"anthropic.claude-3-7-sonnet-20250219-v1:0","stream":true,"max_tokens":100,"system":"s",
                 "messages":[{"role":"user","content":"hi"}],"temperature":0.2,"top_p":0.9,"top_k":5,"stop_sequences":["x"],
                 "tools":[{"name":"t","input_schema":{"type":"object"}}],"tool_choice":{"type":"auto"},
                 "thinking":{"type":"enabled","budget_tokens":1024},"metadata":{"user_id":"u","tags":["a"]},
                 "service_tier":"auto","container":"c"}""");

        JsonNode body = new ClaudeInvokeEncoder(JSON).messages(request, "2023-06-01", "token-efficient-tools-2025-02-19, output-128k-2025-02-19");

        assertThat(body).isEqualTo(tree("""
                {"anthropic_version":"bedrock-2023-05-31",
                 "anthropic_beta":["token-efficient-tools-2025-02-19","output-128k-2025-02-19"],
                 "system":"s","messages":[{"role":"user","content":"hi"}],"max_tokens":100,"stop_sequences":["x"],
                 "temperature":0.2,"top_p":0.9,"top_k":5,"tools":[{"name":"t","input_schema":{"type":"object"}}],
                 "tool_choice":{"type":"auto"},"thinking":{"type":"enabled","budget_tokens":1024},"metadata":{"user_id":"u"}}"""));
        assertThat(ClaudeInvokeEncoder.modelId(request)).isEqualTo("anthropic.claude-3-7-sonnet-20250219-v1:0");
    }

    @Test
    void aBedrockVersionInTheHeaderOrBodyIsKept() {
        ClaudeInvokeEncoder encoder = new ClaudeInvokeEncoder(JSON);
        JsonNode plain = tree("{\"model\":\"m\",\"messages\":[]}");
        assertThat(encoder.messages(plain, "bedrock-2099-01-01", null).path("anthropic_version").asText()).isEqualTo("bedrock-2099-01-01");
        assertThat(encoder.messages(plain, null, null).path("anthropic_version").asText()).isEqualTo("bedrock-2023-05-31");
        JsonNode own = tree("{\"model\":\"m\",\"anthropic_version\":\"bedrock-2023-05-31\",\"anthropic_beta\":[\"b\"],\"messages\":[]}");
        JsonNode body = encoder.messages(own, "2023-06-01", "b");
        assertThat(body.path("anthropic_beta").toString()).isEqualTo("[\"b\"]");
    }

    @Test
    void completeKeepsOnlyTheTextCompletionFields() {
        JsonNode body = new ClaudeInvokeEncoder(JSON).complete(tree("""
                {"model":"anthropic.claude-v2","prompt":"\\n\\nHuman: hi\\n\\nAssistant:","max_tokens_to_sample":9,
                 "stream":true,"metadata":{"user_id":"u"},"temperature":1,"stop_sequences":["\\n\\nHuman:"]}"""));
        assertThat(body).isEqualTo(tree("""
                {"prompt":"\\n\\nHuman: hi\\n\\nAssistant:","max_tokens_to_sample":9,"stop_sequences":["\\n\\nHuman:"],"temperature":1}"""));
    }

    @Test
    void aMissingModelNamesTheField() {
        assertThatThrownBy(() -> ClaudeInvokeEncoder.modelId(tree("{\"messages\":[]}")))
                .isInstanceOf(InvalidChatRequestException.class).hasMessageContaining("'model'");
    }

    static final List<String> EVENTS = List.of(
            "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bdrk_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude\",\"content\":[],\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}",
            "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Grüße\"}}",
            "{\"type\":\"content_block_stop\",\"index\":0}",
            "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":4}}",
            "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":9,\"outputTokenCount\":4,\"invocationLatency\":1,\"firstByteLatency\":1}}");

    static byte[] frames(List<String> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String event : events) {
            Map<String, HeaderValue> headers = new LinkedHashMap<>();
            headers.put(":message-type", HeaderValue.fromString("event"));
            headers.put(":event-type", HeaderValue.fromString("chunk"));
            String payload = "{\"bytes\":\"" + Base64.getEncoder().encodeToString(event.getBytes(StandardCharsets.UTF_8)) + "\"}";
            new Message(headers, payload.getBytes(StandardCharsets.UTF_8)).encode(out);
        }
        return out.toByteArray();
    }

    private static List<Piece> decodeSplitAt(byte[] stream, int split) {
        ClaudeInvokeStreamDecoder decoder = new ClaudeInvokeStreamDecoder(JSON, "req-1", "anthropic.claude-v2");
        List<Piece> out = new ArrayList<>(decoder.feed(stream, 0, split));
        out.addAll(decoder.feed(stream, split, stream.length - split));
        out.addAll(decoder.end());
        return out;
    }

    @Test
    void eachChunkIsOneAnthropicEventWhereverTheBytesSplit() {
        byte[] stream = frames(EVENTS);
        List<Piece> expected = EVENTS.stream().<Piece>map(e -> new Piece.Event(tree(e).path("type").asText(), e)).toList();
        for (int split = 0; split <= stream.length; split++) {
            assertThat(decodeSplitAt(stream, split)).as("split at %d", split).isEqualTo(expected);
        }
    }

    @Test
    void anEventLeavesAsSoonAsItsFrameIsWholeAndTheLastCarriesBedrocksCounts() {
        byte[] stream = frames(EVENTS);
        int first = java.nio.ByteBuffer.wrap(stream).getInt(0);
        ClaudeInvokeStreamDecoder decoder = new ClaudeInvokeStreamDecoder(JSON, "req-1", "m");
        assertThat(decoder.feed(stream, 0, first - 1)).isEmpty();
        assertThat(decoder.feed(stream, first - 1, 1)).singleElement().isInstanceOfSatisfying(Piece.Event.class,
                e -> assertThat(e.type()).isEqualTo("message_start"));
        assertThat(decoder.metrics()).isEmpty();
        decoder.feed(stream, first, stream.length - first);
        assertThat(decoder.metrics()).contains(new ClaudeInvokeStreamDecoder.InvocationMetrics(9, 4));
        assertThat(decoder.end()).isEmpty();
    }

    @Test
    void aCompleteChunkReadsAsAnthropicsCompletionEvent() {
        byte[] stream = frames(List.of("{\"completion\":\" Hi\",\"stop_reason\":null,\"stop\":null}",
                "{\"completion\":\"!\",\"stop_reason\":\"stop_sequence\",\"stop\":\"\\n\\nHuman:\"}"));
        ClaudeInvokeStreamDecoder decoder = new ClaudeInvokeStreamDecoder(JSON, "req-1", "anthropic.claude-v2");
        List<Piece> pieces = decoder.feed(stream, 0, stream.length);
        assertThat(pieces).hasSize(2).allSatisfy(p -> assertThat(((Piece.Event) p).type()).isEqualTo("completion"));
        assertThat(tree(((Piece.Event) pieces.get(0)).json())).isEqualTo(tree(
                "{\"type\":\"completion\",\"id\":\"req-1\",\"model\":\"anthropic.claude-v2\",\"completion\":\" Hi\",\"stop_reason\":null,\"stop\":null}"));
        assertThat(decoder.end()).isEmpty(); // the stop_reason ended it
    }

    @Test
    void anExceptionFrameEndsTheStreamWithItsError() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(frames(EVENTS.subList(0, 1)));
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":message-type", HeaderValue.fromString("exception"));
        headers.put(":exception-type", HeaderValue.fromString("modelStreamErrorException"));
        new Message(headers, "{\"message\":\"model failed\"}".getBytes(StandardCharsets.UTF_8)).encode(out);
        out.writeBytes(frames(EVENTS.subList(1, 2)));
        byte[] stream = out.toByteArray();

        List<Piece> pieces = decodeSplitAt(stream, stream.length);

        assertThat(pieces).hasSize(2);
        assertThat(pieces.get(1)).isInstanceOfSatisfying(Piece.Failure.class, f -> {
            assertThat(f.error().status()).isEqualTo(424);
            assertThat(f.error().message()).isEqualTo("model failed");
        });
    }

    @Test
    void aStreamEndingBeforeMessageStopEndsInOneFailure() {
        byte[] stream = frames(EVENTS.subList(0, 3));
        List<Piece> pieces = decodeSplitAt(stream, 7);
        assertThat(pieces.getLast()).isInstanceOfSatisfying(Piece.Failure.class, f -> assertThat(f.error().status()).isEqualTo(502));
    }
}
