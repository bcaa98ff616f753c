package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.Events;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.Poll;
import io.bricksllm.testing.TestGateway;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Key rotation (issue 19.6) as an application sees it, through the official openai-java SDK: during the grace
 * period both secrets work and spend on the same key; after it the old secret gets a 401 like an unknown key.
 */
class KeyRotationSdkTest {
    /** 1,000 prompt tokens + 10 completion tokens of gpt-4o-mini: 150 + 6 micro-dollars per request. */
    static final long MICROS_PER_REQUEST = 156;
    static MockUpstream upstream;
    static TestGateway gw;
    static AdminClient admin;
    static String setting;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 1000, 10)));
        gw = TestGateway.start();
        admin = gw.admin;
        setting = admin.createSetting("openai", Map.of("apikey", "sk-upstream-rotation", "url", upstream.url("/v1")));
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    /** A key on the setting with the given secret; returns its id. */
    static String key(String secret) {
        return admin.createKey("{\"name\":\"rotation\",\"key\":\"" + secret + "\",\"settingIds\":[\"" + setting + "\"]}")
                .get("keyId").asText();
    }

    static JsonNode rotate(String id, String body) {
        AdminClient.Reply r = admin.post("/api/key-management/keys/" + id + "/rotate", body);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return r.json();
    }

    static OpenAIClient sdk(String secret) {
        return OpenAIOkHttpClient.builder().apiKey(secret).baseUrl(gw.proxyUrl() + "/api/providers/openai/v1").maxRetries(0).build();
    }

    static ChatCompletion chat(String secret) {
        return sdk(secret).chat().completions().create(
                ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("hi").build());
    }

    static void assertRefused(String secret) {
        assertThatThrownBy(() -> chat(secret)).isInstanceOf(UnauthorizedException.class)
                .satisfies(e -> assertThat(((UnauthorizedException) e).statusCode()).isEqualTo(401));
    }

    /** Every successful request is one event of the key, and the key's spend is theirs together. */
    static void assertSpendOnOneKey(String id, int requests) {
        List<JsonNode> events = Events.await(admin, id, requests, Duration.ofSeconds(30));
        assertThat(events).hasSize(requests).allSatisfy(e -> {
            assertThat(e.get("key_id").asText()).isEqualTo(id);
            assertThat(e.get("status").asInt()).isEqualTo(200);
        });
        long[] spend = {-1};
        Poll.until(Duration.ofSeconds(30), "spend of key " + id, () -> {
            spend[0] = admin.get("/api/reporting/keys/" + id).json().get("costInMicroDollars").asLong();
            return spend[0] >= requests * MICROS_PER_REQUEST;
        });
        assertThat(spend[0]).isEqualTo(requests * MICROS_PER_REQUEST);
    }

    @Test
    void theOldSecretWorksDuringTheGracePeriodThenGetsA401AndSpendStaysOnTheKey() {
        String old = "sk-rotate-old-" + UUID.randomUUID();
        String fresh = "sk-rotate-new-" + UUID.randomUUID();
        String id = key(old);
        assertThat(chat(old).choices().get(0).message().content()).contains("ok");

        long t0 = System.nanoTime();
        JsonNode rotated = rotate(id, "{\"key\":\"" + fresh + "\",\"gracePeriod\":\"2s\"}");
        assertThat(rotated.get("keyId").asText()).isEqualTo(id);
        assertThat(chat(fresh).choices()).hasSize(1);
        int successes = 2;
        // the old secret until the grace period ends, polled at a modest pace: each success is a request that spends
        long deadline = t0 + Duration.ofSeconds(10).toNanos();
        long refusedAfterNanos = -1;
        while (System.nanoTime() - deadline < 0) {
            try {
                chat(old);
                successes++;
            } catch (UnauthorizedException e) {
                refusedAfterNanos = System.nanoTime() - t0;
                break;
            }
            Poll.pause(100);
        }
        assertThat(refusedAfterNanos).as("the old secret is refused once the grace period is over").isPositive();
        assertThat(Duration.ofNanos(refusedAfterNanos)).as("not before the 2 s of grace").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(successes).as("the old secret worked during the grace period").isGreaterThan(2);
        assertRefused(old);
        assertThat(chat(fresh).choices()).hasSize(1);
        successes++;
        assertSpendOnOneKey(id, successes);
    }

    @Test
    void aZeroGracePeriodCutsTheOldSecretAtOnce() {
        String old = "sk-rotate-zero-old-" + UUID.randomUUID();
        String fresh = "sk-rotate-zero-new-" + UUID.randomUUID();
        String id = key(old);
        chat(old);
        rotate(id, "{\"key\":\"" + fresh + "\",\"gracePeriod\":\"0s\"}");
        assertRefused(old);
        chat(fresh);
        assertSpendOnOneKey(id, 2);
    }

    @Test
    void aGeneratedSecretWorksAtOnceAndTheOldOneKeepsItsDefaultGrace() {
        String old = "sk-rotate-gen-old-" + UUID.randomUUID();
        String id = key(old);
        String generated = rotate(id, "").get("key").asText();
        assertThat(generated).startsWith("bricks-sk-");
        chat(generated);
        chat(old);
        assertSpendOnOneKey(id, 2);
    }
}
