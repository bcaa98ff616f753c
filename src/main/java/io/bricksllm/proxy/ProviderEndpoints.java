package io.bricksllm.proxy;

import static io.bricksllm.proxy.Endpoint.json;
import static io.bricksllm.proxy.Endpoint.opaque;
import static io.bricksllm.proxy.Endpoint.translated;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import io.bricksllm.provider.OpenAiCompatible;
import io.bricksllm.provider.UsageDialect;
import java.util.ArrayList;
import java.util.List;

/**
 * The non-OpenAI endpoints of BEHAVIOUR.md §4, Gemini's native API and those of every {@link OpenAiCompatible} provider,
 * served by the same pipeline.
 */
public final class ProviderEndpoints {
    private static final String AZURE = "/api/providers/azure/openai/deployments/:deployment_id";

    private ProviderEndpoints() {}

    public static List<Endpoint> all() {
        List<Endpoint> all = new ArrayList<>(OpenAiEndpoints.all());
        // one OpenAI-compatible API for every provider: the model names the provider (openai/gpt-4o, gemini/…)
        all.add(Endpoint.unified(POST, "/v1/chat/completions", Operation.CHAT));
        all.add(Endpoint.unified(POST, "/v1/embeddings", Operation.EMBEDDINGS));
        all.add(Endpoint.unified(GET, "/v1/models", Operation.PASS_THROUGH));
        all.add(Endpoint.unified(GET, "/v1/key", Operation.KEY_VIEW)); // the caller's own key, limits and usage
        // the APIs coding agents and the newest SDKs speak, for every model: OpenAI's Responses, Anthropic's Messages
        all.add(Endpoint.unified(POST, "/v1/responses", Operation.RESPONSES));
        all.add(Endpoint.unified("/v1/messages", Operation.MESSAGES, UsageDialect.ANTHROPIC));
        all.add(Endpoint.unified("/v1/messages/count_tokens", Operation.TOKEN_COUNT, UsageDialect.ANTHROPIC));
        all.addAll(List.of(
                json(POST, "/api/providers/anthropic/v1/messages", "anthropic", Operation.MESSAGES),
                json(POST, "/api/providers/anthropic/v1/complete", "anthropic", Operation.COMPLETION),
                // Claude on Bedrock through Anthropic's own API (the original's paths): InvokeModel answers
                translated("/api/providers/bedrock/anthropic/v1/messages", "bedrock", Operation.MESSAGES, UsageDialect.ANTHROPIC),
                translated("/api/providers/bedrock/anthropic/v1/complete", "bedrock", Operation.COMPLETION, UsageDialect.ANTHROPIC),
                json(POST, AZURE + "/chat/completions", "azure", Operation.CHAT),
                json(POST, AZURE + "/completions", "azure", Operation.COMPLETION),
                json(POST, AZURE + "/embeddings", "azure", Operation.EMBEDDINGS),
                json(POST, "/api/providers/vllm/v1/chat/completions", "vllm", Operation.CHAT),
                json(POST, "/api/providers/vllm/v1/completions", "vllm", Operation.COMPLETION)));
        // Azure serves the Responses API outside the deployments, at /openai/responses?api-version=… and /openai/v1/responses
        all.addAll(OpenAiEndpoints.responses("/api/providers/azure/openai", "azure"));
        all.addAll(OpenAiEndpoints.responses("/api/providers/azure/openai/v1", "azure"));
        for (String version : List.of("v1beta", "v1")) all.addAll(gemini("/api/providers/gemini/" + version + "/models"));
        for (OpenAiCompatible p : OpenAiCompatible.ALL) {
            String prefix = p.proxyPrefix();
            all.add(json(POST, prefix + "/chat/completions", p.name(), Operation.CHAT));
            all.add(json(POST, prefix + "/completions", p.name(), Operation.COMPLETION));
            all.add(json(POST, prefix + "/embeddings", p.name(), Operation.EMBEDDINGS));
            all.add(opaque(GET, prefix + "/models", p.name()));
        }
        return List.copyOf(all);
    }

    /**
     * Gemini's native API under one version's {@code models}: the model and the custom method share the last
     * segment ({@code gemini-2.5-flash:generateContent}), so each method is its own entry.
     */
    private static List<Endpoint> gemini(String models) {
        return List.of(
                json(POST, models + "/:model:generateContent", "gemini", Operation.CHAT),
                json(POST, models + "/:model:streamGenerateContent", "gemini", Operation.CHAT),
                json(POST, models + "/:model:embedContent", "gemini", Operation.EMBEDDINGS),
                json(POST, models + "/:model:batchEmbedContents", "gemini", Operation.EMBEDDINGS),
                json(POST, models + "/:model:countTokens", "gemini", Operation.PASS_THROUGH),
                opaque(GET, models, "gemini"),
                opaque(GET, models + "/:model", "gemini"));
    }
}
