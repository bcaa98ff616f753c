package io.bricksllm.provider.custom;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.admin.AdminError;
import io.bricksllm.admin.AdminReply;
import io.bricksllm.admin.AdminRequest;
import io.bricksllm.admin.AdminResource;
import io.bricksllm.admin.AdminServer;
import io.bricksllm.provider.Providers;
import io.bricksllm.store.CustomProvider;
import io.bricksllm.store.CustomProviderRepository;
import io.bricksllm.store.LiveConfig;
import io.bricksllm.store.RouteConfig;
import io.bricksllm.store.StoreException;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Custom providers: create, list, update (BEHAVIOUR.md §3.6), with 400/404/409 instead of the original's 500s. */
public final class CustomProviderAdmin implements AdminResource {
    /**
     * A provider's name is a path segment of the proxy ({@code /api/custom/providers/<name>/…}) and its
     * authentication parameter a setting field name: both lower case, no separators, no control characters.
     */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    static final Pattern AUTH_PARAM = Pattern.compile("[a-z0-9._-]{1,64}");
    /** Longest path, URL or JSON location of a route config. */
    static final int MAX_ROUTE_TEXT = 2048;

    record CreateProvider(String provider, List<RouteConfig> route_configs, String authentication_param) {}

    record UpdateProvider(List<RouteConfig> route_configs, String authentication_param) {}

    private final CustomProviderRepository providers;
    /** The built-in providers' names, which a custom provider cannot take (their settings and paths are the built-ins'). */
    private final Set<String> reserved;
    private final LiveConfig live;
    private final Clock clock;

    public CustomProviderAdmin(CustomProviderRepository providers, Providers builtIn, LiveConfig live, Clock clock) {
        this.providers = providers;
        this.reserved = Set.copyOf(builtIn.names());
        this.live = live;
        this.clock = clock;
    }

    @Override
    public void register(AdminServer.Routes routes) {
        routes.add(HttpMethod.POST, "/api/custom/providers", this::create);
        routes.add(HttpMethod.GET, "/api/custom/providers", req -> AdminReply.ok(providers.findAll()));
        routes.add(HttpMethod.PATCH, "/api/custom/providers/:id", this::update);
    }

