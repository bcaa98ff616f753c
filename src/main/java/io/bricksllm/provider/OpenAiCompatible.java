package io.bricksllm.provider;

import java.util.List;
import java.util.Optional;

/**
 * The OpenAI-compatible providers: everything the gateway knows about each is one line of {@link #ALL}.
 * Adapters, native proxy endpoints ({@code /api/providers/<name>/v1/…}), accepted setting fields,
 * reserved custom-provider names, route steps and price-book ids all come from this table.
 *
 * @param name            the provider name of settings, paths and events
 * @param defaultBaseUrl  the upstream base the setting's {@code url} replaces
 * @param apikeyRequired  whether a setting must hold {@code apikey} (sent as {@code Authorization: Bearer})
 * @param priceProvider   the provider id in the bundled genai-prices data (none is fine: then unpriced)
 */
public record OpenAiCompatible(String name, String defaultBaseUrl, boolean apikeyRequired, String priceProvider) {

    public static final List<OpenAiCompatible> ALL = List.of(
            new OpenAiCompatible("deepinfra", "https://api.deepinfra.com/v1/openai", true, "deepinfra"),
            new OpenAiCompatible("mistral", "https://api.mistral.ai/v1", true, "mistral"),
            new OpenAiCompatible("groq", "https://api.groq.com/openai/v1", true, "groq"),
            new OpenAiCompatible("together", "https://api.together.ai/v1", true, "together"),
            new OpenAiCompatible("fireworks", "https://api.fireworks.ai/inference/v1", true, "fireworks"),
            new OpenAiCompatible("deepseek", "https://api.deepseek.com", true, "deepseek"),
            new OpenAiCompatible("xai", "https://api.x.ai/v1", true, "x-ai"),
            new OpenAiCompatible("openrouter", "https://openrouter.ai/api/v1", true, "openrouter"),
            new OpenAiCompatible("cerebras", "https://api.cerebras.ai/v1", true, "cerebras"),
            new OpenAiCompatible("perplexity", "https://api.perplexity.ai", true, "perplexity"),
            new OpenAiCompatible("ollama", "http://localhost:11434/v1", false, "ollama"));

    /** The native proxy prefix: the OpenAI SDK's base URL for this provider through the gateway. */
    public String proxyPrefix() {
        return "/api/providers/" + name + "/v1";
    }

    public BearerProvider adapter() {
        // their Responses APIs, where they have one, are partial: a Responses caller reaches them through chat completions
        return new BearerProvider(name, proxyPrefix(), defaultBaseUrl, priceProvider, apikeyRequired, false);
    }

    public static Optional<OpenAiCompatible> named(String name) {
        return ALL.stream().filter(p -> p.name.equals(name)).findFirst();
    }

    public static List<String> names() {
        return ALL.stream().map(OpenAiCompatible::name).toList();
    }
}
