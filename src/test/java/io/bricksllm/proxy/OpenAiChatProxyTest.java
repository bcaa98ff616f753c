package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.TestGateway;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiChatProxyTest {
    static MockUpstream upstream;
    static TestGateway gw;
    static String settingId;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        settingId = gw.admin.createSetting("openai", Map.of("apikey", "sk-provider-secret-123456", "url", upstream.url("/v1")));
        gw.admin.createKey("{\"name\":\"app\",\"key\":\"gw-secret-chat\",\"settingIds\":[\"" + settingId + "\"]}");
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

    OpenAIClient sdk(String key) {
        return OpenAIOkHttpClient.builder().apiKey(key).baseUrl(gw.proxyUrl() + "/api/providers/openai/v1").maxRetries(0).build();
    }

    @Test
    void officialSdkChatCompletionReachesUpstreamWithProviderKeyOnly() {
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "hello there", 12, 3)));
        ChatCompletion c = sdk("gw-secret-chat").chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini").addUserMessage("hi").build());
        assertThat(c.choices().get(0).message().content()).contains("hello there");
        MockUpstream.Received r = upstream.last();
        assertThat(r.header("Authorization")).isEqualTo("Bearer sk-provider-secret-123456");
        r.headers().forEach(h -> assertThat(h.getValue()).doesNotContain("gw-secret-chat"));
        assertThat(r.bodyText()).contains("\"model\":\"gpt-4o-mini\"");
    }
}
