package io.bricksllm.provider.custom;

import io.bricksllm.provider.Provider;
import io.bricksllm.provider.SettingFields;
import io.bricksllm.provider.UsageDialect;
import io.bricksllm.proxy.RequestInfo;
import io.bricksllm.store.CustomProvider;
import io.bricksllm.store.ProviderSetting;
import io.bricksllm.store.RouteConfig;
import io.vertx.core.MultiMap;
import java.net.URI;

/**
 * One route of a custom provider as a {@link Provider}: requests go to the route's {@code target_url}
 * with the setting's value of the provider's authentication parameter as a bearer token.
 */
public final class CustomProviderAdapter implements Provider {
    private final CustomProvider provider;
    private final RouteConfig route;

    public CustomProviderAdapter(CustomProvider provider, RouteConfig route) {
        this.provider = provider;
        this.route = route;
    }

    public RouteConfig route() {
        return route;
    }

    @Override
    public String name() {
        return provider.provider();
    }

    @Override
    public String proxyPrefix() {
        return "/api/custom/providers/" + provider.provider();
    }

    @Override
    public URI baseUrl(ProviderSetting setting) {
        return URI.create(route.targetUrl());
    }

    @Override
    public String upstreamUrl(ProviderSetting setting, String proxyPath, String query) {
        return route.targetUrl();
    }

    @Override
    public void applyCredentials(ProviderSetting setting, MultiMap headers) {
        String param = provider.authenticationParam().isEmpty() ? "apikey" : provider.authenticationParam();
        String secret = setting.get(param);
        if (!secret.isEmpty()) headers.set("Authorization", "Bearer " + secret);
    }

    @Override
    public RequestInfo refine(RequestInfo info, String path) {
        if (info.json() == null) return info;
        String model = GjsonPath.firstText(info.json(), route.modelLocation());
        boolean stream = !route.streamLocation().isEmpty() && GjsonPath.firstBoolean(info.json(), route.streamLocation());
        return new RequestInfo(model, stream, info.userId(), false, info.maxOutputTokens(), info.json());
    }

    @Override
    public UsageDialect dialect() {
        return UsageDialect.CUSTOM;
    }

    @Override
    public SettingFields settingFields() {
        return SettingFields.custom(provider.authenticationParam());
    }
}
