package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.PermissionDeniedException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Anthropic through the official anthropic-java SDK: messages, streaming, typed errors. */
class AnthropicProxyTest {
    static final String MODEL = "claude-3-5-sonnet-20241022";
    static MockUpstream upstream;
    static TestGateway gw;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        String s = gw.admin.createSetting("anthropic", Map.of("apikey", "sk-ant-provider", "url", upstream.url("/v1")));
        gw.admin.createKey("{\"name\":\"app\",\"key\":\"gw-anthropic\",\"settingIds\":[\"" + s + "\"]}");
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

    static AnthropicClient bearerSdk(String key) {
        return AnthropicOkHttpClient.builder().authToken(key).baseUrl(gw.proxyUrl() + "/api/providers/anthropic").maxRetries(0).build();
    }

    static AnthropicClient apiKeySdk(String key) {
        return AnthropicOkHttpClient.builder().apiKey(key).baseUrl(gw.proxyUrl() + "/api/providers/anthropic").maxRetries(0).build();
    }

    static MessageCreateParams params() {
        return MessageCreateParams.builder().model(MODEL).maxTokens(256).system("Be brief.")
                .putAdditionalBodyProperty("top_p", com.anthropic.core.JsonValue.from(0.9))
                .addUserMessage("Hello").build();
    }

    @Test
    void messagesWithBearerKeyReachUpstreamWithTheProviderKeyAndTheCallersVersion() {
        upstream.on("POST", "/v1/messages", MockUpstream.Reply.json(200, Fixtures.anthropicMessage(MODEL, "Hi!", 10, 5, 0, 0)));
        Message m = bearerSdk("gw-anthropic").messages().create(params());
        assertThat(m.content().get(0).text().orElseThrow().text()).isEqualTo("Hi!");
        MockUpstream.Received r = upstream.last();
        assertThat(r.header("x-api-key")).isEqualTo("sk-ant-provider");
        assertThat(r.header("Authorization")).isNull();
        assertThat(r.header("anthropic-version")).isNotBlank();
        assertThat(r.bodyText()).contains("\"top_p\":0.9").contains("\"system\"");
    }

    @Test
    void messagesWithXApiKeyWorkToo() {
        upstream.on("POST", "/v1/messages", MockUpstream.Reply.json(200, Fixtures.anthropicMessage(MODEL, "Hi!", 10, 5, 0, 0)));
        assertThat(apiKeySdk("gw-anthropic").messages().create(params()).id()).isEqualTo("msg_1");
        assertThat(upstream.last().header("x-api-key")).isEqualTo("sk-ant-provider");
    }

    @Test
    void streamingMessagesArriveEventByEvent() {
        upstream.on("POST", "/v1/messages", MockUpstream.Reply.sse(Fixtures.anthropicStream(MODEL, List.of("Hel", "lo"), 12, 7)));
        MessageCreateParams p = params();
        try (StreamResponse<RawMessageStreamEvent> stream = bearerSdk("gw-anthropic").messages().createStreaming(p)) {
            String text = stream.stream().filter(RawMessageStreamEvent::isContentBlockDelta)
                    .map(e -> e.asContentBlockDelta().delta().text().map(t -> t.text()).orElse(""))
                    .collect(Collectors.joining());
            assertThat(text).isEqualTo("Hello");
        }
    }

    @Test
    void arrayContentAndToolsPassUnchanged() {
        upstream.on("POST", "/v1/messages", MockUpstream.Reply.json(200, Fixtures.anthropicMessage(MODEL, "ok", 1, 1, 0, 0)));
        String body = "{\"model\":\"" + MODEL + "\",\"max_tokens\":10,\"top_p\":0.95,\"system\":[{\"type\":\"text\",\"text\":\"s\"}],"
                + "\"tools\":[{\"name\":\"t\",\"input_schema\":{\"type\":\"object\"}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}";
        ProxyClient.Reply r = new ProxyClient(gw.proxyUrl()).send("POST", "/api/providers/anthropic/v1/messages",
                Map.of("x-api-key", "gw-anthropic", "Content-Type", "application/json", "anthropic-version", "2023-06-01"), body.getBytes());
        assertThat(r.status()).isEqualTo(200);
        assertThat(upstream.last().bodyText()).isEqualTo(body);
    }

    @Test
    void refusalsParseAsTypedSdkErrors() {
        assertThatThrownBy(() -> bearerSdk("unknown-key").messages().create(params()))
                .isInstanceOf(UnauthorizedException.class).hasMessageContaining("BricksLLM");
        String s = gw.admin.put("/api/provider-settings", "{\"provider\":\"anthropic\",\"setting\":{\"apikey\":\"k\",\"url\":\""
                + upstream.url("/v1") + "\"},\"allowedModels\":[\"claude-3-haiku-20240307\"]}").json().get("id").asText();
        gw.admin.createKey("{\"name\":\"k\",\"key\":\"gw-anthropic-haiku\",\"settingIds\":[\"" + s + "\"]}");
        assertThatThrownBy(() -> bearerSdk("gw-anthropic-haiku").messages().create(params()))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("model is not allowed");
        assertThat(upstream.calls()).isZero();
    }
}