    AdminReply create(AdminRequest req) {
        CreateProvider r = req.bind(req.json(), CreateProvider.class);
        String name = r.provider() == null ? "" : r.provider().trim().toLowerCase(Locale.ROOT);
        if (reserved.contains(name)) throw AdminError.validation("provider cannot be named " + name + ": it is a built-in provider");
        List<String> invalid = new ArrayList<>();
        if (name.isEmpty()) invalid.add("provider");
        else if (hasWhitespace(name)) throw AdminError.validation("provider cannot contain white space");
        else if (!NAME.matcher(name).matches()) {
            throw AdminError.validation("provider must be 1 to 64 characters a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
        }
        List<RouteConfig> routes = r.route_configs() == null ? List.of() : r.route_configs();
        if (routes.isEmpty()) invalid.add("route_configs");
        checkRoutes(routes, Set.of(), invalid);
        String auth = checkedAuthParam(r.authentication_param() == null ? "" : r.authentication_param());
        if (!invalid.isEmpty()) throw AdminError.validation("empty fields in provider: " + String.join(", ", invalid));
        long now = clock.instant().getEpochSecond();
        CustomProvider p = new CustomProvider(UUID.randomUUID().toString(), now, now, name, routes, auth);
        try {
            providers.insert(p);
        } catch (StoreException e) {
            if (e.uniqueViolation()) throw AdminError.conflict("provider must be unique: " + name + " already exists");
            throw e;
        }
        live.changed();
        return AdminReply.ok(p);
    }

    AdminReply update(AdminRequest req) {
        String id = req.pathParam("id");
        JsonNode json = req.json();
        UpdateProvider r = req.bind(json, UpdateProvider.class);
        CustomProvider old = providers.findById(id).orElseThrow(() -> AdminError.notFound("custom provider not found for id: " + id));
        List<String> invalid = new ArrayList<>();
        List<RouteConfig> routes = old.routeConfigs();
        if (r.route_configs() != null) {
            Set<String> known = new HashSet<>();
            old.routeConfigs().forEach(rc -> known.add(rc.path()));
            if (r.route_configs().isEmpty()) invalid.add("route_configs");
            checkRoutes(r.route_configs(), known, invalid);
            routes = r.route_configs();
        }
        String auth = old.authenticationParam();
        if (AdminRequest.present(json, "authentication_param")) {
            auth = checkedAuthParam(r.authentication_param());
        }
        if (!invalid.isEmpty()) throw AdminError.validation("empty fields in provider: " + String.join(", ", invalid));
        CustomProvider p = new CustomProvider(old.id(), old.createdAt(), clock.instant().getEpochSecond(), old.provider(), routes, auth);
        providers.update(p);
        live.changed();
        return AdminReply.ok(p);
    }

    /** Rules of §3.6 step 4; {@code known} paths (on update) may omit the fields they already had. */
    private static void checkRoutes(List<RouteConfig> routes, Set<String> known, List<String> invalid) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < routes.size(); i++) {
            RouteConfig rc = routes.get(i);
            String f = "route_configs.[" + i + "].";
            if (rc == null) {
                invalid.add(f + "path");
                continue;
            }
            if (hasWhitespace(rc.path())) throw AdminError.validation("route configs path cannot contain white space");
            checkText(rc, f);
            if (rc.streamMaxEmptyMessages() < 0) throw AdminError.validation(f + "stream_max_empty_messages cannot be negative");
            if (!rc.path().isEmpty() && !rc.path().startsWith("/")) throw AdminError.validation("route configs path must start with \"/\"");
            if (!rc.path().isEmpty() && !seen.add(rc.path())) throw AdminError.validation("route configs cannot contain duplicated paths");
            if (!rc.streamLocation().isEmpty()) {
                if (rc.streamEndWord().isEmpty()) invalid.add(f + "stream_end_word");
                if (rc.streamResponseCompletionLocation().isEmpty()) invalid.add(f + "stream_response_completion_location");
            }
            if (rc.path().isEmpty()) invalid.add(f + "path");
            if (known.contains(rc.path()) && rc.targetUrl().isEmpty()) continue;
            if (rc.targetUrl().isEmpty()) invalid.add(f + "target_url");
            else checkUrl(rc.targetUrl(), f + "target_url");
            if (rc.modelLocation().isEmpty()) invalid.add(f + "model_location");
            if (rc.requestPromptLocation().isEmpty()) invalid.add(f + "request_prompt_location");
            if (rc.responseCompletionLocation().isEmpty()) invalid.add(f + "response_completion_location");
        }
    }

    /** Trimmed and lower-cased; "" means the setting's {@code apikey} is the credential. */
    private static String checkedAuthParam(String param) {
        String auth = param.trim();
        if (hasWhitespace(auth)) throw AdminError.validation("authentication_param cannot contain white space");
        auth = auth.toLowerCase(Locale.ROOT);
        if (!auth.isEmpty() && !AUTH_PARAM.matcher(auth).matches()) {
            throw AdminError.validation("authentication_param must be at most 64 characters a-z, 0-9, '.', '_' or '-'");
        }
        return auth;
    }

    private static void checkUrl(String url, String field) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null) return;
        } catch (java.net.URISyntaxException ignored) {
            // reported below
        }
        throw AdminError.validation(field + " must be an absolute http or https URL");
    }

    /** Every text of a route config is bounded and free of control characters (they would reach URLs and logs). */
    private static void checkText(RouteConfig rc, String f) {
        Map<String, String> texts = Map.of("path", rc.path(), "target_url", rc.targetUrl(), "stream_location", rc.streamLocation(),
                "model_location", rc.modelLocation(), "request_prompt_location", rc.requestPromptLocation(),
                "response_completion_location", rc.responseCompletionLocation(), "stream_end_word", rc.streamEndWord(),
                "stream_response_completion_location", rc.streamResponseCompletionLocation());
        for (var e : new java.util.TreeMap<>(texts).entrySet()) {
            if (e.getValue().length() > MAX_ROUTE_TEXT || e.getValue().chars().anyMatch(Character::isISOControl)) {
                throw AdminError.validation(f + e.getKey() + " must be at most " + MAX_ROUTE_TEXT + " characters without control characters");
            }
        }
    }

    private static boolean hasWhitespace(String s) {
        return s != null && s.chars().anyMatch(Character::isWhitespace);
    }
}
