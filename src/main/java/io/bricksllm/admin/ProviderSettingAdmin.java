package io.bricksllm.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.provider.Provider;
import io.bricksllm.provider.Providers;
import io.bricksllm.provider.SettingFields;
import io.bricksllm.store.CostMap;
import io.bricksllm.store.CustomProviderRepository;
import io.bricksllm.store.LiveConfig;
import io.bricksllm.store.ProviderSetting;
import io.bricksllm.store.ProviderSettingRepository;
import io.bricksllm.store.SecretMasking;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Provider settings: create, read, update (BEHAVIOUR.md §3.5). The fields a setting must and may hold are its
 * provider's ({@link Provider#settingFields}), or a custom provider's one credential; every field the provider does
 * not show in clear is masked on every read; the optional {@code url} entry replaces the provider's default base URL
 * (DECISIONS.md).
 */
public final class ProviderSettingAdmin implements AdminResource {

    record CreateSetting(String provider, Map<String, String> setting, String name, List<String> allowedModels, CostMap costMap) {}

    record UpdateSetting(Map<String, String> setting, String name, List<String> allowedModels, CostMap costMap) {}

    private final ProviderSettingRepository settings;
    private final CustomProviderRepository customProviders;
    private final Providers providers;
    private final LiveConfig live;
    private final Clock clock;

    /** {@code providers}: the built-in providers, whose names win over a custom provider's. */
    public ProviderSettingAdmin(ProviderSettingRepository settings, CustomProviderRepository customProviders,
                                Providers providers, LiveConfig live, Clock clock) {
        this.settings = settings;
        this.customProviders = customProviders;
        this.providers = providers;
        this.live = live;
        this.clock = clock;
    }

    /** Whose fields a setting holds: a built-in provider's, or a custom provider's with its authentication parameter. */
    private record Fields(SettingFields fields, Optional<String> customAuthParam) {}

    @Override
    public void register(AdminServer.Routes routes) {
        routes.add(HttpMethod.PUT, "/api/provider-settings", this::create);
        routes.add(HttpMethod.GET, "/api/provider-settings", this::get);
        routes.add(HttpMethod.PATCH, "/api/provider-settings/:id", this::update);
    }

    AdminReply create(AdminRequest req) {
        CreateSetting r = req.bind(req.json(), CreateSetting.class);
        String provider = r.provider() == null ? "" : r.provider().trim();
        if (provider.isEmpty()) throw AdminError.validation("provider field cannot be empty");
        Map<String, String> setting = r.setting() == null ? Map.of() : r.setting();
        Fields fields = fieldsOf(provider);
        checkSetting(provider, fields, setting);
        checkName(r.name());
        checkModelsAndPrices(r.allowedModels(), r.costMap());
        long now = clock.instant().getEpochSecond();
        ProviderSetting s = new ProviderSetting(UUID.randomUUID().toString(), now, now, provider, setting, r.name(),
                r.allowedModels(), r.costMap());
        settings.insert(s);
        live.changed();
        return AdminReply.ok(SecretMasking.mask(s, fields.fields().shown()));
    }

    AdminReply get(AdminRequest req) {
        List<String> ids = req.queryAll("ids");
        List<ProviderSetting> found;
        if (ids.isEmpty()) {
            // The original answers [] here; listing every setting is what an operator expects.
            found = settings.findAll();
        } else {
            found = new ArrayList<>();
            for (String id : ids) {
                found.add(settings.findById(id).orElseThrow(() -> AdminError.notFound("provider setting is not found: " + id)));
            }
        }
        return AdminReply.ok(found.stream().map(s -> SecretMasking.mask(s, shownFieldsOf(s.provider()))).toList());
    }

