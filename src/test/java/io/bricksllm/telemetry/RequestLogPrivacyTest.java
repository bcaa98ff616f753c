package io.bricksllm.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
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

    List<String> run(String privacy) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        try (MockUpstream upstream = new MockUpstream(); TestGateway gw = TestGateway.start(Map.of("MODE", "production", "PRIVACY_MODE", privacy))) {
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
        return captured.list.stream().map(RequestLogPrivacyTest::render).toList();
    }

    @Test
    void strictPrivacyLogsOneStructuredLinePerRequestWithoutContentOrSecrets() {
        List<String> lines = run("strict");
        List<String> requests = lines.stream().filter(l -> l.startsWith("response to proxy")).toList();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0)).contains("status=200", "provider=openai", "model=gpt-4o-mini", "promptTokens=3", "completionTokens=2");
        assertThat(requests.get(1)).contains("status=401", "refusal=unauthorized", "keyId= ");
        assertThat(lines).noneMatch(l -> l.contains(PROMPT) || l.contains(COMPLETION));
        assertThat(lines).noneMatch(l -> l.contains("sk-provider-very-secret-99") || l.contains("gateway-secret-55") || l.contains("wrong-secret-66"));
    }

    @Test
    void nonStrictModeIsExplicitAndAddsTheRequest() {
        List<String> lines = run("off");
        assertThat(lines).anyMatch(l -> l.startsWith("response to proxy") && l.contains(PROMPT));
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
