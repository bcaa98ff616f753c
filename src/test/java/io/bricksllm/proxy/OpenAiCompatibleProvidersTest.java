package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Azure OpenAI (through openai-java configured for Azure), vLLM and Deepinfra on the shared pipeline. */
class OpenAiCompatibleProvidersTest {
    static MockUpstream upstream;
    static TestGateway gw;
    static ProxyClient proxy;
    static final String CHAT = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        proxy = new ProxyClient(gw.proxyUrl());
        String azure = gw.admin.createSetting("azure", Map.of("apikey", "azure-provider-key", "url", upstream.url("")));
        String vllm = gw.admin.createSetting("vllm", Map.of("url", upstream.url("/vllm"), "apikey", "vllm-key"));
        String deepinfra = gw.admin.createSetting("deepinfra", Map.of("apikey", "deepinfra-key", "url", upstream.url("/di/v1/openai")));
        String openai = gw.admin.createSetting("openai", Map.of("apikey", "openai-key", "url", upstream.url("/v1")));
        gw.admin.createKey("{\"name\":\"k\",\"key\":\"gw-azure\",\"settingIds\":[\"" + azure + "\"]}");
        gw.admin.createKey("{\"name\":\"k\",\"key\":\"gw-multi\",\"settingIds\":[\"" + deepinfra + "\",\"" + vllm + "\",\"" + openai + "\"]}");
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
    void azureThroughTheOpenAiSdkUsesDeploymentPathApiVersionAndApiKeyHeader() {
        upstream.on("POST", "/openai/deployments/my-deploy/chat/completions",
                MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-35-turbo", "hi from azure", 7, 3)));
        OpenAIClient azure = OpenAIOkHttpClient.builder()
                .baseUrl(gw.proxyUrl() + "/api/providers/azure/openai/deployments/my-deploy")
                .credential(AzureApiKeyCredential.create("gw-azure"))
                .azureServiceVersion(AzureOpenAIServiceVersion.fromString("2024-10-21"))
                .putQueryParam("api-version", "2024-10-21")
                .maxRetries(0).build();
        ChatCompletion c = azure.chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-35-turbo").addUserMessage("hi").build());
        assertThat(c.choices().get(0).message().content()).contains("hi from azure");
        MockUpstream.Received r = upstream.last();
        assertThat(r.path()).isEqualTo("/openai/deployments/my-deploy/chat/completions");
        assertThat(r.query()).contains("api-version=2024-10-21");
        assertThat(r.header("api-key")).isEqualTo("azure-provider-key");
        assertThat(r.header("Authorization")).isNull();
    }

    @Test
    void vllmUsesTheDeploymentRoot() {
        upstream.on("POST", "/vllm/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("m", "v", 1, 1)));
        assertThat(proxy.postJson("/api/providers/vllm/v1/chat/completions", "gw-multi", CHAT).status()).isEqualTo(200);
        assertThat(upstream.last().header("Authorization")).isEqualTo("Bearer vllm-key");
    }

    @Test
    void deepinfraUsesItsOpenAiCompatibleBase() {
        upstream.on("POST", "/di/v1/openai/embeddings", MockUpstream.Reply.json(200, Fixtures.embeddings("BAAI/bge-base-en-v1.5", 3)));
        assertThat(proxy.postJson("/api/providers/deepinfra/v1/embeddings", "gw-multi", "{\"model\":\"BAAI/bge-base-en-v1.5\",\"input\":\"x\"}").status())
                .isEqualTo(200);
        assertThat(upstream.last().header("Authorization")).isEqualTo("Bearer deepinfra-key");
    }

    @Test
    void aKeyHoldingDeepinfraAndOpenAiNeverSendsTheDeepinfraKeyToOpenAi() {
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o", "o", 1, 1)));
        for (int i = 0; i < 5; i++) {
            assertThat(proxy.postJson("/api/providers/openai/v1/chat/completions", "gw-multi", CHAT).status()).isEqualTo(200);
        }
        assertThat(upstream.received()).hasSize(5).allSatisfy(r -> {
            assertThat(r.path()).isEqualTo("/v1/chat/completions");
            assertThat(r.header("Authorization")).isEqualTo("Bearer openai-key");
        });
    }

    @Test
    void rotationSpreadsRequestsOverTheKeysMatchingSettingsAndWithoutItTheFirstIsUsed() {
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o", "o", 1, 1)));
        String a = gw.admin.createSetting("openai", Map.of("apikey", "rot-a", "url", upstream.url("/v1")));
        String b = gw.admin.createSetting("openai", Map.of("apikey", "rot-b", "url", upstream.url("/v1")));
        gw.admin.createKey("{\"name\":\"k\",\"key\":\"gw-rotating\",\"rotationEnabled\":true,\"settingIds\":[\"" + a + "\",\"" + b + "\"]}");
        gw.admin.createKey("{\"name\":\"k\",\"key\":\"gw-fixed\",\"settingIds\":[\"" + a + "\",\"" + b + "\"]}");
        for (int i = 0; i < 40; i++) proxy.postJson("/api/providers/openai/v1/chat/completions", "gw-rotating", CHAT);
        assertThat(upstream.received().stream().map(r -> r.header("Authorization")).distinct().sorted().toList())
                .containsExactly("Bearer rot-a", "Bearer rot-b");
        upstream.reset();
        for (int i = 0; i < 10; i++) proxy.postJson("/api/providers/openai/v1/chat/completions", "gw-fixed", CHAT);
        assertThat(upstream.received()).allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer rot-a"));
    }
}
