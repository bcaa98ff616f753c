package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * What the upstream URL may carry (issue 16.7, 16.8): never a gateway key from the caller's query string, and
 * never a path the upstream would resolve elsewhere than the endpoint the gateway matched and authorised.
 */
class UpstreamUrlHygieneTest {
    static final String SECRET = "gw-query-secret-4471";
    static MockUpstream upstream;
    static TestGateway gw;
    static ProxyClient proxy;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        proxy = new ProxyClient(gw.proxyUrl());
        String s = gw.admin.createSetting("openai", Map.of("apikey", "sk-up", "url", upstream.url("/v1")));
        gw.admin.createKey("{\"name\":\"k\",\"key\":\"" + SECRET + "\",\"settingIds\":[\"" + s + "\"]}");
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
        upstream.on("GET", "/v1/models", MockUpstream.Reply.json(200, "{\"object\":\"list\",\"data\":[]}"));
        upstream.on("GET", "/v1/models/gpt-4.1", MockUpstream.Reply.json(200, "{\"id\":\"gpt-4.1\",\"object\":\"model\"}"));
    }

    @Test
    void aGatewayKeyInTheQueryNeverReachesTheUpstream() {
        ProxyClient.Reply r = proxy.get("/api/providers/openai/v1/models?key=" + SECRET + "&limit=5&api_key=" + SECRET
                + "&API-KEY=x&after=" + SECRET + "&order=asc", SECRET);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        String query = upstream.last().query();
        assertThat(query).isEqualTo("limit=5&order=asc");
    }

    @Test
    void aKeyOnlyInTheQueryIsNotTakenAndNotForwarded() {
        ProxyClient.Reply r = proxy.send("GET", "/api/providers/openai/v1/models?api_key=" + SECRET, Map.of(), null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(upstream.calls()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/providers/openai/v1/models/..", "/api/providers/openai/v1/models/.",
            "/api/providers/openai/v1/models/%2e%2e", "/api/providers/openai/v1/models/%2E.", "/api/providers/openai/v1/models/%252e%252e",
            "/api/providers/openai/v1/models/a%2Fb", "/api/providers/openai/v1/models/a%5cb",
            "/api/providers/openai/v1/files/../models"})
    void dotSegmentsAndEncodedSeparatorsAreRefusedNotForwarded(String path) {
        ProxyClient.Reply r = proxy.get(path, SECRET);
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.text()).contains("path segments");
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void dotsInsideASegmentAreFine() {
        assertThat(proxy.get("/api/providers/openai/v1/models/gpt-4.1", SECRET).status()).isEqualTo(200);
        assertThat(upstream.last().path()).isEqualTo("/v1/models/gpt-4.1");
    }
}
