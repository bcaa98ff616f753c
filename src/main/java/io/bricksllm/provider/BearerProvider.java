package io.bricksllm.provider;

import io.bricksllm.store.ProviderSetting;
import io.vertx.core.MultiMap;
import java.net.URI;

/**
 * An OpenAI-compatible API that takes {@code Authorization: Bearer <apikey>}: OpenAI itself and Deepinfra
 * differ only in name, proxy prefix and default base URL.
 */
public record BearerProvider(String name, String proxyPrefix, String defaultBaseUrl) implements Provider {

    public static BearerProvider openAi() {
        return new BearerProvider("openai", "/api/providers/openai/v1", "https://api.openai.com/v1");
    }

    public static BearerProvider deepinfra() {
        return new BearerProvider("deepinfra", "/api/providers/deepinfra/v1", "https://api.deepinfra.com/v1/openai");
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
        headers.set("Authorization", "Bearer " + setting.get("apikey"));
    }

    @Override
    public UsageDialect dialect() {
        return UsageDialect.OPENAI;
    }
}
