package io.bricksllm.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.gemini.GeminiPaths;
import io.bricksllm.proxy.RequestInfo;
import io.bricksllm.store.ProviderSetting;
import io.vertx.core.MultiMap;
import java.net.URI;

/**
 * Google AI (Gemini): the setting's {@code url} is the API root (default generativelanguage.googleapis.com), under
 * which the gateway and the native path use {@code /v1beta/…}; the key travels as {@code x-goog-api-key}. On the
 * native path the model and whether the answer streams are in the URL, not the body.
 */
public final class GeminiProvider implements Provider {
    public static final String DEFAULT_ROOT = "https://generativelanguage.googleapis.com";

    /** {@code url} is the API root (a proxy, a regional endpoint). */
    private static final SettingFields FIELDS = SettingFields.apikeyAndUrl(true);

    @Override
    public String name() {
        return "gemini";
    }

    @Override
    public String connectionTestPath() {
        return "/v1beta/models"; // the base is the API's root, not a versioned path
    }

    @Override
    public String proxyPrefix() {
        return "/api/providers/gemini";
    }

    @Override
    public URI baseUrl(ProviderSetting setting) {
        return Provider.urlOr(setting, DEFAULT_ROOT);
    }

    @Override
    public String baseUrlText(ProviderSetting setting) {
        String url = setting.get("url");
        return url.isEmpty() ? DEFAULT_ROOT : url;
    }

    @Override
    public void applyCredentials(ProviderSetting setting, MultiMap headers) {
        headers.set("x-goog-api-key", setting.get("apikey"));
    }

    /** Google's SDKs send the key as x-goog-api-key, its REST examples as {@code ?key=}: both serve the gateway key. */
    @Override
    public String keyQueryParameter() {
        return "key";
    }

    /**
     * {@code …/models/gemini-2.5-flash:streamGenerateContent}: the model (which allowedModels, events and prices see)
     * and the stream flag from the path; the output cap is {@code generationConfig.maxOutputTokens} per candidate.
     */
    @Override
    public RequestInfo refine(RequestInfo info, String path) {
        var call = GeminiPaths.modelCall(path);
        if (call.isEmpty()) return info;
        JsonNode config = info.json() == null ? null : info.json().get("generationConfig");
        long cap = 0;
        if (config != null && config.path("maxOutputTokens").canConvertToLong()) {
            long max = Math.max(0, config.path("maxOutputTokens").asLong());
            long candidates = Math.max(1, config.path("candidateCount").asLong(1));
            cap = max > Long.MAX_VALUE / candidates ? Long.MAX_VALUE : max * candidates;
        }
        return new RequestInfo(call.get().model(), call.get().streams(), info.userId(), false, cap,
                info.hasStreamOptions(), info.tree());
    }

    @Override
    public UsageDialect dialect() {
        return UsageDialect.GEMINI;
    }

    @Override
    public SettingFields settingFields() {
        return FIELDS;
    }

    @Override
    public String priceProvider() {
        return "google";
    }
}
