package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.StreamResponse;
import com.openai.models.audio.speech.SpeechCreateParams;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAI endpoints through the official SDK (chat stream, embeddings, files, speech) and raw HTTP. */
class OpenAiEndpointsProxyTest {
    static MockUpstream upstream;
    static TestGateway gw;
    static OpenAIClient sdk;
    static ProxyClient proxy;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        String s = gw.admin.createSetting("openai", Map.of("apikey", "sk-provider", "url", upstream.url("/v1")));
        gw.admin.createKey("{\"name\":\"app\",\"key\":\"gw-endpoints\",\"settingIds\":[\"" + s + "\"]}");
        sdk = OpenAIOkHttpClient.builder().apiKey("gw-endpoints").baseUrl(gw.proxyUrl() + "/api/providers/openai/v1").maxRetries(0).build();
        proxy = new ProxyClient(gw.proxyUrl());
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

    @Test
    void streamingChatReachesTheSdkChunkByChunk() {
        upstream.on("POST", "/v1/chat/completions", r -> MockUpstream.Reply.sse(Fixtures.chatStream("gpt-4o-mini",
                List.of("Hel", "lo", " world"), 9, 3, r.bodyText().contains("\"include_usage\":true"))));
        try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("hi").build())) {
            String text = stream.stream().flatMap(c -> c.choices().stream())
                    .map(c -> c.delta().content().orElse("")).collect(Collectors.joining());
            assertThat(text).isEqualTo("Hello world");
        }
        assertThat(upstream.last().bodyText()).contains("\"stream\":true");
    }

    @Test
    void theUsageChunkTheGatewayAskedForIsRemovedButOneTheCallerAskedForStays() {
        upstream.on("POST", "/v1/chat/completions", r -> MockUpstream.Reply.sse(Fixtures.chatStream("gpt-4o-mini",
                List.of("a", "b"), 9, 2, r.bodyText().contains("\"include_usage\":true"))));
        String plain = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        ProxyClient.Reply notAsked = proxy.postJson("/api/providers/openai/v1/chat/completions", "gw-endpoints", plain);
        assertThat(upstream.last().bodyText()).contains("\"stream_options\":{\"include_usage\":true}");
        assertThat(notAsked.text()).contains("\"content\":\"a\"").contains("[DONE]").doesNotContain("\"usage\"");
        assertThat(notAsked.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/event-stream"));

        String asked = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        ProxyClient.Reply withUsage = proxy.postJson("/api/providers/openai/v1/chat/completions", "gw-endpoints", asked);
        assertThat(upstream.last().bodyText()).isEqualTo(asked);
        assertThat(withUsage.text()).contains("\"usage\":{\"prompt_tokens\":9");
    }

    @Test
    void anUpstreamThatDiesMidStreamEndsTheClientStreamCleanly() {
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.sse(Fixtures.chatStream("gpt-4o-mini",
                List.of("one", "two", "three", "four"), 9, 4, true)).dyingAfter(3));
        String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        ProxyClient.Reply r = proxy.postJson("/api/providers/openai/v1/chat/completions", "gw-endpoints", body);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).contains("\"content\":\"two\"").doesNotContain("\"content\":\"three\"")
                .contains("bricksllm_error").endsWith("data: [DONE]\n\n");
    }

    @Test
    void embeddingsThroughTheSdk() {
        upstream.on("POST", "/v1/embeddings", MockUpstream.Reply.json(200, Fixtures.embeddings("text-embedding-3-small", 4)));
        CreateEmbeddingResponse r = sdk.embeddings().create(EmbeddingCreateParams.builder()
                .model("text-embedding-3-small").input("hello").build());
        assertThat(r.data()).hasSize(1);
        assertThat(r.usage().promptTokens()).isEqualTo(4);
    }

    @Test
    void fileUploadPassesTheMultipartBodyByteForByte() {
        upstream.on("POST", "/v1/files", MockUpstream.Reply.json(200,
                "{\"id\":\"file-1\",\"object\":\"file\",\"bytes\":5,\"created_at\":1,\"filename\":\"data.jsonl\",\"purpose\":\"batch\",\"status\":\"processed\"}"));
        byte[] content = {'{', '}', '\n', 0, (byte) 0xff};
        FileObject f = sdk.files().create(FileCreateParams.builder()
                .file(com.openai.core.MultipartField.<InputStream>builder().value(new java.io.ByteArrayInputStream(content)).filename("data.jsonl").build())
                .purpose(FilePurpose.BATCH).build());
        assertThat(f.id()).isEqualTo("file-1");
        MockUpstream.Received r = upstream.last();
        assertThat(r.header("Content-Type")).startsWith("multipart/form-data").contains("boundary=");
        assertThat(indexOf(r.body(), content)).isGreaterThan(0);
    }

    @Test
    void speechReturnsTheBinaryAudioUnchanged() throws Exception {
        byte[] audio = new byte[4096];
        for (int i = 0; i < audio.length; i++) audio[i] = (byte) (i * 31);
        upstream.on("POST", "/v1/audio/speech", MockUpstream.Reply.bytes(200, "audio/mpeg", audio));
        try (HttpResponse r = sdk.audio().speech().create(SpeechCreateParams.builder()
                .model("tts-1").input("Hello there").voice(SpeechCreateParams.Voice.ALLOY).build())) {
            assertThat(r.body().readAllBytes()).isEqualTo(audio);
            assertThat(r.headers().values("Content-Type")).contains("audio/mpeg");
        }
    }

    @Test
    void getEndpointsForwardTheQueryString() {
        upstream.on("GET", "/v1/vector_stores", MockUpstream.Reply.json(200, "{\"object\":\"list\",\"data\":[]}"));
        ProxyClient.Reply r = proxy.get("/api/providers/openai/v1/vector_stores?limit=2&after=vs_1", "gw-endpoints");
        assertThat(r.status()).isEqualTo(200);
        assertThat(upstream.last().query()).isEqualTo("limit=2&after=vs_1");
    }

    @Test
    void fileContentIsRelayedAsBinary() {
        byte[] data = "line1\nline2\n".getBytes(StandardCharsets.UTF_8);
        upstream.on("GET", "/v1/files/file-9/content", MockUpstream.Reply.bytes(200, "application/octet-stream", data));
        ProxyClient.Reply r = proxy.get("/api/providers/openai/v1/files/file-9/content", "gw-endpoints");
        assertThat(r.body()).isEqualTo(data);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/octet-stream");
    }

    @Test
    void openAiBetaAndContentTypeReachTheUpstreamButGatewayHeadersDoNot() {
        upstream.on("POST", "/v1/assistants", MockUpstream.Reply.json(200, "{\"id\":\"asst_1\"}"));
        ProxyClient.Reply r = proxy.send("POST", "/api/providers/openai/v1/assistants", Map.of(
                "Authorization", "Bearer gw-endpoints", "Content-Type", "application/json", "OpenAI-Beta", "assistants=v2",
                "X-CUSTOM-EVENT-ID", "evt-1", "X-METADATA", "{\"team\":\"a\"}", "X-REQUEST-TIMEOUT", "30s",
                "api-key", "gw-endpoints"), "{\"model\":\"gpt-4o\"}".getBytes());
        assertThat(r.status()).isEqualTo(200);
        MockUpstream.Received got = upstream.last();
        assertThat(got.header("OpenAI-Beta")).isEqualTo("assistants=v2");
        assertThat(got.header("Content-Type")).isEqualTo("application/json");
        assertThat(got.header("X-CUSTOM-EVENT-ID")).isNull();
        assertThat(got.header("X-METADATA")).isNull();
        assertThat(got.header("X-REQUEST-TIMEOUT")).isNull();
        assertThat(got.header("api-key")).isNull();
        assertThat(got.header("Authorization")).isEqualTo("Bearer sk-provider");
        assertThat(got.header("Accept-Encoding")).isEqualTo("identity");
    }

    static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) if (data[i + j] != pattern[j]) continue outer;
            return i;
        }
        return -1;
    }
}
