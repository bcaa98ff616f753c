package io.bricksllm.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.SseException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.metering.TokenCounter;
import io.bricksllm.store.Json;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Anthropic drops the connection in the middle of an agent's answer (after the thinking block and part of the text,
 * before the message_delta that carries the output count). The caller's stream ends with an {@code error} event in
 * Anthropic's shape, so the SDK raises; the event keeps the upstream's status (200: the answer had begun), the prompt
 * as message_start reported it and, for the output, the text the caller received, counted by the gateway — never
 * less than what the upstream reported so far.
 */
class CutAgentStreamTest {
    static final String MODEL = "claude-sonnet-4-5-20250929";
    static final List<String> TEXT = List.of("I'll start by ", "reading the lexer ", "and its tests, then ", "run the failing case ",
            "to see the exact ", "message before ", "changing anything.");
    static final String THINKING = "Read the lexer first, then its tests.";
    static final List<String> TOOL_INPUT = List.of("{\"file_path\": \"/home/", "dev/parser/src/", "lexer.ts\"}");
    /** message_start, ping, thinking (start, delta, signature, stop), text start and 4 of its 7 deltas. */
    static final int SENT_BEFORE_CUT = 11;
    /** The gateway's own token counter (loading its vocabularies takes a while: once). */
    static final TokenCounter TOKENS = new TokenCounter();
    static AgentGateway g;

    @BeforeAll
    static void start() {
        g = new AgentGateway();
        g.answer(body -> MockUpstream.Reply.sse(stream()).dyingAfter(SENT_BEFORE_CUT));
    }

    @AfterAll
    static void stop() {
        g.close();
    }

    @BeforeEach
    void reset() {
        g.upstream.reset();
    }

    @Test
    void theSdkRaisesAfterTheEventsThatCameAndTheEventRecordsWhatWasMetered() {
        String keyId = g.key("gw-agent-cut-sdk", "");
        AgentSdk sdk = new AgentSdk(g.gw, "gw-agent-cut-sdk", Map.of());
        MessageAccumulator acc = MessageAccumulator.create();
        List<RawMessageStreamEvent> seen = new ArrayList<>();
        assertThatThrownBy(() -> {
            try (StreamResponse<RawMessageStreamEvent> s = sdk.client.messages().createStreaming(AgentSdk.params(request()))) {
                s.stream().forEach(e -> {
                    seen.add(e);
                    acc.accumulate(e);
                });
            }
        }).isInstanceOfSatisfying(SseException.class, e -> {
            JsonNode body = AgentSdk.json(e.body());
            assertThat(body.get("type").asText()).as(body.toString()).isEqualTo("error");
            assertThat(body.get("error").get("type").asText()).isEqualTo("api_error");
            assertThat(body.get("error").get("message").asText()).contains("upstream");
        });
        assertThat(seen).as("every event the upstream sent before the cut (ping is not an event for the SDK)").hasSize(SENT_BEFORE_CUT - 1);
        assertThat(AgentSdk.json(seen.get(seen.size() - 1)).at("/delta/text").asText()).isEqualTo(TEXT.get(3));

        assertMetered(keyId);
    }

