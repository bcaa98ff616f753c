package io.bricksllm.admin;

import io.bricksllm.provider.Provider;
import io.bricksllm.provider.Providers;
import io.bricksllm.store.ProviderSetting;
import io.bricksllm.store.ProviderSettingRepository;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

/**
 * {@code POST /api/provider-settings/:id/test} (issue 21): one cheap authenticated upstream read (the provider's model
 * list) with the setting's URL and credential, answered as ok or not with the status and time taken. The upstream's
 * body is never passed on: an error body may quote the credential (OpenAI's "Incorrect API key provided: sk-…").
 */
public final class ProviderConnectionTest implements AdminResource {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Headers java.net.http sets itself and refuses from the caller. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");

    public record Result(boolean ok, int status, long latencyMs, String url, String message) {}

    private final ProviderSettingRepository settings;
    private final Providers providers;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public ProviderConnectionTest(ProviderSettingRepository settings, Providers providers) {
        this.settings = settings;
        this.providers = providers;
    }

    @Override
    public void register(AdminServer.Routes routes) {
        routes.add(HttpMethod.POST, "/api/provider-settings/:id/test", this::test);
    }

    AdminReply test(AdminRequest req) {
        String id = req.pathParam("id");
        ProviderSetting setting = settings.findById(id)
                .orElseThrow(() -> AdminError.notFound("provider setting is not found: " + id));
        Provider provider = providers.get(setting.provider()).orElseThrow(() -> AdminError.validation(
                "test connection is available for the built-in providers; " + setting.provider() + " is a custom provider"));
        String base = provider.baseUrlText(setting);
        if (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        String url = base + provider.connectionTestPath();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        long t0 = System.nanoTime();
        try {
            provider.authorize(setting, "GET", url, headers, Buffer.buffer());
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET();
            headers.forEach((k, v) -> {
                if (!RESTRICTED.contains(k.toLowerCase(java.util.Locale.ROOT))) b.header(k, v);
            });
            HttpResponse<Void> r = http.send(b.build(), HttpResponse.BodyHandlers.discarding());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            int status = r.statusCode();
            return AdminReply.ok(new Result(status / 100 == 2, status, ms, url, message(status)));
        } catch (IOException | IllegalArgumentException e) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            return AdminReply.ok(new Result(false, 0, ms, url, "could not reach the provider: " + e.getClass().getSimpleName()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminError(503, "/errors/interrupted", "interrupted", "the test was interrupted");
        }
    }

    private static String message(int status) {
        if (status / 100 == 2) return "connected: the provider accepted the credential";
        if (status == 401 || status == 403) return "the provider refused the credential (HTTP " + status + ")";
        if (status == 404) return "the URL answered 404: check the setting's url (HTTP 404)";
        if (status == 429) return "the provider is rate limiting (HTTP 429); the credential may still be valid";
        return "the provider answered HTTP " + status;
    }
}
