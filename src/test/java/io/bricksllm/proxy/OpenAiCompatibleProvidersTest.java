package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.metering.PriceBook;
import io.bricksllm.provider.OpenAiCompatible;
import io.bricksllm.provider.Providers;
import io.bricksllm.testing.Events;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Azure OpenAI (through openai-java configured for Azure), vLLM and every provider of the {@link OpenAiCompatible}
 * table (Deepinfra, Mistral, Groq, …, Ollama) on the shared pipeline.
 */
class OpenAiCompatibleProvidersTest {
    static MockUpstream upstream;
    static TestGateway gw;
    static ProxyClient proxy;
    /** A model each provider serves; the bundled price book prices all but Deepinfra's chat model and Ollama's. */
    static final Map<String, String> MODELS = Map.ofEntries(
            Map.entry("deepinfra", "meta-llama/Meta-Llama-3.1-8B-Instruct"),
            Map.entry("mistral", "mistral-large"),
            Map.entry("groq", "llama-3.3-70b-versatile"),
            Map.entry("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo"),
            Map.entry("fireworks", "accounts/fireworks/models/llama-v3p1-8b-instruct"),
            Map.entry("deepseek", "deepseek-chat"),
            Map.entry("xai", "grok-3"),
            Map.entry("openrouter", "deepseek/deepseek-chat"),
            Map.entry("cerebras", "llama-3.3-70b"),
            Map.entry("perplexity", "sonar-pro"),
            Map.entry("ollama", "llama3.2"));
    /** As the gateway loads it: the providers say which price-book ids a name is priced under (xai → x-ai). */
    static final PriceBook PRICES = PriceBook.load(Optional.empty(), java.time.Clock.systemUTC(), Providers.defaults()::priceChain);
    /** Per table provider: the gateway key (secret, id) holding only that provider's setting. */
    static final Map<String, String[]> TABLE_KEYS = new HashMap<>();
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
        for (OpenAiCompatible p : OpenAiCompatible.ALL) {
            Map<String, String> fields = new HashMap<>(Map.of("url", upstream.url("/" + p.name() + "/v1")));
            if (p.apikeyRequired()) fields.put("apikey", p.name() + "-provider-key");
            String setting = gw.admin.createSetting(p.name(), fields);
            String secret = "gw-only-" + p.name();
            String id = gw.admin.createKey("{\"name\":\"k\",\"key\":\"" + secret + "\",\"settingIds\":[\"" + setting + "\"]}")
                    .get("keyId").asText();
            TABLE_KEYS.put(p.name(), new String[] {secret, id});
        }
    }

    static Stream<OpenAiCompatible> table() {
        return OpenAiCompatible.ALL.stream();
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

    @ParameterizedTest
    @MethodSource("table")
    void chatJsonReachesTheSettingsUrlWithTheProviderKeyAndIsMeteredWithThatProvidersPrices(OpenAiCompatible p) {
        String model = MODELS.get(p.name());
        upstream.on("POST", "/" + p.name() + "/v1/chat/completions",
                MockUpstream.Reply.json(200, Fixtures.chatCompletion(model, "hi from " + p.name(), 1000, 200)));
        String[] key = TABLE_KEYS.get(p.name());
        ProxyClient.Reply r = proxy.postJson(p.proxyPrefix() + "/chat/completions", key[0], chat(model, false));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).contains("hi from " + p.name());
        assertUpstreamCall(p);
        assertMetered(p, model, Events.awaitMatching(gw.admin, key[1], e -> e.get("prompt_token_count").asLong() == 1000, 1).get(0), 1000, 200);
    }

    @ParameterizedTest
    @MethodSource("table")
    void chatStreamIsRelayedAndMeteredFromItsUsageChunk(OpenAiCompatible p) {
        String model = MODELS.get(p.name());
        upstream.on("POST", "/" + p.name() + "/v1/chat/completions", req -> MockUpstream.Reply.sse(
                Fixtures.chatStream(model, List.of("a", "b"), 900, 30, req.bodyText().contains("\"include_usage\":true"))));
        String[] key = TABLE_KEYS.get(p.name());
        ProxyClient.Reply r = proxy.postJson(p.proxyPrefix() + "/chat/completions", key[0], chat(model, true));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).contains("chat.completion.chunk").contains("[DONE]");
        assertUpstreamCall(p);
        assertMetered(p, model, Events.awaitMatching(gw.admin, key[1], e -> e.get("prompt_token_count").asLong() == 900, 1).get(0), 900, 30);
    }

    @Test
    void everyTableProviderButDeepinfraChatAndOllamaHasItsTestModelInTheBundledPriceBook() {
        // Guards the pricing assertions above: they check a non-zero cost only where the price book has the model.
        for (OpenAiCompatible p : OpenAiCompatible.ALL) {
            boolean expected = !p.name().equals("ollama") && !p.name().equals("deepinfra");
            assertThat(PRICES.find(p.priceProvider(), MODELS.get(p.name())).isPresent()).as(p.name()).isEqualTo(expected);
            // by its gateway name too (xai → x-ai), as a route's failed attempt prices it
            assertThat(PRICES.find(p.name(), MODELS.get(p.name())).isPresent()).as(p.name() + " by gateway name").isEqualTo(expected);
        }
    }

    @Test
    void modelsListIsPassedThroughWithTheProviderKey() {
        upstream.on("GET", "/groq/v1/models", MockUpstream.Reply.json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"llama-3.3-70b-versatile\"}]}"));
        ProxyClient.Reply r = proxy.get("/api/providers/groq/v1/models", TABLE_KEYS.get("groq")[0]);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).contains("llama-3.3-70b-versatile");
        assertThat(upstream.last().header("Authorization")).isEqualTo("Bearer groq-provider-key");
    }

    @Test
    void aGroqSettingWithoutApikeyOrWithAnUnknownFieldIsRefused() {
        assertThat(gw.admin.put("/api/provider-settings", "{\"provider\":\"groq\",\"setting\":{\"url\":\"" + upstream.url("/g") + "\"}}").status())
                .isEqualTo(400);
        assertThat(gw.admin.put("/api/provider-settings", "{\"provider\":\"groq\",\"setting\":{\"apikey\":\"k\",\"api\":\"k\"}}").status())
                .isEqualTo(400);
        assertThat(gw.admin.put("/api/provider-settings", "{\"provider\":\"ollama\",\"setting\":{}}").status()).isEqualTo(200);
    }

    @Test
    void aKeyWithOnlyAMistralSettingIsUnauthorisedOnTheGroqPath() {
        upstream.on("POST", "/groq/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("m", "x", 1, 1)));
        ProxyClient.Reply r = proxy.postJson("/api/providers/groq/v1/chat/completions", TABLE_KEYS.get("mistral")[0], CHAT);
        assertThat(r.status()).isEqualTo(401);
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void tableProviderNamesAreReservedForCustomProviders() {
        AdminClient.Reply r = gw.admin.post("/api/custom/providers", "{\"provider\":\"groq\",\"route_configs\":[{\"path\":\"/chat\","
                + "\"target_url\":\"" + upstream.url("/x") + "\"}]}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("built-in provider");
    }

    @Test
    void aRouteStepCanUseATableProviderAndIsPricedWithItsPriceBookId() {
        upstream.on("POST", "/xai/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("grok-3", "routed", 777, 7)));
        String[] key = TABLE_KEYS.get("xai");
        AdminClient.Reply created = gw.admin.post("/api/routes", "{\"name\":\"x\",\"path\":\"/xai-route\",\"keyIds\":[\"" + key[1]
                + "\"],\"steps\":[{\"provider\":\"xai\",\"model\":\"grok-3\",\"timeout\":\"5s\"}],\"cacheConfig\":{\"enabled\":false}}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        ProxyClient.Reply r = proxy.postJson("/api/routes/xai-route", key[0], CHAT);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(upstream.last().header("Authorization")).isEqualTo("Bearer xai-provider-key");
        JsonNode e = Events.awaitMatching(gw.admin, key[1], ev -> ev.get("prompt_token_count").asLong() == 777, 1).get(0);
        assertThat(e.get("cost_in_usd").asDouble()).isGreaterThan(0);
    }

    private static String chat(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    private static void assertUpstreamCall(OpenAiCompatible p) {
        MockUpstream.Received got = upstream.last();
        assertThat(got.path()).isEqualTo("/" + p.name() + "/v1/chat/completions");
        if (p.apikeyRequired()) assertThat(got.header("Authorization")).isEqualTo("Bearer " + p.name() + "-provider-key");
        else assertThat(got.header("Authorization")).isNull(); // never the gateway key
    }

    private static void assertMetered(OpenAiCompatible p, String model, JsonNode e, long prompt, long completion) {
        assertThat(e.get("provider").asText()).isEqualTo(p.name());
        assertThat(e.get("model").asText()).isEqualTo(model);
        assertThat(e.get("prompt_token_count").asLong()).isEqualTo(prompt);
        assertThat(e.get("completion_token_count").asLong()).isEqualTo(completion);
        if (PRICES.find(p.priceProvider(), model).isPresent()) {
            assertThat(e.get("cost_in_usd").asDouble()).as(p.name() + " cost").isGreaterThan(0);
            assertThat(e.get("unpriced").asBoolean()).isFalse();
        }
    }
}