    AdminReply update(AdminRequest req) {
        String id = req.pathParam("id");
        JsonNode json = req.json();
        UpdateSetting r = req.bind(json, UpdateSetting.class);
        Supplier<AdminError> notFound = () -> AdminError.notFound("provider setting is not found");
        ProviderSetting current = settings.findById(id).orElseThrow(notFound);
        checkName(r.name());
        checkModelsAndPrices(r.allowedModels(), r.costMap());
        Fields fields = fieldsOf(current.provider()); // the provider never changes, so this holds in the transaction
        // BEHAVIOUR.md §3.5.4: a non-empty setting is checked on its own, before it is merged over the stored one
        boolean settingGiven = r.setting() != null && !r.setting().isEmpty();
        if (settingGiven) checkSetting(current.provider(), fields, r.setting());
        boolean nameGiven = AdminRequest.present(json, "name");
        boolean modelsGiven = AdminRequest.present(json, "allowedModels");
        boolean pricesGiven = AdminRequest.present(json, "costMap");
        long now = clock.instant().getEpochSecond();
        // merged with the row as it is inside the transaction, so concurrent partial updates are all kept
        ProviderSetting s = settings.update(id, old -> {
            Map<String, String> merged = new LinkedHashMap<>(old.setting());
            if (settingGiven) merged.putAll(r.setting());
            return new ProviderSetting(old.id(), old.createdAt(), now, old.provider(), merged,
                    nameGiven ? r.name() : old.name(),
                    modelsGiven ? r.allowedModels() : old.allowedModels(),
                    pricesGiven ? r.costMap() : old.costMap());
        }).orElseThrow(notFound);
        live.changed();
        return AdminReply.ok(SecretMasking.mask(s, fields.fields().shown()));
    }

    /** The fields of a built-in provider's setting, else of a custom provider's; an unknown provider is refused. */
    private Fields fieldsOf(String provider) {
        Optional<Provider> builtIn = providers.get(provider);
        if (builtIn.isPresent()) return new Fields(builtIn.get().settingFields(), Optional.empty());
        String authParam = customProviders.authenticationParamOf(provider)
                .orElseThrow(() -> AdminError.validation("provider " + provider + " is not supported"));
        return new Fields(SettingFields.custom(authParam), Optional.of(authParam));
    }

    /**
     * The fields shown in clear for a stored setting: none for a custom provider's (its one field is its credential),
     * nor for a provider that is gone.
     */
    private Set<String> shownFieldsOf(String provider) {
        return providers.get(provider).map(p -> p.settingFields().shown()).orElse(Set.of());
    }

    /** Checks the setting map for its provider (BEHAVIOUR.md §3.5.2, plus the url rule of DECISIONS.md). */
    private static void checkSetting(String provider, Fields fields, Map<String, String> setting) {
        List<String> missing = fields.fields().missing(setting);
        if (!missing.isEmpty()) {
            throw AdminError.validation(fields.customAuthParam()
                    .map(param -> "provider " + provider + " is missing value for field " + param)
                    .orElseGet(() -> "provider " + provider + " is missing fields " + String.join(",", missing)));
        }
        List<String> unknown = fields.fields().unknown(setting);
        if (!unknown.isEmpty()) {
            throw AdminError.validation("provider " + provider + " does not accept setting fields [" + String.join(", ", unknown)
                    + "]; it accepts " + String.join(", ", fields.fields().accepted().stream().sorted().toList()));
        }
        String url = setting.get("url");
        if (url != null && !url.isEmpty()) checkUrl(url);
    }

    private static void checkUrl(String url) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null && u.getQuery() == null) return;
        } catch (URISyntaxException ignored) {
            // reported below
        }
        throw AdminError.validation("setting.url must be an absolute http or https URL without a query string");
    }

    private static void checkName(String name) {
        if (name != null && name.length() > KeyValidation.MAX_NAME) throw KeyValidation.fieldsInvalid(List.of("name"));
    }

    private static void checkModelsAndPrices(List<String> allowedModels, CostMap costMap) {
        if (allowedModels != null && allowedModels.stream().anyMatch(ProviderSettingAdmin::isBlank)) {
            throw KeyValidation.fieldsInvalid(List.of("allowedModels"));
        }
        if (costMap != null) {
            for (var m : List.of(costMap.promptCostPerModel(), costMap.completionCostPerModel(), costMap.embeddingsCostPerModel())) {
                for (var e : m.entrySet()) {
                    if (e.getValue() == null || e.getValue() < 0 || e.getValue().isNaN() || e.getValue().isInfinite()) {
                        throw AdminError.validation("costMap price for model " + e.getKey() + " must be a non-negative number");
                    }
                }
            }
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
