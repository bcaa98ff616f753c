package io.bricksllm.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Production logs: one structured line per request, never a prompt in strict mode, never a secret. */
class RequestLogPrivacyTest {
    static final String PROMPT = "MY-PRIVATE-PROMPT-7731";
    static final String COMPLETION = "MY-PRIVATE-COMPLETION-4410";

    static String render(ILoggingEvent e) {
        String kv = e.getKeyValuePairs() == null ? "" : e.getKeyValuePairs().stream()
                .map(p -> p.key + "=" + p.value).collect(Collectors.joining(" "));
        return e.getFormattedMessage() + " " + kv + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
    }

    /** Every line the gateway logged: its other logs rendered, then the request log's JSON lines. */
    List<String> run(String privacy) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        ByteArrayOutputStream requestLog = new ByteArrayOutputStream();
        try (MockUpstream upstream = new MockUpstream();
             TestGateway gw = TestGateway.start(Map.of("MODE", "production", "PRIVACY_MODE", privacy), Clock.systemUTC(), requestLog)) {
            upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", COMPLETION, 3, 2)));
            String s = gw.admin.createSetting("openai", Map.of("apikey", "sk-provider-very-secret-99", "url", upstream.url("/v1")));
            gw.admin.createKey("{\"name\":\"k\",\"key\":\"gateway-secret-55\",\"settingIds\":[\"" + s + "\"]}");
            ProxyClient proxy = new ProxyClient(gw.proxyUrl());
            String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}";
            assertThat(proxy.postJson("/api/providers/openai/v1/chat/completions", "gateway-secret-55", body).status()).isEqualTo(200);
            proxy.postJson("/api/providers/openai/v1/chat/completions", "wrong-secret-66", body);
        } finally {
            root.detachAppender(captured);
        }
        List<String> lines = new ArrayList<>(captured.list.stream().map(RequestLogPrivacyTest::render).toList());
        lines.addAll(requestLog.toString(StandardCharsets.UTF_8).lines().toList());
        return lines;
    }

    static JsonNode json(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }

    @Test
    void strictPrivacyLogsOneStructuredLinePerRequestWithoutContentOrSecrets() {
        List<String> lines = run("strict");
        List<JsonNode> requests = lines.stream().filter(l -> l.contains("\"response to proxy\"")).map(RequestLogPrivacyTest::json).toList();
        assertThat(requests).hasSize(2);
        JsonNode ok = requests.get(0);
        assertThat(ok.get("status").asInt()).isEqualTo(200);
        assertThat(ok.get("provider").asText()).isEqualTo("openai");
        assertThat(ok.get("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(ok.get("promptTokens").asLong()).isEqualTo(3);
        assertThat(ok.get("completionTokens").asLong()).isEqualTo(2);
        assertThat(ok.get("costUsd").asDouble()).isPositive();
        assertThat(ok.get("keyId").asText()).isNotEmpty();
        assertThat(ok.get("loggerName").asText()).isEqualTo("bricksllm.request");
        JsonNode refused = requests.get(1);
        assertThat(refused.get("status").asInt()).isEqualTo(401);
        assertThat(refused.get("refusal").asText()).isEqualTo("unauthorized");
        assertThat(refused.get("keyId").asText()).isEmpty();
        assertThat(lines).noneMatch(l -> l.contains(PROMPT) || l.contains(COMPLETION));
        assertThat(lines).noneMatch(l -> l.contains("sk-provider-very-secret-99") || l.contains("gateway-secret-55") || l.contains("wrong-secret-66"));
    }

    @Test
    void nonStrictModeIsExplicitAndAddsTheRequest() {
        List<String> lines = run("off");
        assertThat(lines).anyMatch(l -> l.contains("\"response to proxy\"") && json(l).get("request").asText().contains(PROMPT));
        assertThat(lines).noneMatch(l -> l.contains("sk-provider-very-secret-99") || l.contains("gateway-secret-55"));
    }

    @Test
    void readinessReportsTheDatabase() {
        try (TestGateway gw = TestGateway.start()) {
            var r = gw.admin.get("/api/health/ready");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("database").asText()).isEqualTo("up");
            assertThat(r.json().get("redis").asText()).isEqualTo("not_configured");
        }
    }
}
