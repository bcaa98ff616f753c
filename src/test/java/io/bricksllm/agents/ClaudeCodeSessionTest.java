package io.bricksllm.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.anthropic.errors.RateLimitException;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.Usage;
import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import io.bricksllm.testing.MockUpstream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A recorded Claude Code session (20 streamed Messages requests: system blocks and tools with cache_control, growing
 * history of tool_use/tool_result pairs, thinking blocks carried back with their signatures, parallel tool calls,
 * two Haiku side calls) replayed through {@code POST /v1/messages} with the anthropic-java SDK.
 */
class ClaudeCodeSessionTest {
    static final AgentSession SESSION = AgentSession.load();
    static AgentGateway g;

    @BeforeAll
    static void start() {
        g = new AgentGateway();
        g.answer(body -> MockUpstream.Reply.sse(SESSION.turnOf(body).sse()));
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
    void theSessionStreamsWellFormedAnswersReachesTheUpstreamUnchangedAndIsMeteredExactly() {
        assertThat(SESSION.turns()).hasSize(20);
        String keyId = g.key("gw-agent-session", "");
        AgentSdk sdk = new AgentSdk(g.gw, "gw-agent-session", SESSION.headers());

        for (AgentSession.Turn turn : SESSION.turns()) {
            Message m = sdk.stream(turn.request());
            assertAnswer(turn, m);
        }

        // the upstream got each body as the SDK wrote it (the ids are the API's own: no model rewrite), byte for byte
        List<MockUpstream.Received> received = g.upstream.received();
        assertThat(received).hasSize(20);
        for (int i = 0; i < 20; i++) {
            MockUpstream.Received r = received.get(i);
            AgentSession.Turn turn = SESSION.turns().get(i);
            assertThat(r.path()).isEqualTo("/v1/messages");
            assertThat(r.body()).as("turn %d body", i).isEqualTo(sdk.sent.get(i));
            assertThat(parse(r.body())).as("turn %d: the recorded request", i).isEqualTo(turn.request());
            String text = r.bodyText();
            for (String signature : signatures(turn.request())) {
                assertThat(text).as("turn %d carries the thinking signature byte for byte", i).contains("\"signature\":\"" + signature + "\"");
            }
            assertThat(count(text, "\"cache_control\":{\"type\":\"ephemeral\"}")).as("turn %d cache breakpoints", i)
                    .isEqualTo(count(turn.request().toString(), "\"cache_control\":{\"type\":\"ephemeral\"}"));
            assertThat(r.header("anthropic-beta")).isEqualTo(SESSION.headers().get("anthropic-beta"));
            assertThat(r.header("anthropic-version")).isEqualTo("2023-06-01");
            assertThat(r.header("x-api-key")).isEqualTo(AgentGateway.PROVIDER_KEY);
            assertThat(r.header("Authorization")).as("the gateway key never reaches Anthropic").isNull();
        }

        // one event per request, with the upstream's tokens, the list prices and the CLI's user id
        List<JsonNode> events = g.events(keyId, 20);
        Map<Long, JsonNode> byPrompt = new HashMap<>();
        events.forEach(e -> byPrompt.put(e.get("prompt_token_count").asLong(), e));
        assertThat(byPrompt).as("each turn has its own prompt size").hasSize(20);
        BigDecimal sum = BigDecimal.ZERO;
        for (AgentSession.Turn turn : SESSION.turns()) {
            JsonNode e = byPrompt.get(turn.usage().prompt());
            assertThat(e).as("event of turn %d (prompt %d)", turn.index(), turn.usage().prompt()).isNotNull();
            assertThat(e.get("status").asInt()).isEqualTo(200);
            assertThat(e.get("provider").asText()).isEqualTo("anthropic");
            assertThat(e.get("model").asText()).isEqualTo(turn.model());
            assertThat(e.get("completion_token_count").asLong()).as("turn %d output", turn.index()).isEqualTo(turn.usage().output());
            assertThat(e.get("cache_read_token_count").asLong()).isEqualTo(turn.usage().cacheRead());
            assertThat(e.get("cache_write_token_count").asLong()).isEqualTo(turn.usage().cacheWrite());
            assertThat(e.get("userId").asText()).as("metadata.user_id is the event's user").isEqualTo(SESSION.userId());
            assertThat(e.has("usageAnomaly")).as(e.toString()).isFalse();
            assertThat(e.get("cost_in_usd").asDouble()).as("turn %d cost", turn.index()).isCloseTo(turn.cost().doubleValue(), within(1e-12));
            sum = sum.add(new BigDecimal(e.get("cost_in_usd").asText()));
        }
        long sessionMicros = micros(SESSION.totalCost());
        assertThat(micros(sum)).as("Σ event cost = the session at list prices").isEqualTo(sessionMicros);
        assertThat(g.spendMicros(keyId, sessionMicros)).as("the key's reported spend = Σ event cost").isEqualTo(micros(sum));
    }

    /**
     * The key's total budget is below the session's cost. A request is admitted while the key's settled spend is below
     * the limit (sequential requests hold no reservation when the next one arrives), so the gateway stops the session
     * at the first request after the spend reached the limit. Bound asserted: spend − limit is below the cost of the
     * last admitted request (≤ the most expensive turn), and spend before that request was below the limit.
     */
    @Test
    void aBudgetBelowTheSessionStopsItAtTheLimitWithRateLimitErrors() {
        BigDecimal limit = SESSION.totalCost().divide(BigDecimal.TWO, 2, RoundingMode.DOWN); // $0.09 for a $0.18 session
        String keyId = g.key("gw-agent-budget", "\"costLimitInUsd\":" + limit.toPlainString());
        AgentSdk sdk = new AgentSdk(g.gw, "gw-agent-budget", SESSION.headers());

        int admitted = 0;
        BigDecimal spent = BigDecimal.ZERO;
        for (AgentSession.Turn turn : SESSION.turns()) {
            if (spent.compareTo(limit) < 0) {
                assertAnswer(turn, sdk.stream(turn.request()));
                spent = spent.add(turn.cost());
                admitted++;
                continue;
            }
            assertThatThrownBy(() -> sdk.stream(turn.request())).as("turn %d is past the limit", turn.index())
                    .isInstanceOfSatisfying(RateLimitException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(429);
                        JsonNode body = AgentSdk.json(e.body());
                        assertThat(body.get("type").asText()).isEqualTo("error");
                        assertThat(body.get("error").get("type").asText()).isEqualTo("rate_limit_error");
                    });
        }
        assertThat(admitted).as("the session was stopped part-way").isBetween(2, 19);
        assertThat(g.upstream.calls()).as("refused requests never reach Anthropic").isEqualTo(admitted);

        List<JsonNode> events = g.events(keyId, 20);
        List<JsonNode> served = events.stream().filter(e -> e.get("status").asInt() == 200).toList();
        assertThat(served).hasSize(admitted);
        assertThat(events.stream().filter(e -> e.get("status").asInt() == 429)).hasSize(20 - admitted)
                .allSatisfy(e -> assertThat(e.get("cost_in_usd").asDouble()).isZero());
        long spendMicros = g.spendMicros(keyId, micros(spent));
        assertThat(spendMicros).isEqualTo(micros(spent));
        BigDecimal last = SESSION.turns().get(admitted - 1).cost();
        BigDecimal maxTurn = SESSION.turns().stream().map(AgentSession.Turn::cost).max(BigDecimal::compareTo).orElseThrow();
        assertThat(spent).as("the session reached the limit").isGreaterThanOrEqualTo(limit);
        assertThat(spent.subtract(last)).as("spend before the last admitted request").isLessThan(limit);
        assertThat(spent.subtract(limit)).as("overshoot ≤ one request's cost").isLessThan(last).isLessThanOrEqualTo(maxTurn);
        System.out.printf("session $%s, limit $%s, admitted %d, spent $%s, overshoot $%s (last request $%s, largest turn $%s)%n",
                SESSION.totalCost(), limit, admitted, spent, spent.subtract(limit), last, maxTurn);
    }

