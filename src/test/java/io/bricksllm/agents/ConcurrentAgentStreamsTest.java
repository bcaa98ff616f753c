package io.bricksllm.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.models.messages.Message;
import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import io.bricksllm.testing.MockUpstream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An agent fanning out: 50 subagent streams at once on one key, as Claude Code's Task tool runs them. */
class ConcurrentAgentStreamsTest {
    static final String MODEL = "claude-sonnet-4-5-20250929";
    static final int STREAMS = 50;
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
    void fiftyConcurrentStreamsOnOneKeyAllCompleteAndAreEachMeteredWithTheirOwnTokens() throws Exception {
        String keyId = g.key("gw-agent-fanout", "");
        AtomicInteger open = new AtomicInteger();
        AtomicInteger mostOpen = new AtomicInteger();
        // each subagent's answer has its own token counts (input 2000+i, output 100+i), read from its prompt;
        // streamed with gaps so the 50 overlap at the gateway
        g.answer(body -> {
            int i = Integer.parseInt(body.get("messages").get(0).get("content").asText().replaceAll("\\D", ""));
            mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            return MockUpstream.Reply.sse(stream(i)).withGap(Duration.ofMillis(40));
        });
        AgentSdk sdk = new AgentSdk(g.gw, "gw-agent-fanout", Map.of("anthropic-beta", "interleaved-thinking-2025-05-14"));

        ExecutorService pool = Executors.newFixedThreadPool(STREAMS);
        List<Future<Message>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < STREAMS; i++) {
                JsonNode body = request(i);
                answers.add(pool.submit(() -> {
                    try {
                        return sdk.stream(body);
                    } finally {
                        open.decrementAndGet();
                    }
                }));
            }
            for (int i = 0; i < STREAMS; i++) {
                Message m = answers.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(m.content()).hasSize(2);
                assertThat(m.content().get(0).thinking().orElseThrow().signature()).isEqualTo("sig-" + i);
                assertThat(m.content().get(1).text().orElseThrow().text()).isEqualTo("Subagent " + i + " done: no unchecked casts.");
                assertThat(m.usage().inputTokens()).isEqualTo(2000 + i);
                assertThat(m.usage().outputTokens()).isEqualTo(100 + i);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(g.upstream.calls()).isEqualTo(STREAMS);
        assertThat(mostOpen.get()).as("streams open at the upstream at once").isGreaterThanOrEqualTo(10);

        List<JsonNode> events = g.events(keyId, STREAMS);
        Set<Integer> seen = new TreeSet<>();
        Map<Integer, JsonNode> byIndex = new ConcurrentHashMap<>();
        for (JsonNode e : events) {
            int i = (int) e.get("prompt_token_count").asLong() - 2000;
            assertThat(seen.add(i)).as("one event per stream: %s", e).isTrue();
            byIndex.put(i, e);
        }
        assertThat(seen).hasSize(STREAMS).first().isEqualTo(0);
        for (int i = 0; i < STREAMS; i++) {
            JsonNode e = byIndex.get(i);
            assertThat(e.get("status").asInt()).isEqualTo(200);
            assertThat(e.get("completion_token_count").asLong()).as("stream %d output", i).isEqualTo(100 + i);
            assertThat(e.get("model").asText()).isEqualTo(MODEL);
            assertThat(e.get("userId").asText()).isEqualTo("subagent-" + i);
            double cost = ((2000 + i) * 3.0 + (100 + i) * 15.0) / 1_000_000;
            assertThat(e.get("cost_in_usd").asDouble()).isCloseTo(cost, org.assertj.core.api.Assertions.within(1e-12));
        }
    }

    static JsonNode request(int i) {
        return Json.MAPPER.valueToTree(Map.of("model", MODEL, "max_tokens", 8000, "stream", true,
                "metadata", Map.of("user_id", "subagent-" + i),
                "thinking", Map.of("type", "enabled", "budget_tokens", 4000),
                "messages", List.of(Map.of("role", "user", "content", "Check module " + i + " for unchecked casts."))));
    }

    static List<String> stream(int i) {
        String text = "Subagent " + i + " done: no unchecked casts.";
        return List.of(
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_fan" + i + "\",\"type\":\"message\","
                        + "\"role\":\"assistant\",\"model\":\"" + MODEL + "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
                        + "\"usage\":{\"input_tokens\":" + (2000 + i) + ",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}",
                "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Grep for ' as '.\"}}",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"sig-" + i + "\"}}",
                "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}",
                "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text.substring(0, 11) + "\"}}",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text.substring(11) + "\"}}",
                "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}",
                "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + (100 + i) + "}}",
                "event: message_stop\ndata: {\"type\":\"message_stop\"}");
    }
}
