package io.bricksllm.provider;

import io.bricksllm.store.ProviderSetting;
import io.vertx.core.MultiMap;
import java.net.URI;
import java.util.List;

/** api.anthropic.com, or the setting's {@code url}; {@code x-api-key}; the caller's anthropic-version/-beta pass. */
public final class AnthropicProvider implements Provider {
    /** Where Messages and Text Completions bodies name the end user. */
    static final List<String> METADATA_USER_ID = List.of("metadata", "user_id");
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

    /** Messages and Text Completions name the end user in {@code metadata.user_id} (BEHAVIOUR.md §5.5). */
    @Override
    public List<String> endUserPath() {
        return METADATA_USER_ID;
    }
}
