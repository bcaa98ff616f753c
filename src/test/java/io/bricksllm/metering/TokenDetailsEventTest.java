package io.bricksllm.metering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.config.PostgresSettings;
import io.bricksllm.testing.Events;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestDatabases.Kind;
import io.bricksllm.testing.TestGateway;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An event records the token details an upstream reported — prompt tokens read from and written to the prompt cache,
 * reasoning tokens — beside the prompt and completion counts they are parts of, for JSON answers and streams, on the
 * native paths and the unified endpoint, stored in SQLite and in PostgreSQL alike.
 */
class TokenDetailsEventTest {
    static final String CLAUDE = "claude-3-5-haiku-20241022";
    static final Map<Kind, TestGateway> GATEWAYS = new EnumMap<>(Kind.class);
    static final Map<Kind, Map<String, String>> SETTINGS = new EnumMap<>(Kind.class);
    static final AtomicInteger KEYS = new AtomicInteger();
    static MockUpstream upstream;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        GATEWAYS.put(Kind.SQLITE, TestGateway.start());
        PostgresSettings pg = TestDatabases.freshPostgres();
        GATEWAYS.put(Kind.POSTGRES, TestGateway.start(Map.of("POSTGRESQL_HOSTS", pg.host(), "POSTGRESQL_PORT",
                String.valueOf(pg.port()), "POSTGRESQL_DB_NAME", pg.database(), "POSTGRESQL_USERNAME", pg.username())));
        GATEWAYS.forEach((kind, gw) -> SETTINGS.put(kind, Map.of(
                "openai", gw.admin.createSetting("openai", Map.of("apikey", "sk-oai", "url", upstream.url("/openai/v1"))),
                "anthropic", gw.admin.createSetting("anthropic", Map.of("apikey", "sk-ant", "url", upstream.url("/anthropic/v1"))),
                "gemini", gw.admin.createSetting("gemini", Map.of("apikey", "g-key", "url", upstream.url("/gemini"))))));
    }

    @AfterAll
    static void stop() {
        GATEWAYS.values().forEach(TestGateway::close);
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    /** A key of its own (so its events are this test's only), allowed the three providers; returns {key, keyId}. */
    static String[] key(Kind kind) {
        String key = "td-" + kind.name().toLowerCase() + "-" + KEYS.incrementAndGet();
        Map<String, String> s = SETTINGS.get(kind);
        String keyId = GATEWAYS.get(kind).admin.createKey("{\"name\":\"" + key + "\",\"key\":\"" + key + "\",\"settingIds\":[\""
                + s.get("openai") + "\",\"" + s.get("anthropic") + "\",\"" + s.get("gemini") + "\"]}").get("keyId").asText();
        return new String[] {key, keyId};
    }

    static JsonNode onlyEvent(Kind kind, String[] key, String path, String body) {
        ProxyClient.Reply r = new ProxyClient(GATEWAYS.get(kind).proxyUrl()).postJson(path, key[0], body);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return Events.single(GATEWAYS.get(kind).admin, key[1]);
    }

    static void assertTokens(JsonNode e, long prompt, long completion, long cacheRead, long cacheWrite, long reasoning) {
        assertThat(e.get("prompt_token_count").asLong()).as("prompt of %s", e).isEqualTo(prompt);
        assertThat(e.get("completion_token_count").asLong()).as("completion of %s", e).isEqualTo(completion);
        assertThat(e.get("cache_read_token_count").asLong()).as("cache read of %s", e).isEqualTo(cacheRead);
        assertThat(e.get("cache_write_token_count").asLong()).as("cache write of %s", e).isEqualTo(cacheWrite);
        assertThat(e.get("reasoning_token_count").asLong()).as("reasoning of %s", e).isEqualTo(reasoning);
        assertThat(e.has("usageAnomaly")).as("anomaly of %s", e).isFalse();
    }

    static final String OPENAI_USAGE = "{\"prompt_tokens\":1200,\"completion_tokens\":300,\"total_tokens\":1500,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":1024,\"audio_tokens\":0},"
            + "\"completion_tokens_details\":{\"reasoning_tokens\":256,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,"
            + "\"rejected_prediction_tokens\":0}}";

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anOpenAiAnswersCachedAndReasoningTokensAreRecorded(Kind kind) {
        upstream.on("POST", "/openai/v1/chat/completions", MockUpstream.Reply.json(200,
                "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"o3-mini\","
                        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"42\"},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":" + OPENAI_USAGE + "}"));
        JsonNode e = onlyEvent(kind, key(kind), "/api/providers/openai/v1/chat/completions",
                "{\"model\":\"o3-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"think\"}]}");
        assertTokens(e, 1200, 300, 1024, 0, 256);
        assertThat(e.get("provider").asText()).isEqualTo("openai");
        assertThat(e.get("cost_in_usd").asDouble()).isPositive();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anOpenAiStreamsUsageChunkDetailsAreRecorded(Kind kind) {
        upstream.on("POST", "/openai/v1/chat/completions", MockUpstream.Reply.sse(List.of(
                "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"o3-mini\",\"choices\":[{\"index\":0,"
                        + "\"delta\":{\"role\":\"assistant\",\"content\":\"42\"},\"finish_reason\":null}]}",
                "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"o3-mini\",\"choices\":[{\"index\":0,"
                        + "\"delta\":{},\"finish_reason\":\"stop\"}]}",
                "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"o3-mini\",\"choices\":[],\"usage\":"
                        + OPENAI_USAGE + "}",
                "data: [DONE]")));
        JsonNode e = onlyEvent(kind, key(kind), "/api/providers/openai/v1/chat/completions",
                "{\"model\":\"o3-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"think\"}]}");
        assertTokens(e, 1200, 300, 1024, 0, 256);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anAnthropicAnswersCacheReadsAndWritesAreRecordedWithoutReasoning(Kind kind) {
        upstream.on("POST", "/anthropic/v1/messages", MockUpstream.Reply.json(200,
                "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + CLAUDE + "\","
                        + "\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
                        + "\"usage\":{\"input_tokens\":5,\"output_tokens\":40,\"cache_read_input_tokens\":1000,"
                        + "\"cache_creation_input_tokens\":200}}"));
        JsonNode e = onlyEvent(kind, key(kind), "/api/providers/anthropic/v1/messages",
                "{\"model\":\"" + CLAUDE + "\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        // Anthropic's input_tokens leaves the cached parts out; the prompt count is the whole prompt
        assertTokens(e, 1205, 40, 1000, 200, 0);
        assertThat(e.get("provider").asText()).isEqualTo("anthropic");
        assertThat(e.get("cost_in_usd").asDouble()).isPositive();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anAnthropicStreamsCacheCountsFromMessageStartAreRecorded(Kind kind) {
        upstream.on("POST", "/anthropic/v1/messages", MockUpstream.Reply.sse(List.of(
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
                        + "\"role\":\"assistant\",\"model\":\"" + CLAUDE + "\",\"content\":[],\"stop_reason\":null,"
                        + "\"usage\":{\"input_tokens\":5,\"cache_read_input_tokens\":1000,\"cache_creation_input_tokens\":200,"
                        + "\"output_tokens\":1}}}",
                "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"ok\"}}",
                "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}",
                "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":40}}",
                "event: message_stop\ndata: {\"type\":\"message_stop\"}")));
        JsonNode e = onlyEvent(kind, key(kind), "/api/providers/anthropic/v1/messages",
                "{\"model\":\"" + CLAUDE + "\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertTokens(e, 1205, 40, 1000, 200, 0);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anAnthropicAnswerThroughTheUnifiedEndpointKeepsItsCacheCounts(Kind kind) {
        upstream.on("POST", "/anthropic/v1/messages", MockUpstream.Reply.json(200,
                "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + CLAUDE + "\","
                        + "\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
                        + "\"usage\":{\"input_tokens\":5,\"output_tokens\":40,\"cache_read_input_tokens\":1000,"
                        + "\"cache_creation_input_tokens\":200}}"));
        JsonNode e = onlyEvent(kind, key(kind), "/v1/chat/completions",
                "{\"model\":\"anthropic/" + CLAUDE + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertTokens(e, 1205, 40, 1000, 200, 0);
        assertThat(e.get("provider").asText()).isEqualTo("anthropic");
        assertThat(e.get("model").asText()).isEqualTo(CLAUDE);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void geminiThinkingTokensThroughTheUnifiedEndpointAreRecordedAsReasoning(Kind kind) {
        upstream.on("POST", "/gemini/v1beta/models/gemini-2.5-flash:generateContent", MockUpstream.Reply.json(200,
                "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"ok\"}]},\"finishReason\":\"STOP\"}],"
                        + "\"usageMetadata\":{\"promptTokenCount\":20,\"candidatesTokenCount\":5,\"thoughtsTokenCount\":30,"
                        + "\"cachedContentTokenCount\":8,\"totalTokenCount\":55},\"modelVersion\":\"gemini-2.5-flash\"}"));
        JsonNode e = onlyEvent(kind, key(kind), "/v1/chat/completions",
                "{\"model\":\"gemini/gemini-2.5-flash\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        // Gemini counts thinking apart from the answer: the completion is both, reasoning the thinking part
        assertTokens(e, 20, 35, 8, 0, 30);
        assertThat(e.get("provider").asText()).isEqualTo("gemini");
    }
}
