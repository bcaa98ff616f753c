package io.bricksllm.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.Events;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Policies end to end: block before the upstream, redaction of only the changed strings, custom rules via the judge. */
class PolicyProxyTest {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    static MockUpstream upstream;
    static TestGateway gw;
    static ProxyClient proxy;
    static String setting;
    static final AtomicInteger n = new AtomicInteger();

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 1, 1)));
        upstream.on("POST", "/v1/embeddings", MockUpstream.Reply.json(200, Fixtures.embeddings("text-embedding-3-small", 1)));
        gw = TestGateway.start(Map.of());
        proxy = new ProxyClient(gw.proxyUrl());
        setting = gw.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1")));
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    /** Creates a policy and a logging key using it; returns {secret, keyId}. */
    static String[] keyWithPolicy(String policyJson) {
        AdminClient.Reply p = gw.admin.post("/api/policies", policyJson);
        assertThat(p.status()).as(p.body()).isEqualTo(200);
        String secret = "policy-key-" + n.incrementAndGet();
        String id = gw.admin.createKey("{\"name\":\"p\",\"key\":\"" + secret + "\",\"shouldLogRequest\":true,\"settingIds\":[\"" + setting
                + "\"],\"policyId\":\"" + p.json().get("id").asText() + "\"}").get("keyId").asText();
        return new String[] {secret, id};
    }

    @Test
    void blockedRequestsNeverReachTheUpstream() {
        String[] k = keyWithPolicy("{\"name\":\"b\",\"config\":{\"rules\":{\"credit_debit_number\":\"block\"}}}");
        ProxyClient.Reply r = proxy.postJson(CHAT, k[0], "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"my card is 4111 1111 1111 1111\"}]}]}");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.text()).contains("request blocked");
        assertThat(upstream.calls()).isZero();
        JsonNode e = Events.single(gw.admin, k[1]);
        assertThat(e.get("action").asText()).isEqualTo("blocked");
        assertThat(e.get("policyFindings").asText()).isEqualTo("credit_debit_number");
        assertThat(e.toString()).doesNotContain("4111 1111");
    }

    /** Regression: a route step re-serialised the caller's original tree, so the upstream got the unredacted text. */
    @Test
    void routeStepsAndUnifiedTargetsSendTheRedactedBody() {
        String[] k = keyWithPolicy("{\"name\":\"rr\",\"config\":{\"rules\":{\"email\":\"allow_but_redact\"}}}");
        String path = "/redact-route-" + n.incrementAndGet();
        AdminClient.Reply route = gw.admin.post("/api/routes", "{\"name\":\"n\",\"path\":\"" + path + "\",\"keyIds\":[\"" + k[1]
                + "\"],\"steps\":[{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\"}],\"cacheConfig\":{\"enabled\":false}}");
        assertThat(route.status()).as(route.body()).isEqualTo(200);
        String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"mail jane.doe@example.com\"}]}";
        assertThat(proxy.postJson("/api/routes" + path, k[0], body).status()).isEqualTo(200);
        assertThat(upstream.last().bodyText()).doesNotContain("jane.doe@example.com").contains("mail ");
        upstream.reset();
        assertThat(proxy.postJson("/v1/chat/completions", k[0], body.replace("gpt-4o-mini", "openai/gpt-4o-mini")).status()).isEqualTo(200);
        assertThat(upstream.last().bodyText()).doesNotContain("jane.doe@example.com").contains("\"model\":\"gpt-4o-mini\"");
    }

    @Test
    void redactionRewritesOnlyTheChangedStringsEveryOtherByteIntact() {
        String[] k = keyWithPolicy("{\"name\":\"r\",\"config\":{\"rules\":{\"email\":\"allow_but_redact\"}}}");
        String body = "{ \"model\" : \"gpt-4o-mini\",\n  \"temperature\": 1.50, \"unknown_field\": {\"keep\": [1, 2.0]},\n"
                + "  \"messages\": [{\"role\":\"user\",\"content\":\"write to jane.doe@example.com today\"}] }";
        assertThat(proxy.postJson(CHAT, k[0], body).status()).isEqualTo(200);
        assertThat(upstream.last().bodyText()).isEqualTo(body.replace("jane.doe@example.com", "***"));
        JsonNode e = Events.single(gw.admin, k[1]);
        assertThat(e.get("action").asText()).isEqualTo("redacted");
        String logged = new String(Base64.getDecoder().decode(e.get("request").asText()), StandardCharsets.UTF_8);
        assertThat(logged).doesNotContain("jane.doe@example.com").contains("***");
    }

    @Test
    void aWarningDoesNotCancelRedactionAndEveryRegexRuleApplies() {
        String[] k = keyWithPolicy("{\"name\":\"w\",\"config\":{\"rules\":{\"email\":\"allow_but_redact\",\"ip_address\":\"allow_but_warn\"}},"
                + "\"regexConfig\":{\"rules\":[{\"definition\":\"project-[0-9]+\",\"action\":\"allow_but_redact\"},"
                + "{\"definition\":\"secret-[a-z]+\",\"action\":\"allow_but_redact\"}]}}");
        String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"host 10.0.0.1\"},"
                + "{\"role\":\"user\",\"content\":\"a@b.io project-42 secret-sauce\"}]}";
        assertThat(proxy.postJson(CHAT, k[0], body).status()).isEqualTo(200);
        assertThat(upstream.last().bodyText()).contains("\"*** *** ***\"").contains("host 10.0.0.1");
        JsonNode e = Events.single(gw.admin, k[1]);
        assertThat(e.get("action").asText()).isEqualTo("warned");
        assertThat(e.get("policyFindings").asText()).contains("email", "ip_address", "regex[0]", "regex[1]");
    }

    @Test
    void everyTextIsScannedEmbeddingsInputsAndToolArguments() {
        String[] k = keyWithPolicy("{\"name\":\"e\",\"config\":{\"rules\":{\"email\":\"allow_but_redact\"}}}");
        proxy.postJson("/api/providers/openai/v1/embeddings", k[0],
                "{\"model\":\"text-embedding-3-small\",\"input\":[\"first x@y.com\",\"second z@w.org\"]}");
        assertThat(upstream.last().bodyText()).isEqualTo("{\"model\":\"text-embedding-3-small\",\"input\":[\"first ***\",\"second ***\"]}");
        proxy.postJson(CHAT, k[0], "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\","
                + "\"function\":{\"name\":\"send\",\"arguments\":\"{\\\"to\\\":\\\"q@r.net\\\"}\"}}]}]}");
        assertThat(upstream.last().bodyText()).doesNotContain("q@r.net");
    }

    @Test
    void adminRejectsBadRulesNamingThem() {
        AdminClient.Reply badRegex = gw.admin.post("/api/policies", "{\"regexConfig\":{\"rules\":[{\"definition\":\"(unclosed\",\"action\":\"block\"}]}}");
        assertThat(badRegex.status()).isEqualTo(400);
        assertThat(badRegex.json().get("detail").asText()).contains("regexConfig.rules[0]");
        assertThat(gw.admin.post("/api/policies", "{\"config\":{\"rules\":{\"favourite_colour\":\"block\"}}}").json().get("detail").asText())
                .contains("favourite_colour");
        assertThat(gw.admin.post("/api/policies", "{\"config\":{\"rules\":{\"email\":\"shout\"}}}").status()).isEqualTo(400);
        AdminClient.Reply backend = gw.admin.post("/api/policies", "{\"config\":{\"rules\":{\"name\":\"block\"}}}");
        assertThat(backend.status()).isEqualTo(200);
        assertThat(backend.json().get("unavailableEntities").toString()).contains("name");
        assertThat(gw.admin.patch("/api/policies/nope", "{}").status()).isEqualTo(404);
        assertThat(gw.admin.put("/api/key-management/keys", "{\"name\":\"k\",\"key\":\"kp\",\"settingIds\":[\"" + setting
                + "\"],\"policyId\":\"missing\"}").status()).isEqualTo(400);
    }

    @Test
    void policyChangesTakeEffectAtOnce() {
        AdminClient.Reply p = gw.admin.post("/api/policies", "{\"name\":\"c\",\"config\":{\"rules\":{\"email\":\"allow\"}}}");
        String policyId = p.json().get("id").asText();
        gw.admin.createKey("{\"name\":\"k\",\"key\":\"changing\",\"settingIds\":[\"" + setting + "\"],\"policyId\":\"" + policyId + "\"}");
        String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"mail a@b.io\"}]}";
        assertThat(proxy.postJson(CHAT, "changing", body).status()).isEqualTo(200);
        assertThat(gw.admin.patch("/api/policies/" + policyId, "{\"config\":{\"rules\":{\"email\":\"block\"}}}").status()).isEqualTo(200);
        assertThat(proxy.postJson(CHAT, "changing", body).status()).isEqualTo(403);
    }

    @Test
    void customRulesAreJudgedByTheConfiguredSettingAndJudgeFailuresFollowTheFailureMode() {
        AtomicInteger judged = new AtomicInteger();
        try (MockUpstream judge = new MockUpstream()) {
            judge.on("POST", "/judge/v1/chat/completions", r -> {
                judged.incrementAndGet();
                boolean found = r.bodyText().contains("launch codes");
                return MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini",
                        "{\\\"relevant_texts_found\\\": " + found + "}", 10, 5));
            });
            String dir;
            try (TestGateway first = TestGateway.start()) {
                dir = first.dataDir().toString();
                first.admin.createSetting("openai", Map.of("apikey", "sk-judge", "url", judge.url("/judge/v1")));
            }
            String judgeId;
            try (TestGateway probe = TestGateway.start(Map.of("DATA_DIR", dir))) {
                judgeId = probe.admin.get("/api/provider-settings").json().get(0).get("id").asText();
            }
            try (TestGateway g = TestGateway.start(Map.of("DATA_DIR", dir, "POLICY_JUDGE_SETTING_ID", judgeId, "POLICY_JUDGE_FAILURE", "closed"))) {
                String s = g.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1")));
                String pid = g.admin.post("/api/policies", "{\"name\":\"j\",\"customConfig\":{\"rules\":[{\"definition\":\"weapons secrets\","
                        + "\"action\":\"block\"}]}}").json().get("id").asText();
                g.admin.createKey("{\"name\":\"k\",\"key\":\"judged\",\"settingIds\":[\"" + s + "\"],\"policyId\":\"" + pid + "\"}");
                ProxyClient p = new ProxyClient(g.proxyUrl());
                assertThat(p.postJson(CHAT, "judged", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"the launch codes are\"}]}").status())
                        .isEqualTo(403);
                assertThat(p.postJson(CHAT, "judged", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}").status())
                        .isEqualTo(200);
                assertThat(judged.get()).isEqualTo(2);
                assertThat(judge.last().header("Authorization")).isEqualTo("Bearer sk-judge");
                judge.on("POST", "/judge/v1/chat/completions", MockUpstream.Reply.json(500, "{}"));
                assertThat(p.postJson(CHAT, "judged", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}").status())
                        .isEqualTo(403);
            }
            try (TestGateway g = TestGateway.start(Map.of("DATA_DIR", dir, "POLICY_JUDGE_SETTING_ID", judgeId, "POLICY_JUDGE_FAILURE", "open"))) {
                ProxyClient p = new ProxyClient(g.proxyUrl());
                assertThat(p.postJson(CHAT, "judged", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}").status())
                        .isEqualTo(200);
            }
        }
    }
}
