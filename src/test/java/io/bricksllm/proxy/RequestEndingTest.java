package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import io.bricksllm.testing.Events;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every accepted request ends (issue 16.1): with an answer, an event, and its budget reservation released —
 * whatever the timeout it asked for and whatever fails inside forwarding. The keys here have a $0.005 budget
 * that one held reservation of a gpt-4 request (~$0.004) is enough to lock: if a request did not end, the
 * next one would be refused with 429.
 */
class RequestEndingTest {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    /** gpt-4 with max_tokens 50: the reservation estimate is ~4,000 µ$ of the 5,000 µ$ budget. */
    static final String BODY = "{\"model\":\"gpt-4\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final String CHEAP_ANSWER = Fixtures.chatCompletion("gpt-4", "ok", 1, 1);

    static MockUpstream upstream;
    static TestGateway gw;
    static String setting;
    /** Short enough that a request the gateway never answers fails the test quickly. */
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        setting = gw.admin.createSetting("openai", Map.of("apikey", "sk-up", "url", upstream.url("/v1")));
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, CHEAP_ANSWER));
    }

    static String budgetKey(String secret) {
        return gw.admin.createKey("{\"name\":\"k\",\"key\":\"" + secret + "\",\"settingIds\":[\"" + setting
                + "\"],\"costLimitInUsd\":0.005}").get("keyId").asText();
    }

    static HttpResponse<String> post(String secret, String timeout) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.proxyUrl() + CHAT)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY));
        if (timeout != null) b.header("X-Request-Timeout", timeout);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode error(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body()).get("error");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1ns", "500us", "999us", "99ms"})
    void aTimeoutBelowTheMinimumIs400AndNotForwarded(String timeout) throws Exception {
        String secret = "tiny-timeout-" + timeout;
        budgetKey(secret);
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = post(secret, timeout);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(error(r).get("message").asText()).contains("x-request-timeout must be at least 100ms");
        }
        assertThat(upstream.calls()).isZero();
        assertThat(post(secret, null).statusCode()).as("the key's budget is not held").isEqualTo(200);
    }

    @Test
    void aTimedOutRequestIsAnswered504WithAnEventAndReleasesItsReservation() throws Exception {
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, CHEAP_ANSWER).withDelay(Duration.ofSeconds(3)));
        String secret = "timed-out-1";
        String keyId = budgetKey(secret);
        HttpResponse<String> r = post(secret, "100ms");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(504);
        assertThat(Events.awaitMatching(gw.admin, keyId, e -> e.get("status").asInt() == 504, 1)).hasSize(1);

        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, CHEAP_ANSWER));
        assertThat(post(secret, null).statusCode()).as("the reservation of the timed-out request was released").isEqualTo(200);
    }

    @Test
    void aFailureInsideForwardingStillAnswersRecordsAndReleases() throws Exception {
        // usage no price can hold: pricing it overflows the micro-dollar counter and the meter throws
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200,
                Fixtures.chatCompletion("gpt-4", "ok", 9_000_000_000_000_000_000L, 1)));
        String secret = "meter-throws-1";
        String keyId = budgetKey(secret);
        try {
            HttpResponse<String> r = post(secret, null);
            // usually the body is still held when the meter throws at its end: the gateway answers 500 itself
            if (r.statusCode() != 200) {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(500);
                assertThat(error(r).get("message").asText()).contains("internal error");
            }
        } catch (java.io.IOException cut) {
            // the body had already gone out: the connection is closed instead — an ending too, never a hang
            assertThat(cut).isNotInstanceOf(java.net.http.HttpTimeoutException.class);
        }
        assertThat(Events.awaitMatching(gw.admin, keyId, e -> e.get("status").asInt() == 500, 1)).hasSize(1);

        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, CHEAP_ANSWER));
        assertThat(post(secret, null).statusCode()).as("the reservation of the failed request was released").isEqualTo(200);
    }
}
