package io.bricksllm.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.Events;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The AWS Comprehend language backend end to end, against a local fake of Comprehend: names and addresses are
 * blocked and redacted like any entity, one DetectPiiEntities call per scanned text (language en); a backend that
 * fails leaves backend_failed and the local verdict; without AMAZON_COMPREHEND_ENABLED nothing is called and the
 * entities stay reported unavailable.
 */
class ComprehendPolicyTest {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    static MockUpstream upstream;
    static FakeComprehend comprehend;
    static TestGateway gw;
    static ProxyClient proxy;
    static String setting;
    static final AtomicInteger n = new AtomicInteger();

    @BeforeAll
    static void start() {
        FakeComprehend.useDummyCredentials();
        comprehend = new FakeComprehend().knows("Jane Doe", "NAME").knows("221B Baker Street", "ADDRESS").knows("42 years old", "AGE");
        upstream = new MockUpstream();
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 1, 1)));
        gw = TestGateway.start(Map.of("AMAZON_COMPREHEND_ENABLED", "true", "AMAZON_COMPREHEND_ENDPOINT", comprehend.url(),
                "AMAZON_REGION", "us-east-1", "AMAZON_REQUEST_TIMEOUT", "10s")); // generous: a loaded machine warms the SDK up slowly
        proxy = new ProxyClient(gw.proxyUrl());
        setting = gw.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1")));
    }

    @AfterAll
    static void stop() {
        if (gw != null) gw.close();
        if (upstream != null) upstream.close();
        if (comprehend != null) comprehend.close();
        FakeComprehend.clearDummyCredentials();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
        comprehend.reset();
    }

    /** A policy and a logging key using it on this gateway; returns {secret, keyId}. */
    static String[] keyWithPolicy(TestGateway g, String settingId, String policyJson) {
        AdminClient.Reply p = g.admin.post("/api/policies", policyJson);
        assertThat(p.status()).as(p.body()).isEqualTo(200);
        String secret = "comprehend-key-" + n.incrementAndGet();
        String id = g.admin.createKey("{\"name\":\"p\",\"key\":\"" + secret + "\",\"shouldLogRequest\":true,\"settingIds\":[\"" + settingId
                + "\"],\"policyId\":\"" + p.json().get("id").asText() + "\"}").get("keyId").asText();
        return new String[] {secret, id};
    }

    static String chat(String... userTexts) {
        StringBuilder sb = new StringBuilder("{\"model\":\"gpt-4o-mini\",\"messages\":[");
        for (int i = 0; i < userTexts.length; i++) {
            if (i > 0) sb.append(',');
            sb.append("{\"role\":\"user\",\"content\":\"").append(userTexts[i]).append("\"}");
        }
        return sb.append("]}").toString();
    }

    @Test
    void aNameIsBlockedBeforeTheUpstreamWithOneComprehendCallInEnglish() {
        String[] k = keyWithPolicy(gw, setting, "{\"name\":\"n\",\"config\":{\"rules\":{\"name\":\"block\"}}}");
        ProxyClient.Reply r = proxy.postJson(CHAT, k[0], chat("please write to Jane Doe"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.text()).contains("request blocked");
        assertThat(upstream.calls()).isZero();
        JsonNode e = Events.single(gw.admin, k[1]);
        assertThat(e.get("action").asText()).isEqualTo("blocked");
        assertThat(e.get("policyFindings").asText()).isEqualTo("name");
        assertThat(e.toString()).doesNotContain("Jane Doe");
        assertThat(comprehend.calls()).singleElement().satisfies(c -> {
            assertThat(c.target()).isEqualTo(FakeComprehend.TARGET);
            assertThat(c.contentType()).startsWith(FakeComprehend.CONTENT_TYPE);
            assertThat(c.languageCode()).isEqualTo("en");
            assertThat(c.text()).isEqualTo("please write to Jane Doe");
            // signed with the default credential chain (system properties here) for AMAZON_REGION
            assertThat(c.authorization()).startsWith("AWS4-HMAC-SHA256").contains("AKIDFAKEFORTESTS/").contains("/us-east-1/comprehend/");
        });
    }

    @Test
    void namesAndAddressesAreRedactedWithLocalEntitiesOnlyChangedStringsRewritten() {
        String[] k = keyWithPolicy(gw, setting, "{\"name\":\"r\",\"config\":{\"rules\":{\"name\":\"allow_but_redact\","
                + "\"address\":\"allow_but_redact\",\"email\":\"allow_but_redact\"}}}");
        String body = "{ \"model\" : \"gpt-4o-mini\", \"temperature\": 1.50,\n \"messages\": [{\"role\":\"system\",\"content\":\"be brief\"},"
                + "{\"role\":\"user\",\"content\":\"\uD83D\uDE00 Jane Doe lives at 221B Baker Street, mail jd@example.com; Jane Doe again\"}] }";
        assertThat(proxy.postJson(CHAT, k[0], body).status()).isEqualTo(200);
        assertThat(upstream.last().bodyText()).isEqualTo(body.replace("Jane Doe", "***").replace("221B Baker Street", "***")
                .replace("jd@example.com", "***"));
        JsonNode e = Events.single(gw.admin, k[1]);
        assertThat(e.get("action").asText()).isEqualTo("redacted");
        assertThat(e.get("policyFindings").asText().split(",")).containsExactlyInAnyOrder("name", "address", "email");
        // one call per scanned text, each in English
        assertThat(comprehend.calls()).hasSize(2).allSatisfy(c -> assertThat(c.languageCode()).isEqualTo("en"))
                .extracting(FakeComprehend.Call::text).containsExactlyInAnyOrder("be brief",
                        "\uD83D\uDE00 Jane Doe lives at 221B Baker Street, mail jd@example.com; Jane Doe again");
    }

    @Test
    void everyRuleStillAppliesAWarningOnAnAgeAndTheStrongestActionWins() {
        String[] k = keyWithPolicy(gw, setting, "{\"name\":\"w\",\"config\":{\"rules\":{\"age\":\"allow_but_warn\",\"address\":\"block\"}}}");
        assertThat(proxy.postJson(CHAT, k[0], chat("I am 42 years old", "nothing here")).status()).isEqualTo(200);
        assertThat(upstream.last().bodyText()).contains("I am 42 years old");
        assertThat(Events.single(gw.admin, k[1]).get("action").asText()).isEqualTo("warned");
        assertThat(comprehend.calls()).hasSize(2);
        comprehend.reset();
        assertThat(proxy.postJson(CHAT, k[0], chat("I am 42 years old", "at 221B Baker Street")).status()).isEqualTo(403);
    }

    @Test
    void policiesWithoutABackendEntityAndKeysWithoutAPolicyNeverCallComprehend() {
        String[] local = keyWithPolicy(gw, setting, "{\"name\":\"l\",\"config\":{\"rules\":{\"email\":\"block\",\"name\":\"allow\"}}}");
        assertThat(proxy.postJson(CHAT, local[0], chat("Jane Doe, a@b.io")).status()).isEqualTo(403);
        assertThat(Events.single(gw.admin, local[1]).get("policyFindings").asText()).isEqualTo("email");
        gw.admin.createKey("{\"name\":\"np\",\"key\":\"no-policy-key\",\"settingIds\":[\"" + setting + "\"]}");
        assertThat(proxy.postJson(CHAT, "no-policy-key", chat("Jane Doe")).status()).isEqualTo(200);
        assertThat(comprehend.calls()).isEmpty();
    }

    @Test
    void theAdminApiNoLongerListsBackendEntitiesAsUnavailable() {
        AdminClient.Reply p = gw.admin.post("/api/policies", "{\"config\":{\"rules\":{\"name\":\"block\",\"address\":\"allow_but_redact\"}}}");
        assertThat(p.status()).isEqualTo(200);
        assertThat(p.json().get("unavailableEntities")).isEmpty();
    }

    @Test
    void aFailingBackendIsRecordedAndTheRequestFollowsTheLocalVerdict() {
        String[] k = keyWithPolicy(gw, setting, "{\"name\":\"f\",\"config\":{\"rules\":{\"name\":\"block\",\"email\":\"allow_but_redact\"}}}");
        for (FakeComprehend.Mode failure : new FakeComprehend.Mode[] {FakeComprehend.Mode.SERVER_ERROR,
                FakeComprehend.Mode.SPAN_OUTSIDE_TEXT, FakeComprehend.Mode.ENTITY_WITHOUT_OFFSETS}) {
            upstream.reset();
            comprehend.reset();
            comprehend.mode(failure);
            ProxyClient.Reply r = proxy.postJson(CHAT, k[0], chat("Jane Doe jd@example.com"));
            assertThat(r.status()).as(failure.name()).isEqualTo(200);
            assertThat(upstream.last().bodyText()).as(failure.name()).contains("Jane Doe ***").doesNotContain("jd@example.com");
            assertThat(comprehend.calls()).as(failure.name()).isNotEmpty();
        }
        var events = Events.await(gw.admin, k[1], 3);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("action").asText()).isEqualTo("redacted");
            assertThat(e.get("policyFindings").asText().split(",")).containsExactlyInAnyOrder("backend_failed", "email");
        });
    }

    @Test
    void oneTextFailingDropsTheBackendVerdictForTheWholeRequest() {
        String[] k = keyWithPolicy(gw, setting, "{\"name\":\"p\",\"config\":{\"rules\":{\"name\":\"block\"}}}");
        comprehend.failOnTextsContaining("poison"); // the name is found in the first text, the third fails
        assertThat(proxy.postJson(CHAT, k[0], chat("Jane Doe", "hello", "poison")).status()).isEqualTo(200);
        assertThat(comprehend.calls()).extracting(FakeComprehend.Call::text).contains("Jane Doe", "hello", "poison");
        JsonNode e = Events.single(gw.admin, k[1]);
        assertThat(e.get("action").asText()).isEqualTo("allowed");
        assertThat(e.get("policyFindings").asText()).isEqualTo("backend_failed");
    }

    @Test
    void aBackendSlowerThanTheRequestTimeoutIsAFailureNotAHang() {
        comprehend.mode(FakeComprehend.Mode.SLOW);
        try (TestGateway slow = TestGateway.start(Map.of("AMAZON_COMPREHEND_ENABLED", "true", "AMAZON_COMPREHEND_ENDPOINT", comprehend.url(),
                "AMAZON_REGION", "us-east-1", "AMAZON_REQUEST_TIMEOUT", "1s"))) {
            String s = slow.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1")));
            String[] k = keyWithPolicy(slow, s, "{\"name\":\"s\",\"config\":{\"rules\":{\"name\":\"block\"}}}");
            long t0 = System.nanoTime();
            assertThat(new ProxyClient(slow.proxyUrl()).postJson(CHAT, k[0], chat("Jane Doe")).status()).isEqualTo(200);
            assertThat((System.nanoTime() - t0) / 1_000_000).as("AMAZON_REQUEST_TIMEOUT=1s bounds the wait, not the 8 s answer")
                    .isLessThan(6_000);
            assertThat(Events.single(slow.admin, k[1]).get("policyFindings").asText()).isEqualTo("backend_failed");
            assertThat(comprehend.calls()).isNotEmpty();
        }
    }

    @Test
    void aBackendThatIsDownIsRecordedAndNeverCrashesTheRequest() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (TestGateway down = TestGateway.start(Map.of("AMAZON_COMPREHEND_ENABLED", "true",
                "AMAZON_COMPREHEND_ENDPOINT", "http://127.0.0.1:" + closedPort, "AMAZON_REGION", "us-east-1", "AMAZON_REQUEST_TIMEOUT", "2s"))) {
            String s = down.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1")));
            String[] k = keyWithPolicy(down, s, "{\"name\":\"d\",\"config\":{\"rules\":{\"address\":\"block\",\"email\":\"block\"}}}");
            ProxyClient p = new ProxyClient(down.proxyUrl());
            assertThat(p.postJson(CHAT, k[0], chat("at 221B Baker Street")).status()).isEqualTo(200);
            assertThat(p.postJson(CHAT, k[0], chat("at 221B Baker Street, x@y.io")).status()).as("local rules still apply").isEqualTo(403);
            var events = Events.await(down.admin, k[1], 2);
            assertThat(events).extracting(e -> java.util.Set.of(e.get("policyFindings").asText().split(",")))
                    .containsExactlyInAnyOrder(java.util.Set.of("backend_failed"), java.util.Set.of("backend_failed", "email"));
        }
    }

    @Test
    void withoutAmazonComprehendEnabledTheEntitiesAreUnavailableAndNothingIsCalled() {
        try (TestGateway off = TestGateway.start(Map.of("AMAZON_COMPREHEND_ENDPOINT", comprehend.url(), "AMAZON_REGION", "us-east-1"))) {
            String s = off.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1")));
            AdminClient.Reply view = off.admin.post("/api/policies", "{\"config\":{\"rules\":{\"name\":\"block\"}}}");
            assertThat(view.json().get("unavailableEntities").toString()).contains("name");
            String[] k = keyWithPolicy(off, s, "{\"name\":\"o\",\"config\":{\"rules\":{\"name\":\"block\",\"address\":\"allow_but_redact\"}}}");
            assertThat(new ProxyClient(off.proxyUrl()).postJson(CHAT, k[0], chat("Jane Doe at 221B Baker Street")).status()).isEqualTo(200);
            assertThat(upstream.last().bodyText()).contains("Jane Doe at 221B Baker Street");
            JsonNode e = Events.single(off.admin, k[1]);
            assertThat(e.get("action").asText()).isEqualTo("allowed");
            assertThat(e.get("policyFindings").asText().split(",")).containsExactlyInAnyOrder("unavailable:name", "unavailable:address");
        }
        assertThat(comprehend.calls()).isEmpty();
    }
}
