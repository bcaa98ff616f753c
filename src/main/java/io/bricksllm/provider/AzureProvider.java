package io.bricksllm.provider;

import io.bricksllm.store.ProviderSetting;
import io.vertx.core.MultiMap;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Azure OpenAI: {@code https://{resourceName}.openai.azure.com} or the setting's {@code url}, then
 * {@code /openai/deployments/{id}/…}; the caller's {@code api-version} query is kept; {@code api-key} header.
 */
public final class AzureProvider implements Provider {
    /** The GA data-plane version used when neither the setting nor the route step names one. */
    public static final String DEFAULT_API_VERSION = "2024-10-21";
    private static final String RESPONSES = "/responses";

    /** The endpoint is {@code resourceName}'s unless {@code url} names it; {@code apiVersion} replaces the default. */
    private static final SettingFields FIELDS = SettingFields.of(List.of("apikey", "resourceName"), List.of("url", "apiVersion"))
            .unlessGiven("resourceName", "url")
            .showing("url", "resourceName", "apiVersion");

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

    /**
     * {@code azure/<deployment>} names the deployment; a route step may name another in {@code deploymentId}. The
     * version is the step's {@code apiVersion}, else the setting's, else {@link #DEFAULT_API_VERSION}: so a step needs
     * neither parameter (a blank one counts as absent).
     */
    @Override
    public String openAiPath(String leaf, String model, Map<String, String> params, ProviderSetting setting) {
        // Azure serves the Responses API outside the deployments, in its v1 API, with the deployment as the model
        if (leaf.equals(RESPONSES)) return "/openai/v1" + RESPONSES;
        String deployment = params.getOrDefault("deploymentId", "");
        if (deployment.isBlank()) deployment = model;
        String version = params.getOrDefault("apiVersion", "");
        if (version.isBlank()) version = setting.get("apiVersion");
        if (version.isBlank()) version = DEFAULT_API_VERSION;
        return "/openai/deployments/" + URLEncoder.encode(deployment, StandardCharsets.UTF_8)
                + leaf + "?api-version=" + URLEncoder.encode(version, StandardCharsets.UTF_8);
    }

    @Override
    public boolean servesResponses() {
        return true;
    }

    @Override
    public UsageDialect dialect() {
        return UsageDialect.OPENAI;
    }

    @Override
    public SettingFields settingFields() {
        return FIELDS;
    }

    /** Azure OpenAI bills OpenAI's models at (about) OpenAI's list prices: its own table first, then OpenAI's. */
    @Override
    public List<String> priceProviders() {
        return List.of("azure", "openai");
    }

    /** A request names a deployment, which is no model: the response says which model answered (BEHAVIOUR.md §9a.3). */
    @Override
    public boolean pricesByResponseModel() {
        return true;
    }
}
