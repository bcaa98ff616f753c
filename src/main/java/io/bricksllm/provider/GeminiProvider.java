package io.bricksllm.provider;

import io.bricksllm.store.ProviderSetting;
import io.vertx.core.MultiMap;
import java.net.URI;

/**
 * Google AI (Gemini): the setting's {@code url} is the API root (default generativelanguage.googleapis.com), under
 * which the gateway and the native path use {@code /v1beta/…}; the key travels as {@code x-goog-api-key}.
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
