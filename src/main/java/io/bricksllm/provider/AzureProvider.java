package io.bricksllm.provider;

import io.bricksllm.store.ProviderSetting;
import io.vertx.core.MultiMap;
import java.net.URI;

/**
 * Azure OpenAI: {@code https://{resourceName}.openai.azure.com} or the setting's {@code url}, then
 * {@code /openai/deployments/{id}/…}; the caller's {@code api-version} query is kept; {@code api-key} header.
 */
public final class AzureProvider implements Provider {
    @Override
    public String name() {
        return "azure";
    }

    @Override
    public String proxyPrefix() {
        return "/api/providers/azure";
    }

    @Override
    public URI baseUrl(ProviderSetting setting) {
        return Provider.urlOr(setting, "https://" + setting.get("resourceName") + ".openai.azure.com");
    }

    @Override
    public void applyCredentials(ProviderSetting setting, MultiMap headers) {
        headers.set("api-key", setting.get("apikey"));
    }

    @Override
    public UsageDialect dialect() {
        return UsageDialect.OPENAI;
    }
}
