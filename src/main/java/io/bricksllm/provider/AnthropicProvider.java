package io.bricksllm.provider;

import io.bricksllm.store.ProviderSetting;
import io.vertx.core.MultiMap;
import java.net.URI;

/** api.anthropic.com, or the setting's {@code url}; {@code x-api-key}; the caller's anthropic-version/-beta pass. */
public final class AnthropicProvider implements Provider {
    /** Where Messages and Text Completions bodies name the end user. */
    private static final SettingFields FIELDS = SettingFields.apikeyAndUrl(true);

    @Override
    public String name() {
        return "anthropic";
    }

    @Override
    public String proxyPrefix() {
        return "/api/providers/anthropic/v1";
    }

    @Override
    public URI baseUrl(ProviderSetting setting) {
        return Provider.urlOr(setting, "https://api.anthropic.com/v1");
    }

    @Override
    public void applyCredentials(ProviderSetting setting, MultiMap headers) {
        headers.set("x-api-key", setting.get("apikey"));
    }

    @Override
    public UsageDialect dialect() {
        return UsageDialect.ANTHROPIC;
    }

    @Override
    public SettingFields settingFields() {
        return FIELDS;
    }
}
