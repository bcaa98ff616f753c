package io.bricksllm.provider;

import io.bricksllm.store.ProviderSetting;
import io.vertx.core.MultiMap;
import java.net.URI;

/**
 * Azure OpenAI: {@code https://{resourceName}.openai.azure.com} or the setting's {@code url}, then
 * {@code /openai/deployments/{id}/…}; the caller's {@code api-version} query is kept; {@code api-key} header.
 */
public final class AzureProvider implements Provider {
    /** The GA data-plane version used when neither the setting nor the route step names one. */
    public static final String DEFAULT_API_VERSION = "2024-10-21";

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

    /** {@code azure/<deployment>} names the deployment; a route step names it in {@code deploymentId}. */
    @Override
    public String openAiPath(String leaf, String model, java.util.Map<String, String> params, ProviderSetting setting) {
        String deployment = params.getOrDefault("deploymentId", model);
        String version = params.getOrDefault("apiVersion", "");
        if (version.isEmpty()) version = setting.get("apiVersion");
        if (version.isEmpty()) version = DEFAULT_API_VERSION;
        return "/openai/deployments/" + java.net.URLEncoder.encode(deployment, java.nio.charset.StandardCharsets.UTF_8)
                + leaf + "?api-version=" + java.net.URLEncoder.encode(version, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public UsageDialect dialect() {
        return UsageDialect.OPENAI;
    }
}
