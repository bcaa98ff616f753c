package io.bricksllm.provider;

import io.bricksllm.store.ProviderSetting;
import io.vertx.core.MultiMap;
import java.net.URI;

/**
 * An OpenAI-compatible API that takes {@code Authorization: Bearer <apikey>}: OpenAI itself and the providers of
 * {@link OpenAiCompatible} differ only in name, proxy prefix, default base URL, price-book id and whether a setting
 * must hold a key. No header is sent when the setting has no key (Ollama needs none).
 */
public record BearerProvider(String name, String proxyPrefix, String defaultBaseUrl, String priceProvider, boolean apikeyRequired,
                             boolean servesResponses) implements Provider {

    public static BearerProvider openAi() {
        return new BearerProvider("openai", "/api/providers/openai/v1", "https://api.openai.com/v1", "openai", true, true);
    }

    @Override
    public URI baseUrl(ProviderSetting setting) {
        return Provider.urlOr(setting, defaultBaseUrl);
    }

    @Override
    public String baseUrlText(ProviderSetting setting) {
        String url = setting.get("url");
        return url.isEmpty() ? defaultBaseUrl : url;
    }

    @Override
    public void applyCredentials(ProviderSetting setting, MultiMap headers) {
        String key = setting.get("apikey");
        if (!key.isEmpty()) headers.set("Authorization", "Bearer " + key);
    }

    @Override
    public UsageDialect dialect() {
        return UsageDialect.OPENAI;
    }

    @Override
    public SettingFields settingFields() {
        return SettingFields.apikeyAndUrl(apikeyRequired);
    }
}
