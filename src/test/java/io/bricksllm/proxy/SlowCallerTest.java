package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.testing.Events;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A caller that reads slower than the upstream sends: the relay (which holds what one turn of the event loop
 * received and writes it at the end of the turn) pauses the upstream while the caller's queue is full, and the
 * caller still gets every byte, in order, and the request is metered.
 */
class SlowCallerTest {
    static MockUpstream upstream;
    static TestGateway gw;
    static String secret = "slow-caller-key";
    static String keyId;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        String setting = gw.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1")));
        keyId = gw.admin.createKey("{\"name\":\"slow\",\"key\":\"" + secret + "\",\"settingIds\":[\"" + setting + "\"]}").get("keyId").asText();
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    /**
     * Reads the whole body a few KB at a time with a pause every 64 KB (far slower than loopback delivers), within
     * 30 s: a relay that lost bytes of a Content-Length answer would otherwise leave the caller waiting forever.
     */
    static byte[] readSlowly(InputStream in) {
        return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> readAll(in), "the body did not arrive in full");
    }

    static byte[] readAll(InputStream in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        long sincePause = 0;
        for (int n; (n = in.read(buf)) >= 0; ) {
            out.write(buf, 0, n);
            sincePause += n;
            if (sincePause >= 64 * 1024) {
                Thread.sleep(2); // the load shape under test: a slow reader, not a wait for a result
                sincePause = 0;
            }
        }
        return out.toByteArray();
    }

    static HttpResponse<InputStream> post(String path, String body) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return client.send(HttpRequest.newBuilder(URI.create(gw.proxyUrl() + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    @Test
    void aLongStreamReachesASlowCallerWholeAndInOrderAndIsMetered() throws Exception {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 3000; i++) words.add("w" + i + "-" + "x".repeat(1000));
        List<String> events = Fixtures.chatStream("gpt-4o-mini", words, 900, 3000, true);
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.sse(events));
        HttpResponse<InputStream> r = post("/api/providers/openai/v1/chat/completions",
                "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).isEqualTo(200);
        String body = new String(readSlowly(r.body()), StandardCharsets.UTF_8);
        StringBuilder expected = new StringBuilder();
        for (String e : events) expected.append(e).append("\n\n");
        assertThat(body).hasSize(expected.length()); // over 3 MB
        assertThat(body).isEqualTo(expected.toString());
        JsonNode e = Events.single(gw.admin, keyId);
        assertThat(e.get("status").asInt()).isEqualTo(200);
        assertThat(e.get("completion_token_count").asLong()).isEqualTo(3000);
    }

    @Test
    void aLargeAnswerReachesASlowCallerByteForByte() throws Exception {
        byte[] answer = new byte[8 << 20];
        new Random(7).nextBytes(answer);
        upstream.on("POST", "/v1/audio/speech", MockUpstream.Reply.bytes(200, "audio/mpeg", answer));
        HttpResponse<InputStream> r = post("/api/providers/openai/v1/audio/speech",
                "{\"model\":\"tts-1\",\"input\":\"hello\",\"voice\":\"alloy\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(readSlowly(r.body())).isEqualTo(answer);
    }
}
