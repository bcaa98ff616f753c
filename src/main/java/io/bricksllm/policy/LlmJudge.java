package io.bricksllm.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.provider.Provider;
import io.bricksllm.store.Json;
import io.bricksllm.store.LiveConfig;
import io.bricksllm.store.ProviderSetting;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.List;

/**
 * The custom-rule judge: an OpenAI-compatible chat model reached through a provider setting named in
 * configuration (POLICY_JUDGE_SETTING_ID), asked in JSON mode whether the texts contain the described
 * content. Bounded by a timeout; any failure fails the future (the caller applies the failure mode).
 */
public final class LlmJudge implements CustomRuleJudge {
    private final HttpClient client;
    private final LiveConfig config;
    private final Provider openai;
    private final String settingId;
    private final String model;
    private final Duration timeout;

    public LlmJudge(HttpClient client, LiveConfig config, Provider openai, String settingId, String model, Duration timeout) {
        this.client = client;
        this.config = config;
        this.openai = openai;
        this.settingId = settingId;
        this.model = model;
        this.timeout = timeout;
    }

    @Override
    public Future<Boolean> contains(List<String> texts, List<String> definitions) {
        ProviderSetting setting = config.current().settingsById().get(settingId);
        if (settingId.isEmpty() || setting == null) {
            return Future.failedFuture(new IllegalStateException("no policy judge configured (POLICY_JUDGE_SETTING_ID)"));
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().set("Content-Type", "application/json");
        openai.applyCredentials(setting, headers);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(openai.upstreamUrl(setting, openai.proxyPrefix() + "/chat/completions", null))
                .setHeaders(headers).setIdleTimeout(timeout.toMillis()).setConnectTimeout(timeout.toMillis());
        Buffer body = Buffer.buffer(Json.write(request(texts, definitions)));
        return client.request(options)
                .compose(req -> req.send(body))
                .compose(resp -> resp.body().map(b -> {
                    if (resp.statusCode() != 200) throw new IllegalStateException("policy judge answered " + resp.statusCode());
                    return verdict(b);
                }))
                .timeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private ObjectNode request(List<String> texts, List<String> definitions) {
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("model", model);
        r.putObject("response_format").put("type", "json_object");
        ArrayNode messages = r.putArray("messages");
        messages.addObject().put("role", "system").put("content",
                "You check texts against content rules. Answer only with JSON {\"relevant_texts_found\": true|false}: "
                        + "true when any text contains content described by any rule.");
        ObjectNode user = messages.addObject().put("role", "user");
        user.put("content", "Rules:\n- " + String.join("\n- ", definitions) + "\n\nTexts:\n" + Json.write(texts));
        return r;
    }

    static boolean verdict(Buffer body) {
        JsonNode answer;
        try {
            JsonNode root = Json.read(body.toString(), JsonNode.class);
            String content = root.path("choices").path(0).path("message").path("content").asText("");
            answer = Json.read(content, JsonNode.class);
        } catch (RuntimeException e) {
            // not the parser's message: it quotes the answer, which may repeat the request's texts (logged upstream)
            throw new IllegalStateException("policy judge answered something that is not JSON");
        }
        JsonNode found = answer == null ? null : answer.get("relevant_texts_found");
        if (found == null || !found.isBoolean()) throw new IllegalStateException("policy judge gave no verdict");
        return found.asBoolean();
    }
}
