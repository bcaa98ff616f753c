package io.bricksllm.agents;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recorded coding-agent session (fixture {@code /agents/claude-code-session.json}): the headers and end user the
 * CLI sends, and per turn the Messages request body, the upstream's SSE answer and the content blocks that answer
 * adds up to (which the next request carries back).
 */
record AgentSession(Map<String, String> headers, String userId, List<Turn> turns) {

    /** Tokens as the upstream reports them: message_start's input and cache counts, the last message_delta's output. */
    record Usage(long input, long cacheWrite, long cacheRead, long output) {
        /** The gateway's prompt count: cache reads and writes are parts of the prompt. */
        long prompt() {
            return input + cacheWrite + cacheRead;
        }
    }

    record Turn(int index, JsonNode request, List<String> sse, JsonNode content, Usage usage) {
        String model() {
            return request.get("model").asText();
        }

        String stopReason() {
            return data(sse.get(sse.size() - 2)).get("delta").get("stop_reason").asText();
        }

        /** The upstream's answer as the mock sends it, each event followed by its blank line. */
        String sseText() {
            StringBuilder sb = new StringBuilder();
            sse.forEach(e -> sb.append(e).append("\n\n"));
            return sb.toString();
        }

        /** The cost at the list prices of the turn's model (see {@link #PRICES}), exactly. */
        BigDecimal cost() {
            BigDecimal[] p = PRICES.get(model().startsWith("claude-haiku") ? "haiku" : "sonnet");
            return p[0].multiply(BigDecimal.valueOf(usage.input)).add(p[1].multiply(BigDecimal.valueOf(usage.cacheWrite)))
                    .add(p[2].multiply(BigDecimal.valueOf(usage.cacheRead))).add(p[3].multiply(BigDecimal.valueOf(usage.output)))
                    .movePointLeft(6);
        }
    }

    /**
     * USD per million tokens (input, cache write 5 min, cache read, output) of Claude Sonnet 4.5 and Haiku 4.5,
     * Anthropic's list prices: written out here, so the test checks the bundled price book instead of reusing it.
     */
    static final Map<String, BigDecimal[]> PRICES = Map.of(
            "sonnet", new BigDecimal[] {new BigDecimal("3"), new BigDecimal("3.75"), new BigDecimal("0.3"), new BigDecimal("15")},
            "haiku", new BigDecimal[] {new BigDecimal("1"), new BigDecimal("1.25"), new BigDecimal("0.1"), new BigDecimal("5")});

    static AgentSession load() {
        try (InputStream in = AgentSession.class.getResourceAsStream("/agents/claude-code-session.json")) {
            JsonNode root = Json.MAPPER.readTree(in);
            Map<String, String> headers = new LinkedHashMap<>();
            root.get("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
            List<Turn> turns = new ArrayList<>();
            for (JsonNode t : root.get("turns")) {
                List<String> sse = new ArrayList<>();
                t.get("sse").forEach(e -> sse.add(e.asText()));
                turns.add(new Turn(turns.size(), t.get("request"), List.copyOf(sse), t.get("content"), usageOf(sse)));
            }
            return new AgentSession(Map.copyOf(headers), root.get("userId").asText(), List.copyOf(turns));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    BigDecimal totalCost() {
        return turns.stream().map(Turn::cost).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** The turn whose request this is (same model and history), as the upstream mock looks it up. */
    Turn turnOf(JsonNode body) {
        for (Turn t : turns) {
            if (t.model().equals(body.path("model").asText()) && t.request.get("messages").equals(body.get("messages"))) return t;
        }
        throw new AssertionError("no recorded turn has this request's history: " + body.get("messages").size() + " messages");
    }

    static JsonNode data(String event) {
        try {
            return Json.MAPPER.readTree(event.substring(event.indexOf("data: ") + 6));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Usage usageOf(List<String> sse) {
        JsonNode start = data(sse.get(0)).get("message").get("usage");
        JsonNode delta = data(sse.get(sse.size() - 2)).get("usage");
        return new Usage(start.get("input_tokens").asLong(), start.get("cache_creation_input_tokens").asLong(),
                start.get("cache_read_input_tokens").asLong(), delta.get("output_tokens").asLong());
    }
}
