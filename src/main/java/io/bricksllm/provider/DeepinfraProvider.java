package io.bricksllm.provider;

import io.bricksllm.store.ProviderSetting;
import io.vertx.core.MultiMap;
import java.net.URI;

/** Deepinfra's OpenAI-compatible API, or the setting's {@code url}; {@code Authorization: Bearer}. */
public final class DeepinfraProvider implements Provider {
    @Override
    public String name() {
        return "deepinfra";
    }

    @Override
    public String proxyPrefix() {
        return "/api/providers/deepinfra/v1";
    }

    @Override
    public URI baseUrl(ProviderSetting setting) {
        return Provider.urlOr(setting, "https://api.deepinfra.com/v1/openai");
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
