package io.bricksllm.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.store.Json;
import io.bricksllm.testing.MockUpstream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An agent turn after a wide fan-out: one assistant message with 60 parallel Read calls and a user message with their
 * 60 results, over 200 KB in all. Sent as raw bytes so they can be compared with what Anthropic receives.
 */
class LongAgentBodyTest {
    static final String MODEL = "claude-sonnet-4-5-20250929";
    static final int TOOL_RESULTS = 60;
    static final Duration GAP = Duration.ofMillis(60);
    static AgentGateway g;

    @BeforeAll
    static void start() {
        g = new AgentGateway();
    }

    @AfterAll
    static void stop() {
        g.close();
    }

    @Test
    void a200KbBodyWith60ToolResultsReachesAnthropicUnchangedButTheModelAndItsStreamIsRelayedEventByEvent() throws Exception {
        String keyId = g.key("gw-agent-long", "");
        byte[] body = longBody("anthropic/" + MODEL).getBytes(StandardCharsets.UTF_8);
        assertThat(body.length).isGreaterThan(200 * 1024);
        List<String> events = answer();
        g.answer(b -> MockUpstream.Reply.sse(events).withGap(GAP));

        HttpRequest req = HttpRequest.newBuilder(URI.create(g.gw.proxyUrl() + "/v1/messages")).timeout(Duration.ofSeconds(30))
                .header("x-api-key", "gw-agent-long").header("anthropic-version", "2023-06-01").header("content-type", "application/json")
                .header("anthropic-beta", "interleaved-thinking-2025-05-14")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<InputStream> res = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/event-stream"));

        // read as it comes: the time each byte arrived shows whether events were held back
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        List<Long> eventArrivals = new ArrayList<>();
        try (InputStream in = res.body()) {
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                long now = System.nanoTime();
                String before = got.toString(StandardCharsets.UTF_8);
                got.write(buf, 0, n);
                int ends = count(got.toString(StandardCharsets.UTF_8), "\n\n") - count(before, "\n\n");
                for (int i = 0; i < ends; i++) eventArrivals.add(now);
            }
        }
        StringBuilder upstreamStream = new StringBuilder();
        events.forEach(e -> upstreamStream.append(e).append("\n\n"));
        assertThat(got.toString(StandardCharsets.UTF_8)).as("the stream as Anthropic sent it").isEqualTo(upstreamStream.toString());
        assertThat(eventArrivals).hasSize(events.size());
        long spreadMs = Duration.ofNanos(eventArrivals.get(eventArrivals.size() - 1) - eventArrivals.get(0)).toMillis();
        assertThat(spreadMs).as("events arrive as the upstream sends them (%d gaps of %s), not at the end", events.size() - 1, GAP)
                .isGreaterThanOrEqualTo(GAP.toMillis() * (events.size() - 1) / 2);

        byte[] expected = new String(body, StandardCharsets.UTF_8)
                .replaceFirst("\"model\":\"anthropic/" + MODEL + "\"", "\"model\":\"" + MODEL + "\"").getBytes(StandardCharsets.UTF_8);
        assertThat(expected.length).isEqualTo(body.length - "anthropic/".length());
        byte[] received = g.upstream.last().body();
        assertThat(received.length).isEqualTo(expected.length);
        assertThat(received).as("byte for byte, apart from the model").isEqualTo(expected);

