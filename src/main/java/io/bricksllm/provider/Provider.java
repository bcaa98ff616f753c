package io.bricksllm.provider;

import io.bricksllm.store.ProviderSetting;
import io.vertx.core.MultiMap;
import java.net.URI;

/**
 * What differs between upstream providers, and nothing else (DESIGN.md §4a): where requests go,
 * how credentials travel, and which usage dialect and price-book entry meter them.
 * Every operation of every provider goes through the same pipeline.
 */
public interface Provider {
    /** The name used in provider settings and proxy paths (openai, anthropic, azure, vllm, deepinfra). */
    String name();

    /** The proxy path prefix whose remainder is appended to the upstream base (e.g. /api/providers/openai/v1). */
    String proxyPrefix();

    /** The upstream base URL: the setting's {@code url} when present, else the provider default. */
    URI baseUrl(ProviderSetting setting);

    /** Puts the provider credential on the upstream request headers (the caller's were removed). */
    void applyCredentials(ProviderSetting setting, MultiMap upstreamHeaders);

    /** How usage is reported on the wire. */
    UsageDialect dialect();

    /**
     * Authorises a finished upstream request: by default the credential header of {@link #applyCredentials}; a
     * provider that signs the whole request (Bedrock's SigV4) sees the method, URL, headers and body.
     */
    default void authorize(ProviderSetting setting, String method, String url, MultiMap upstreamHeaders,
                           io.vertx.core.buffer.Buffer body) {
        applyCredentials(setting, upstreamHeaders);
    }

    /**
     * The path and query, under {@link #baseUrlText}, of an OpenAI-shaped operation ({@code /chat/completions},
     * {@code /embeddings}) for {@code model}; {@code params} are a route step's provider parameters. Only providers
     * of the OpenAI dialect are asked.
     */
    default String openAiPath(String leaf, String model, java.util.Map<String, String> params, ProviderSetting setting) {
        return leaf;
    }

    /** The price-book provider id used to price this provider's models. */
    default String priceProvider() {
        return name();
    }

    /**
     * Lets a provider read model, stream flag and output cap from where its API keeps them: a custom provider's
     * configured JSON paths, Gemini's path ({@code …/models/<model>:streamGenerateContent}). {@code path} is the
     * request's proxy path.
     */
    default io.bricksllm.proxy.RequestInfo refine(io.bricksllm.proxy.RequestInfo info, String path) {
        return info;
    }

    /**
     * The query parameter in which this provider's own SDKs and documentation send their API key, accepted as the
     * gateway key on this provider's native paths only (and never forwarded); null when keys travel in headers only.
     */
    default String keyQueryParameter() {
        return null;
    }

    /** The full upstream URL for a concrete proxy path: the prefix replaced by the base URL (no parsing). */
    default String upstreamUrl(ProviderSetting setting, String proxyPath, String query) {
        String base = baseUrlText(setting);
        if (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        String rest = proxyPath.substring(proxyPrefix().length());
        return query == null || query.isEmpty() ? base + rest : base + rest + "?" + query;
    }

    /** The base URL as text; providers override it to skip building a {@link URI} per request. */
    default String baseUrlText(ProviderSetting setting) {
        return baseUrl(setting).toString();
    }

    /** Reads {@code url} from a setting, falling back to {@code dflt}. */
    static URI urlOr(ProviderSetting setting, String dflt) {
        String url = setting.get("url");
        return URI.create(url.isEmpty() ? dflt : url);
    }
}
