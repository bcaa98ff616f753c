package io.bricksllm.provider;

import io.bricksllm.store.ProviderSetting;
import io.vertx.core.MultiMap;
import java.net.URI;
import java.util.List;

/**
 * What differs between upstream providers, and nothing else (DESIGN.md §4a, §4b): where requests go,
 * how credentials travel, which setting fields hold them, and which usage dialect and price-book entries meter them.
 * Every operation of every provider goes through the same pipeline; no code outside this package compares
 * provider names: what differs is a method here.
 */
public interface Provider {
    /** The end user of an OpenAI-shaped body: its top-level {@code user} field. */
    List<String> TOP_LEVEL_USER = List.of("user");

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

    /** The fields a setting of this provider must and may hold, and which of them are no secret. */
    SettingFields settingFields();

    /**
     * Where a request body of this provider's native API names the end user: one field name, or a top-level object and
     * its member ({@code metadata}, {@code user_id} for Anthropic's Messages and Text Completions).
     */
    default List<String> endUserPath() {
        return dialect().endUserPath();
    }

    /**
     * Whether this OpenAI-dialect provider serves OpenAI's Responses API itself: a Responses caller's request then goes
     * as sent (stateful fields included); otherwise it is translated into the provider's chat completions.
     */
    default boolean servesResponses() {
        return false;
    }

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

    /**
     * Whether {@code setting} lacks what this provider authenticates with, so nothing can be sent (a 401 before any
     * reservation). The admin API requires the fields, but a setting may still hold blank values.
     */
    default boolean credentialsMissing(ProviderSetting setting) {
        return false;
    }

    /** The price-book provider id used to price this provider's models (and to list them, unrestricted). */
    default String priceProvider() {
        return name();
    }

    /**
     * The price-book ids whose prices apply to this provider's models, tried in order for each spelling of a model
     * name: {@link #priceProvider} first, then those whose list prices it bills at (Azure: OpenAI's).
     */
    default List<String> priceProviders() {
        return List.of(priceProvider());
    }

    /**
     * Whether a response is priced by the model the response names rather than the one requested: true where the
     * request names a deployment, not a model (Azure).
     */
    default boolean pricesByResponseModel() {
        return false;
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

    /**
     * The path under {@link #baseUrlText} of a cheap authenticated read (the model list) that the console's "test
     * connection" calls: it proves the URL and the credential without spending anything.
     */
    default String connectionTestPath() {
        return "/models";
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
