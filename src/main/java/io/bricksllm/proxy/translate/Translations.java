package io.bricksllm.proxy.translate;

import io.bricksllm.dialect.UnsupportedByDialectException;
import io.bricksllm.metering.TokenCounter;
import io.bricksllm.provider.Provider;
import io.bricksllm.provider.UsageDialect;
import io.bricksllm.proxy.Operation;
import io.bricksllm.proxy.meter.Pricing;
import io.bricksllm.store.Json;
import java.util.Map;

/**
 * Chooses, for an OpenAI-shaped request and its target (provider and upstream model), the translation of one
 * attempt: by the provider's dialect, never by its name, so a provider of a known dialect needs nothing here.
 */
public final class Translations {
    private final Codecs codecs = Codecs.of(Json.MAPPER);
    private final AnswerMetering metering;
    private final TokenCounter tokens;

    public Translations(Pricing pricing, TokenCounter tokens) {
        this.metering = new AnswerMetering(pricing, tokens);
        this.tokens = tokens;
    }

    /**
     * The translation of {@code operation} (chat or embeddings) for {@code model} at {@code provider};
     * {@code params} are a route step's provider parameters (Azure's deployment and API version).
     *
     * @throws UnsupportedByDialectException when the provider has no such operation through this API
     */
    public Translation of(Operation operation, Provider provider, String model, Map<String, String> params) {
        return operation == Operation.EMBEDDINGS ? embeddings(provider, model, params) : chat(provider, model, params);
    }

    /**
     * The translation of a native endpoint whose caller speaks {@code ingress} rather than the provider's own API: the
     * original's Bedrock paths, where Anthropic's Messages and Complete reach a Claude model through InvokeModel.
     *
     * @throws UnsupportedByDialectException when no translation joins the two for this operation
     */
    public Translation forEndpoint(Operation operation, UsageDialect ingress, Provider provider) {
        boolean anthropicApi = ingress == UsageDialect.ANTHROPIC && (operation == Operation.MESSAGES || operation == Operation.COMPLETION);
        if (anthropicApi && provider.dialect() == UsageDialect.BEDROCK) return new ClaudeOnBedrock(codecs, metering, provider, operation);
        throw new UnsupportedByDialectException("path", provider.name(), "it is not reached in the " + ingress + " API");
    }

    private Translation chat(Provider p, String model, Map<String, String> params) {
        return switch (p.dialect()) {
            case OPENAI -> new OpenAiTarget(p, model, "/chat/completions", params);
            case ANTHROPIC -> new AnthropicChat(codecs, metering, p, model);
            case GEMINI -> new GeminiChat(codecs, metering, p, model);
            case BEDROCK -> new BedrockChat(codecs, metering, p, model);
            case CUSTOM -> throw new UnsupportedByDialectException("model", p.name(),
                    "a custom provider is called at its own path, /api/custom/providers/" + p.name() + "/…");
        };
    }

    private Translation embeddings(Provider p, String model, Map<String, String> params) {
        return switch (p.dialect()) {
            case OPENAI -> new OpenAiTarget(p, model, "/embeddings", params);
            case GEMINI -> new GeminiEmbeddings(codecs, metering, tokens, p, model);
            case BEDROCK -> new TitanEmbeddings(codecs, metering, p, model);
            case ANTHROPIC, CUSTOM -> throw new UnsupportedByDialectException("model", p.name(), "it has no embeddings API");
        };
    }
}