    @Test
    void theCallersBytesAreTheEventsThatCameThenAnthropicsErrorEvent() {
        String keyId = g.key("gw-agent-cut-raw", "");
        ProxyClient.Reply r = new ProxyClient(g.gw.proxyUrl()).send("POST", "/v1/messages",
                Map.of("Authorization", "Bearer gw-agent-cut-raw", "Content-Type", "application/json", "anthropic-version", "2023-06-01"),
                Json.write(request()).getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(200);
        StringBuilder before = new StringBuilder();
        stream().subList(0, SENT_BEFORE_CUT).forEach(e -> before.append(e).append("\n\n"));
        String text = r.text();
        assertThat(text).startsWith(before.toString());
        String tail = text.substring(before.length());
        assertThat(tail).startsWith("event: error\ndata: ");
        JsonNode error = AgentSession.data(tail.substring(0, tail.indexOf("\n\n")));
        assertThat(error.get("type").asText()).isEqualTo("error");
        assertThat(error.get("error").get("type").asText()).isEqualTo("api_error");
        assertThat(text).doesNotContain("message_delta");

        assertMetered(keyId);
    }

    /**
     * Claude Code's Esc: the caller hangs up after the answer's last content block (a tool call), before the
     * message_delta with the output count. What it got — thinking, text and the tool input — is charged (it was one
     * output token before the meter counted it).
     */
    @Test
    void aCallerWhoHangsUpAfterTheLastBlockIsChargedForTheTextItGot() throws Exception {
        String keyId = g.key("gw-agent-cut-esc", "");
        g.answer(body -> MockUpstream.Reply.sse(stream()).withGap(java.time.Duration.ofMillis(150)));
        try {
            var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(g.gw.proxyUrl() + "/v1/messages"))
                    .header("Authorization", "Bearer gw-agent-cut-esc").header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Json.write(request()))).build();
            var res = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
                    .send(req, java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            StringBuilder got = new StringBuilder();
            try (var in = res.body()) {
                byte[] buf = new byte[4096];
                for (int n; !got.toString().contains("\"content_block_stop\",\"index\":2") && (n = in.read(buf)) > 0; ) {
                    got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } // closing the body before its end drops the connection
            assertThat(got.toString()).doesNotContain("message_delta");

            JsonNode e = g.events(keyId, 1).get(0);
            long streamed = TOKENS.countText(MODEL, THINKING + String.join("", TEXT) + String.join("", TOOL_INPUT));
            assertThat(e.get("prompt_token_count").asLong()).isEqualTo(6 + 200 + 30_000);
            assertThat(e.get("completion_token_count").asLong()).as(e.toString()).isEqualTo(streamed);
        } finally {
            g.answer(body -> MockUpstream.Reply.sse(stream()).dyingAfter(SENT_BEFORE_CUT));
        }
    }

    /** Status 200, the prompt of message_start, and what the model wrote before the cut (thinking, text) as the output. */
    static void assertMetered(String keyId) {
        JsonNode e = g.events(keyId, 1).get(0);
        assertThat(e.get("status").asInt()).as(e.toString()).isEqualTo(200);
        assertThat(e.get("model").asText()).isEqualTo(MODEL);
        assertThat(e.get("prompt_token_count").asLong()).isEqualTo(6 + 200 + 30_000);
        assertThat(e.get("cache_read_token_count").asLong()).isEqualTo(30_000);
        assertThat(e.get("cache_write_token_count").asLong()).isEqualTo(200);
        long streamed = TOKENS.countText(MODEL, THINKING + String.join("", TEXT.subList(0, 4)));
        assertThat(streamed).isGreaterThan(1);
        assertThat(e.get("completion_token_count").asLong()).as("the output the caller received, not message_start's 1")
                .isEqualTo(streamed);
        double cost = (6 * 3.0 + 200 * 3.75 + 30_000 * 0.3 + streamed * 15.0) / 1_000_000;
        assertThat(e.get("cost_in_usd").asDouble()).isCloseTo(cost, org.assertj.core.api.Assertions.within(1e-12));
    }

    static JsonNode request() {
        return Json.MAPPER.valueToTree(Map.of("model", MODEL, "max_tokens", 32000, "stream", true,
                "metadata", Map.of("user_id", "user_cut"),
                "thinking", Map.of("type", "enabled", "budget_tokens", 31999),
                "messages", List.of(Map.of("role", "user", "content", "Fix the failing lexer test."))));
    }

    static List<String> stream() {
        List<String> e = new ArrayList<>();
        e.add("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01Cut\",\"type\":\"message\",\"role\":\"assistant\","
                + "\"model\":\"" + MODEL + "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":6,"
                + "\"cache_creation_input_tokens\":200,\"cache_read_input_tokens\":30000,\"output_tokens\":1}}}");
        e.add("event: ping\ndata: {\"type\":\"ping\"}");
        e.add("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}");
        e.add("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"" + THINKING + "\"}}");
        e.add("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQBCgIYAhIMcut\"}}");
        e.add("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}");
        e.add("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        for (String t : TEXT) {
            e.add("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + t + "\"}}");
        }
        e.add("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}");
        e.add("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\","
                + "\"id\":\"toolu_01Cut\",\"name\":\"Read\",\"input\":{}}}");
        for (String j : TOOL_INPUT) {
            e.add("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":"
                    + Json.write(j) + "}}");
        }
        e.add("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":2}");
        e.add("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":57}}");
        e.add("event: message_stop\ndata: {\"type\":\"message_stop\"}");
        return e;
    }
}
