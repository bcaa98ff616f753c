package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Custom providers: admin rules (§3.6) and the proxy at /api/custom/providers/:provider/*. */
class CustomProviderProxyTest {
    static MockUpstream upstream;
    static TestGateway gw;
    static ProxyClient proxy;

    static String routes(String target) {
        return "[{\"path\":\"/chat\",\"target_url\":\"" + target + "\",\"model_location\":\"model\","
                + "\"request_prompt_location\":\"messages.#.content\",\"response_completion_location\":\"choices.#.message.content\"},"
                + "{\"path\":\"/stream\",\"target_url\":\"" + target + "\",\"model_location\":\"model\",\"stream_location\":\"stream\","
                + "\"stream_end_word\":\"[DONE]\",\"stream_response_completion_location\":\"choices.0.delta.content\","
                + "\"request_prompt_location\":\"messages.#.content\",\"response_completion_location\":\"choices.#.message.content\"}]";
    }

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        proxy = new ProxyClient(gw.proxyUrl());
        AdminClient.Reply created = gw.admin.post("/api/custom/providers",
                "{\"provider\":\"MyLLM\",\"authentication_param\":\"token\",\"route_configs\":" + routes(upstream.url("/generate")) + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.json().get("provider").asText()).isEqualTo("myllm");
        String s = gw.admin.put("/api/provider-settings", "{\"provider\":\"myllm\",\"setting\":{\"token\":\"custom-secret-token\"},"
                + "\"costMap\":{\"promptCostPerModel\":{\"my-model\":1.0},\"completionCostPerModel\":{\"my-model\":2.0}}}").json().get("id").asText();
        gw.admin.createKey("{\"name\":\"k\",\"key\":\"gw-custom\",\"settingIds\":[\"" + s + "\"]}");
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    @Test
    void requestsGoToTheTargetWithTheSettingsCredential() {
        upstream.on("POST", "/generate", MockUpstream.Reply.json(200,
                "{\"choices\":[{\"message\":{\"content\":\"hello world\"}}]}"));
        String body = "{\"model\":\"my-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi there\"}]}";
        ProxyClient.Reply r = proxy.postJson("/api/custom/providers/myllm/chat", "gw-custom", body);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.text()).contains("hello world");
        MockUpstream.Received got = upstream.last();
        assertThat(got.header("Authorization")).isEqualTo("Bearer custom-secret-token");
        assertThat(got.bodyText()).isEqualTo(body);
    }

    @Test
    void unknownProviderOrRouteIs404() {
        assertThat(proxy.postJson("/api/custom/providers/nope/chat", "gw-custom", "{}").status()).isEqualTo(404);
        ProxyClient.Reply r = proxy.postJson("/api/custom/providers/myllm/nothing", "gw-custom", "{}");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.text()).contains("route config is not found");
    }

    @Test
    void duplicateNamesAre409AndBuiltInNamesAre400() {
        assertThat(gw.admin.post("/api/custom/providers", "{\"provider\":\"myllm\",\"route_configs\":" + routes("http://x.example/a") + "}").status())
                .isEqualTo(409);
        assertThat(gw.admin.post("/api/custom/providers", "{\"provider\":\"openai\",\"route_configs\":" + routes("http://x.example/a") + "}").status())
                .isEqualTo(400);
    }

    @Test
    void missingRouteFieldsAreListed() {
        AdminClient.Reply r = gw.admin.post("/api/custom/providers", "{\"provider\":\"broken\",\"route_configs\":[{\"path\":\"/a\",\"stream_location\":\"stream\"}]}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("detail").asText()).contains("route_configs.[0].target_url", "route_configs.[0].stream_end_word",
                "route_configs.[0].model_location");
        assertThat(gw.admin.post("/api/custom/providers", "{\"provider\":\"has space\",\"route_configs\":" + routes("http://x/a") + "}").status()).isEqualTo(400);
        assertThat(gw.admin.post("/api/custom/providers", "{\"provider\":\"p2\",\"route_configs\":[{\"path\":\"nochar\"}]}").status()).isEqualTo(400);
    }

    @Test
    void updateReplacesRoutesAndUnknownIdIs404() {
        AdminClient.Reply created = gw.admin.post("/api/custom/providers", "{\"provider\":\"second\",\"route_configs\":" + routes("http://x.example/a") + "}");
        String id = created.json().get("id").asText();
        AdminClient.Reply updated = gw.admin.patch("/api/custom/providers/" + id, "{\"authentication_param\":\"apikey\"}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("authentication_param").asText()).isEqualTo("apikey");
        assertThat(updated.json().get("route_configs")).hasSize(2);
        assertThat(gw.admin.patch("/api/custom/providers/nope", "{}").status()).isEqualTo(404);
        List<String> all = gw.admin.get("/api/custom/providers").json().findValuesAsText("provider");
        assertThat(all).contains("myllm", "second");
    }

    @Test
    void aKeyWithOnlyACustomSettingCannotCallOpenAi() {
        ProxyClient.Reply r = proxy.postJson("/api/providers/openai/v1/chat/completions", "gw-custom", "{\"model\":\"gpt-4o\",\"messages\":[]}");
        assertThat(r.status()).isEqualTo(401);
        assertThat(upstream.received()).noneMatch(x -> x.path().contains("chat/completions"));
    }
}
