package io.bricksllm.provider;

import io.bricksllm.store.ProviderSetting;
import io.vertx.core.MultiMap;
import java.net.URI;
import java.util.List;

/** A vLLM deployment: the setting's {@code url} is the deployment root; {@code apikey} is optional. */
public final class VllmProvider implements Provider {
    private static final SettingFields FIELDS = SettingFields.of(List.of("url"), List.of("apikey")).showing("url");

    @Override
    public String name() {
        return "vllm";
    }

    @Override
    public String proxyPrefix() {
        return "/api/providers/vllm";
    }

    @Override
    public URI baseUrl(ProviderSetting setting) {
        return URI.create(setting.get("url"));
    }

    @Override
    public void applyCredentials(ProviderSetting setting, MultiMap headers) {
        String key = setting.get("apikey");
        if (!key.isEmpty()) headers.set("Authorization", "Bearer " + key);
    }

    /** The setting's url is the deployment root, so the OpenAI paths live under /v1. */
    @Override
    public String openAiPath(String leaf, String model, java.util.Map<String, String> params, ProviderSetting setting) {
        return "/v1" + leaf;
    }

    @Override
    public UsageDialect dialect() {
        return UsageDialect.OPENAI;
    }

    /** A deployment has no default location, so {@code url} is required; a key only when the deployment wants one. */
    @Override
    public SettingFields settingFields() {
        return FIELDS;
    }
}