    /** The streamed answer, added up by the SDK, is the recorded one: blocks, signatures, tool inputs, usage. */
    static void assertAnswer(AgentSession.Turn turn, Message m) {
        JsonNode content = AgentSdk.json(m.content());
        assertThat(content).as("turn %d blocks", turn.index()).hasSize(turn.content().size());
        for (int i = 0; i < content.size(); i++) {
            JsonNode got = content.get(i);
            JsonNode want = turn.content().get(i);
            assertThat(got.get("type").asText()).isEqualTo(want.get("type").asText());
            for (String field : List.of("thinking", "signature", "text", "id", "name", "input")) {
                if (want.has(field)) assertThat(got.get(field)).as("turn %d block %d %s", turn.index(), i, field).isEqualTo(want.get(field));
            }
        }
        assertThat(m.stopReason().orElseThrow().toString()).isEqualTo(turn.stopReason());
        assertThat(m.model().asString()).isEqualTo(turn.model());
        Usage u = m.usage();
        assertThat(u.inputTokens()).isEqualTo(turn.usage().input());
        assertThat(u.cacheCreationInputTokens()).hasValue(turn.usage().cacheWrite());
        assertThat(u.cacheReadInputTokens()).hasValue(turn.usage().cacheRead());
        assertThat(u.outputTokens()).isEqualTo(turn.usage().output());
    }

    static JsonNode parse(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
        }
    }

    static List<String> signatures(JsonNode request) {
        return request.findValues("signature").stream().map(JsonNode::asText).toList();
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
        return n;
    }

    static long micros(BigDecimal usd) {
        return usd.movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }
}
