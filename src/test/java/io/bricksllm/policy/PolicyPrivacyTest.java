package io.bricksllm.policy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.Events;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Values a policy detected stay out of everything the gateway keeps: the event's stored request body (masked
 * as a redaction would), its other fields, the request log (even when it logs bodies) and the other logs —
 * for blocked requests and for warnings, whose upstream still gets the original.
 */
class PolicyPrivacyTest {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    static final String EMAIL = "jane.doe@example.com";
    static final String SECRET_ID = "project-4242";

    record Run(List<JsonNode> events, List<String> logLines, List<String> upstreamBodies, List<Integer> statuses) {}

    /** One request per policy through a gateway that logs request bodies; everything it kept, after it closed. */
    static Run run(String... policies) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        ByteArrayOutputStream requestLog = new ByteArrayOutputStream();
        List<JsonNode> events = new ArrayList<>();
        List<String> upstreamBodies = new ArrayList<>();
        List<Integer> statuses = new ArrayList<>();
        try (MockUpstream upstream = new MockUpstream();
             TestGateway gw = TestGateway.start(Map.of("MODE", "production", "PRIVACY_MODE", "verbose"), Clock.systemUTC(), requestLog)) {
            upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 1, 1)));
            String setting = gw.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1")));
            ProxyClient proxy = new ProxyClient(gw.proxyUrl());
            int n = 0;
            for (String policy : policies) {
                AdminClient.Reply p = gw.admin.post("/api/policies", policy);
                assertThat(p.status()).as(p.body()).isEqualTo(200);
                String secret = "privacy-key-" + ++n;
                String keyId = gw.admin.createKey("{\"name\":\"p\",\"key\":\"" + secret + "\",\"shouldLogRequest\":true,\"settingIds\":[\""
                        + setting + "\"],\"policyId\":\"" + p.json().get("id").asText() + "\"}").get("keyId").asText();
                upstream.reset();
                statuses.add(proxy.postJson(CHAT, secret, "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"mail "
                        + EMAIL + " about " + SECRET_ID + " today\"}]}").status());
                upstreamBodies.add(upstream.calls() == 0 ? null : upstream.last().bodyText());
                events.add(Events.single(gw.admin, keyId));
            }
        } finally {
            root.detachAppender(captured);
        }
        List<String> lines = new ArrayList<>(captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
        lines.addAll(requestLog.toString(StandardCharsets.UTF_8).lines().toList());
        return new Run(events, lines, upstreamBodies, statuses);
    }

    static String storedRequest(JsonNode event) {
        return new String(Base64.getDecoder().decode(event.get("request").asText()), StandardCharsets.UTF_8);
    }

    @Test
    void detectedValuesAreMaskedInEventsAndLogsWhateverTheAction() {
        Run r = run(
                "{\"name\":\"block\",\"config\":{\"rules\":{\"email\":\"block\"}},"
                        + "\"regexConfig\":{\"rules\":[{\"definition\":\"project-[0-9]+\",\"action\":\"allow_but_redact\"}]}}",
                "{\"name\":\"warn\",\"config\":{\"rules\":{\"email\":\"allow_but_warn\"}},"
                        + "\"regexConfig\":{\"rules\":[{\"definition\":\"project-[0-9]+\",\"action\":\"allow_but_warn\"}]}}",
                "{\"name\":\"regex-block\",\"config\":{\"rules\":{\"email\":\"allow_but_redact\"}},"
                        + "\"regexConfig\":{\"rules\":[{\"definition\":\"project-[0-9]+\",\"action\":\"block\"}]}}");

        assertThat(r.statuses()).containsExactly(403, 200, 403);
        JsonNode blocked = r.events().get(0);
        assertThat(blocked.get("action").asText()).isEqualTo("blocked");
        assertThat(storedRequest(blocked)).as("stored exactly as a redaction would")
                .isEqualTo("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"mail *** about *** today\"}]}");

        // a warning lets the original through to the upstream, but what the gateway keeps is masked
        assertThat(r.upstreamBodies().get(1)).contains(EMAIL, SECRET_ID);
        JsonNode warned = r.events().get(1);
        assertThat(warned.get("action").asText()).isEqualTo("warned");
        assertThat(warned.get("policyFindings").asText()).isEqualTo("email,regex[0]");
        assertThat(storedRequest(warned)).contains("mail *** about *** today");

        JsonNode regexBlocked = r.events().get(2);
        assertThat(storedRequest(regexBlocked)).contains("mail *** about *** today");

        for (JsonNode e : r.events()) {
            assertThat(e.toString()).doesNotContain(EMAIL, SECRET_ID);
            assertThat(storedRequest(e)).doesNotContain(EMAIL, SECRET_ID);
        }
        assertThat(r.logLines()).filteredOn(l -> l.contains("\"response to proxy\"")).hasSize(3)
                .allSatisfy(l -> assertThat(l).contains("***"));
        assertThat(r.logLines()).noneMatch(l -> l.contains(EMAIL) || l.contains(SECRET_ID));
    }
}