        JsonNode e = g.events(keyId, 1).get(0);
        assertThat(e.get("status").asInt()).isEqualTo(200);
        assertThat(e.get("model").asText()).isEqualTo(MODEL);
        assertThat(e.get("prompt_token_count").asLong()).isEqualTo(6 + 51_200 + 14_500);
        assertThat(e.get("completion_token_count").asLong()).isEqualTo(412);
        assertThat(e.get("cache_write_token_count").asLong()).isEqualTo(51_200);
        assertThat(e.get("cache_read_token_count").asLong()).isEqualTo(14_500);
        double cost = new BigDecimal("3").multiply(BigDecimal.valueOf(6)).add(new BigDecimal("3.75").multiply(BigDecimal.valueOf(51_200)))
                .add(new BigDecimal("0.3").multiply(BigDecimal.valueOf(14_500))).add(new BigDecimal("15").multiply(BigDecimal.valueOf(412)))
                .movePointLeft(6).doubleValue();
        assertThat(e.get("cost_in_usd").asDouble()).isCloseTo(cost, within(1e-12));
    }

    /** Claude Code's shape: system blocks, a tool, then 60 parallel Reads and their results (non-ASCII and escapes included). */
    static String longBody(String model) {
        ObjectNode b = Json.MAPPER.createObjectNode();
        b.put("model", model);
        ArrayNode messages = b.putArray("messages");
        messages.addObject().put("role", "user").put("content", "Review every module under src/ for unchecked casts.");
        ArrayNode uses = messages.addObject().put("role", "assistant").putArray("content");
        uses.addObject().put("type", "thinking").put("thinking", "Read all 60 modules at once.")
                .put("signature", "ErUBCkYIBxgCKkD0c2lnbmF0dXJlK3dpdGgvc2xhc2hlcz0=");
        ArrayNode results = messages.addObject().put("role", "user").putArray("content");
        for (int i = 0; i < TOOL_RESULTS; i++) {
            String id = "toolu_01Long" + String.format("%04d", i);
            uses.addObject().put("type", "tool_use").put("id", id).put("name", "Read").putObject("input")
                    .put("file_path", "/repo/src/module" + i + ".ts");
            StringBuilder file = new StringBuilder();
            for (int line = 1; file.length() < 3600; line++) {
                file.append(String.format("%6d\u2192", line)).append("const v").append(line).append(" = map.get(\"k").append(line)
                        .append("\") as Record<string, unknown>; // \u00e9t\u00e9 \\ \t caf\u00e9 \uD83D\uDE80\n");
            }
            ObjectNode r = results.addObject().put("type", "tool_result").put("tool_use_id", id);
            r.putArray("content").addObject().put("type", "text").put("text", file.toString());
            if (i == TOOL_RESULTS - 1) r.putObject("cache_control").put("type", "ephemeral");
        }
        results.addObject().put("type", "text").put("text", "Continue.");
        ArrayNode system = b.putArray("system");
        system.addObject().put("type", "text").put("text", "You are Claude Code, Anthropic's official CLI for Claude.")
                .putObject("cache_control").put("type", "ephemeral");
        ArrayNode tools = b.putArray("tools");
        ObjectNode schema = tools.addObject().put("name", "Read").put("description", "Reads a file").putObject("input_schema");
        schema.put("type", "object").putObject("properties").putObject("file_path").put("type", "string");
        schema.putArray("required").add("file_path");
        b.putObject("metadata").put("user_id", "user_long_session");
        b.put("max_tokens", 32000);
        b.putObject("thinking").put("type", "enabled").put("budget_tokens", 16000);
        b.put("stream", true);
        return Json.write(b);
    }

    static List<String> answer() {
        List<String> e = new ArrayList<>();
        e.add("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01Long\",\"type\":\"message\",\"role\":\"assistant\","
                + "\"model\":\"" + MODEL + "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":6,"
                + "\"cache_creation_input_tokens\":51200,\"cache_read_input_tokens\":14500,\"output_tokens\":1}}}");
        e.add("event: ping\ndata: {\"type\":\"ping\"}");
        e.add("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        for (String t : List.of("Found 3 unchecked ", "casts: module7.ts:12, ", "module31.ts:40 and ", "module58.ts:3.")) {
            e.add("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + t + "\"}}");
        }
        e.add("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}");
        e.add("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                + "\"usage\":{\"output_tokens\":412}}");
        e.add("event: message_stop\ndata: {\"type\":\"message_stop\"}");
        return e;
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
        return n;
    }
}
