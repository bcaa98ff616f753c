package io.bricksllm.proxy.translate;

import io.bricksllm.dialect.UnsupportedByDialectException;
import io.bricksllm.metering.TokenCounter;
import io.bricksllm.provider.Provider;
import io.bricksllm.provider.UsageDialect;
import io.bricksllm.proxy.Operation;
import io.bricksllm.proxy.meter.Pricing;
import io.bricksllm.dialect.bedrock.BedrockPaths;
import io.bricksllm.store.Json;
import java.util.Map;

/**
 * Chooses, for an OpenAI-shaped request and its target (provider and upstream model), the translation of one
 * attempt: by the provider's dialect, never by its name, so a provider of a known dialect needs nothing here.
 */
public final class Translations {
    private final Codecs codecs = Codecs.of(Json.MAPPER);
    private final Ingress openAiChat = new OpenAiChatIngress(codecs);
    private final Ingress anthropicMessages = new AnthropicIngress(codecs);
    private final Ingress responses = new ResponsesIngress(codecs);
    private final AnswerMetering metering;
    private final TokenCounter tokens;

    public Translations(Pricing pricing, TokenCounter tokens) {
        this.metering = new AnswerMetering(pricing, tokens);
        this.tokens = tokens;
    }

    /**
     * The translation of {@code operation} for {@code model} at {@code provider}, the caller speaking the API of the
     * operation (OpenAI's chat, embeddings or Responses, Anthropic's Messages); {@code params} are a route step's
     * provider parameters (Azure's deployment and API version).
     *
     * @throws UnsupportedByDialectException when the provider has no such operation through this API
     */
    public Translation of(Operation operation, Provider provider, String model, Map<String, String> params) {
        return switch (operation) {
            case EMBEDDINGS -> embeddings(provider, model, params);
            case MESSAGES -> messages(provider, model, params);
            case RESPONSES -> responses(provider, model, params);
            default -> chat(openAiChat, provider, model, params);
        };
    }

    /**
     * Anthropic's Messages API: Claude as sent (at Anthropic, or through Bedrock's InvokeModel, which takes Anthropic's
     * own bodies), every other model through the canonical request.
     */
    private Translation messages(Provider p, String model, Map<String, String> params) {
        if (p.dialect() == UsageDialect.ANTHROPIC) return new AnthropicTarget(model, "/messages");
        if (p.dialect() == UsageDialect.BEDROCK && BedrockPaths.isClaude(model)) {
            return new ClaudeOnBedrock(codecs, metering, p, Operation.MESSAGES, model);
        }
        return chat(anthropicMessages, p, model, params);
    }

    /** OpenAI's Responses API: as sent where the provider serves it, else through the canonical request. */
    private Translation responses(Provider p, String model, Map<String, String> params) {
        if (p.dialect() == UsageDialect.OPENAI && p.servesResponses()) return new OpenAiTarget(p, model, "/responses", params);
        return chat(responses, p, model, params);
    }

    /**
     * {@code count_tokens} of Anthropic's Messages API: Anthropic counts its own models (free); for any other model the
     * gateway estimates with its tokenizer ({@code null} here: the caller answers with {@link #tokenCount}).
     */
    public Translation tokenCount(Provider p, String model) {
        return p.dialect() == UsageDialect.ANTHROPIC ? new AnthropicTarget(model, "/messages/count_tokens") : null;
    }

    /** The gateway's estimate of a Messages request's input tokens, for models Anthropic does not count. */
    public TokenCountAnswer tokenCountHere(String model) {
        return new TokenCountAnswer(codecs, tokens, model);
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

    private Translation chat(Ingress ingress, Provider p, String model, Map<String, String> params) {
        return switch (p.dialect()) {
            case OPENAI -> ingress == openAiChat ? new OpenAiTarget(p, model, "/chat/completions", params)
                    : new OpenAiChat(codecs, metering, ingress, p, model, params);
            case ANTHROPIC -> new AnthropicChat(codecs, metering, ingress, p, model);
            case GEMINI -> new GeminiChat(codecs, metering, ingress, p, model);
            case BEDROCK -> new BedrockChat(codecs, metering, ingress, p, model);
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
