package io.bricksllm.provider;

import io.bricksllm.store.ProviderSetting;
import io.vertx.core.MultiMap;
import java.net.URI;

/** api.openai.com, or the setting's {@code url}; {@code Authorization: Bearer}. */
public final class OpenAiProvider implements Provider {
    @Override
    public String name() {
        return "openai";
    }

    @Override
    public String proxyPrefix() {
        return "/api/providers/openai/v1";
    }

    @Override
    public URI baseUrl(ProviderSetting setting) {
        return Provider.urlOr(setting, "https://api.openai.com/v1");
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
