package io.bricksllm.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.ApiKey;
import io.bricksllm.store.KeyRepository;
import io.bricksllm.store.LiveConfig;
import io.bricksllm.store.PathConfig;
import io.bricksllm.store.PolicyRepository;
import io.bricksllm.store.ProviderSetting;
import io.bricksllm.store.ProviderSettingRepository;
import io.bricksllm.store.SecretHash;
import io.bricksllm.store.StoreException;
import io.bricksllm.store.TeamRepository;
import io.vertx.core.http.HttpMethod;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/** Gateway keys: create, update, list (v1 and v2), delete (BEHAVIOUR.md §3.4). */
public final class KeyAdmin implements AdminResource {

    record CreateKey(String name, List<String> tags, String key, Double costLimitInUsd, Double costLimitInUsdOverTime,
                     String costLimitInUsdUnit, Integer rateLimitOverTime, String rateLimitUnit, String ttl,
                     String settingId, List<String> settingIds, List<PathConfig> allowedPaths, Boolean shouldLogRequest,
                     Boolean shouldLogResponse, Boolean rotationEnabled, String policyId,
                     @JsonProperty("isKeyNotHashed") Boolean isKeyNotHashed, String teamId, Long tokenLimitOverTime,
                     String tokenLimitUnit, Integer maxConcurrentRequests, String settingStrategy,
                     java.util.Map<String, Integer> settingWeights) {}

    record UpdateKey(String name, List<String> tags, Boolean revoked, String revokedReason, String settingId,
                     List<String> settingIds, Double costLimitInUsd, Double costLimitInUsdOverTime,
                     String costLimitInUsdUnit, Integer rateLimitOverTime, String rateLimitUnit,
                     List<PathConfig> allowedPaths, Boolean shouldLogRequest, Boolean shouldLogResponse,
                     Boolean rotationEnabled, String policyId, @JsonProperty("isKeyNotHashed") Boolean isKeyNotHashed,
                     String teamId, Long tokenLimitOverTime, String tokenLimitUnit, Integer maxConcurrentRequests,
                     String settingStrategy, java.util.Map<String, Integer> settingWeights) {}

    record ListKeysV2(List<String> keyIds, List<String> tags, String name, Boolean revoked, Integer limit, Integer offset,
                      String order, Boolean returnCount) {}

    record KeyPage(List<ApiKey> keys, long count) {}

    private final KeyRepository keys;
    private final ProviderSettingRepository settings;
    private final PolicyRepository policies;
    private final TeamRepository teams;
    private final LiveConfig live;
    private final Clock clock;
    private final KeyRotation rotation = new KeyRotation(new java.security.SecureRandom());

    public KeyAdmin(KeyRepository keys, ProviderSettingRepository settings, PolicyRepository policies, LiveConfig live, Clock clock) {
        this(keys, settings, policies, null, live, clock);
    }

    /** {@code teams} null: no team can be named ({@code teamId} other than "" is refused). */
    public KeyAdmin(KeyRepository keys, ProviderSettingRepository settings, PolicyRepository policies, TeamRepository teams,
                    LiveConfig live, Clock clock) {
        this.teams = teams;
        this.keys = keys;
        this.settings = settings;
        this.policies = policies;
        this.live = live;
        this.clock = clock;
    }

    @Override
    public void register(AdminServer.Routes routes) {
        routes.add(HttpMethod.PUT, "/api/key-management/keys", this::create);
        routes.add(HttpMethod.GET, "/api/key-management/keys", this::listV1);
        routes.add(HttpMethod.POST, "/api/v2/key-management/keys", this::listV2);
        routes.add(HttpMethod.PATCH, "/api/key-management/keys/:id", this::update);
        routes.add(HttpMethod.DELETE, "/api/key-management/keys/:id", this::delete);
        routes.add(HttpMethod.POST, "/api/key-management/keys/:id/rotate", this::rotate);
    }

    AdminReply create(AdminRequest req) {
        JsonNode json = req.json();
        CreateKey r = req.bind(json, CreateKey.class);
        KeyValidation.checkCreate(r);
        boolean notHashed = Boolean.TRUE.equals(r.isKeyNotHashed());
        String stored = notHashed ? r.key() : SecretHash.sha256Hex(r.key());
        String settingId = KeyValidation.str(r.settingId());
        List<String> settingIds = r.settingIds() == null ? List.of() : r.settingIds();
        checkSettingsExist(settingId, settingIds);
        String policyId = KeyValidation.str(r.policyId());
        checkPolicyExists(policyId);
        String teamId = KeyValidation.str(r.teamId());
        checkTeamExists(teamId);
        long now = clock.instant().getEpochSecond();
        if (keys.isPreviousSecretInGrace(SecretHash.sha256Hex(r.key()), now)) {
            throw AdminError.conflict("a key with this secret already exists"); // a rotated key's, in its grace period
        }
        ApiKey key = new ApiKey(r.name(), now, now, r.tags(), UUID.randomUUID().toString(), false, stored, "",
                KeyValidation.num(r.costLimitInUsd()), KeyValidation.num(r.costLimitInUsdOverTime()),
                KeyValidation.str(r.costLimitInUsdUnit()), (int) KeyValidation.num(r.rateLimitOverTime()),
                KeyValidation.str(r.rateLimitUnit()), KeyValidation.str(r.ttl()), settingId, r.allowedPaths(), settingIds,
                Boolean.TRUE.equals(r.shouldLogRequest()), Boolean.TRUE.equals(r.shouldLogResponse()),
                Boolean.TRUE.equals(r.rotationEnabled()), policyId, notHashed).withTeamId(teamId)
                .withTokenLimit((long) KeyValidation.num(r.tokenLimitOverTime()), KeyValidation.str(r.tokenLimitUnit()))
                .withMaxConcurrentRequests((int) KeyValidation.num(r.maxConcurrentRequests()))
                .withSettingStrategy(KeyValidation.str(r.settingStrategy()), r.settingWeights());
        SettingStrategyValidation.check(key);
        try {
            keys.insert(key);
        } catch (StoreException e) {
            if (e.uniqueViolation()) throw AdminError.conflict("a key with this secret already exists");
            throw e;
        }
        live.changed();
        return AdminReply.ok(key);
    }

    AdminReply update(AdminRequest req) {
        String id = req.pathParam("id");
        JsonNode json = req.json();
        UpdateKey r = req.bind(json, UpdateKey.class);
        KeyValidation.checkUpdate(r, f -> AdminRequest.present(json, f));
        Supplier<AdminError> notFound = () -> AdminError.notFound("update key failed", "key not found for id: " + id);
        if (keys.findById(id).isEmpty()) throw notFound.get(); // 404 before the reference checks, as in the original
        boolean settingIdGiven = !KeyValidation.blank(r.settingId());
        boolean settingIdsGiven = r.settingIds() != null && !r.settingIds().isEmpty();
        if (settingIdGiven || settingIdsGiven) {
            checkSettingsExist(settingIdGiven ? r.settingId() : "", settingIdsGiven ? r.settingIds() : List.of());
        }
        if (r.policyId() != null) checkPolicyExists(r.policyId());
        if (r.teamId() != null) checkTeamExists(r.teamId());
        boolean allowedPathsGiven = AdminRequest.present(json, "allowedPaths");
        long now = clock.instant().getEpochSecond();
        ApiKey updated;
        try {
            // merged with the row as it is inside the transaction, so a concurrent patch is never undone
            updated = keys.update(id, old -> SettingStrategyValidation.check(merge(old, r, settingIdGiven, settingIdsGiven, allowedPathsGiven, now)))
                    .orElseThrow(notFound);
        } catch (StoreException e) {
            if (e.uniqueViolation()) throw AdminError.conflict("a key with this secret already exists");
            throw e;
        }
        live.changed();
        return AdminReply.ok(updated);
    }

    /** §3.4.3 step 10: present (or non-empty) fields replace the stored ones. */
    private static ApiKey merge(ApiKey old, UpdateKey r, boolean settingIdGiven, boolean settingIdsGiven,
                                boolean allowedPathsGiven, long now) {
        boolean revoked = r.revoked() != null ? r.revoked() : old.revoked();
        String reason = old.revokedReason();
        if (r.revoked() != null) reason = r.revoked() ? KeyValidation.str(r.revokedReason()) : "";
        String secret = old.key();
        boolean notHashed = old.isKeyNotHashed();
        if (Boolean.FALSE.equals(r.isKeyNotHashed()) && old.isKeyNotHashed()) {
            // Converting a raw key to hashed form; an already hashed key is left alone (original bug §15.30).
            secret = SecretHash.sha256Hex(old.key());
            notHashed = false;
        }
        return new ApiKey(
                KeyValidation.blank(r.name()) ? old.name() : r.name(),
                old.createdAt(), now,
                r.tags() != null && !r.tags().isEmpty() ? r.tags() : old.tags(),
                old.keyId(), revoked, secret, reason,
                r.costLimitInUsd() != null ? r.costLimitInUsd() : old.costLimitInUsd(),
                r.costLimitInUsdOverTime() != null ? r.costLimitInUsdOverTime() : old.costLimitInUsdOverTime(),
                r.costLimitInUsdUnit() != null ? r.costLimitInUsdUnit() : old.costLimitInUsdUnit(),
                r.rateLimitOverTime() != null ? r.rateLimitOverTime() : old.rateLimitOverTime(),
                r.rateLimitUnit() != null ? r.rateLimitUnit() : old.rateLimitUnit(),
                old.ttl(),
                settingIdGiven ? r.settingId() : (settingIdsGiven ? "" : old.settingId()),
                allowedPathsGiven ? r.allowedPaths() : old.allowedPaths(),
                settingIdsGiven ? r.settingIds() : (settingIdGiven ? List.of() : old.settingIds()),
                r.shouldLogRequest() != null ? r.shouldLogRequest() : old.shouldLogRequest(),
                r.shouldLogResponse() != null ? r.shouldLogResponse() : old.shouldLogResponse(),
                r.rotationEnabled() != null ? r.rotationEnabled() : old.rotationEnabled(),
                r.policyId() != null ? r.policyId() : old.policyId(),
                notHashed, old.previousKey(), old.previousKeyExpiresAt(), old.rotatedAt(),
                r.teamId() != null ? r.teamId() : old.teamId(),
                // the token pair was checked to come together
                r.tokenLimitOverTime() != null ? r.tokenLimitOverTime() : old.tokenLimitOverTime(),
                r.tokenLimitUnit() != null ? r.tokenLimitUnit() : old.tokenLimitUnit(),
                r.maxConcurrentRequests() != null ? r.maxConcurrentRequests() : old.maxConcurrentRequests(),
                r.settingStrategy() != null ? r.settingStrategy() : old.settingStrategy(),
                r.settingWeights() != null ? r.settingWeights() : old.settingWeights());
    }

    /**
     * Issue 19.6: a new secret for the same key (id, limits, spend); the previous one keeps authenticating for the
     * grace period. Only one previous secret is kept: rotating again during a grace period replaces it, so the
     * secret before that stops at once. A generated secret is in the answer's {@code key} field, the only time it
     * is ever shown; a supplied one is never echoed (the answer shows its hash, as every key object does).
     */
    AdminReply rotate(AdminRequest req) {
        String id = req.pathParam("id");
        KeyRotation.Request r = KeyRotation.parse(req);
        String secret = r.secret() != null ? r.secret() : rotation.generate();
        java.time.Instant now = clock.instant();
        ApiKey rotated;
        try {
            rotated = keys.rotate(id, secret, now.getEpochSecond(), old -> rotation.apply(old, secret, r.gracePeriod(), now))
                    .orElseThrow(() -> AdminError.notFound("rotate key failed", "key not found for id: " + id));
        } catch (StoreException e) {
            if (e.uniqueViolation()) throw AdminError.conflict("a key with this secret already exists");
            throw e;
        }
        live.changed();
        return AdminReply.ok(r.secret() != null ? rotated : KeyRotation.showingSecret(rotated, secret));
    }

    AdminReply listV1(AdminRequest req) {
        Set<String> tags = new LinkedHashSet<>();
        String tag = req.queryFirst("tag");
        if (tag != null && !tag.isEmpty()) tags.add(tag);
        tags.addAll(req.queryAll("tags"));
        List<String> keyIds = req.queryAll("keyIds");
        String provider = req.queryFirst("provider");
        boolean hasProvider = provider != null && !provider.isEmpty();
        if (tags.isEmpty() && keyIds.isEmpty() && !hasProvider) {
            throw AdminError.missingFilters("filters are missing from the request url. it is required for retrieving keys.");
        }
        List<ApiKey> out = new ArrayList<>();
        var snapshot = live.current();
        for (ApiKey k : keys.findAll()) {
            if (!k.tags().containsAll(tags)) continue;
            if (!keyIds.isEmpty() && !keyIds.contains(k.keyId())) continue;
            if (hasProvider && snapshot.settingsOf(k).stream().map(ProviderSetting::provider).noneMatch(provider::equals)) {
                continue;
            }
            out.add(k);
        }
        return AdminReply.ok(out);
    }

    AdminReply listV2(AdminRequest req) {
        ListKeysV2 r = req.bind(req.json(), ListKeysV2.class);
        String order = KeyValidation.str(r.order()).toLowerCase(Locale.ROOT);
        if (!order.isEmpty() && !order.equals("asc") && !order.equals("desc")) {
            throw AdminError.validation("get keys request order can only be desc or asc");
        }
        int limit = r.limit() == null ? 0 : r.limit();
        int offset = r.offset() == null ? 0 : r.offset();
        if (limit < 0 || offset < 0) throw KeyValidation.fieldsInvalid(limit < 0 ? List.of("limit") : List.of("offset"));
        List<String> tags = r.tags() == null ? List.of() : r.tags();
        List<String> keyIds = r.keyIds() == null ? List.of() : r.keyIds();
        String name = KeyValidation.str(r.name()).toLowerCase(Locale.ROOT);
        List<ApiKey> matching = new ArrayList<>();
        for (ApiKey k : keys.findAll()) {
            if (!k.tags().containsAll(tags)) continue;
            if (!keyIds.isEmpty() && !keyIds.contains(k.keyId())) continue;
            if (r.revoked() != null && k.revoked() != r.revoked()) continue;
            if (!name.isEmpty() && !k.name().toLowerCase(Locale.ROOT).contains(name)) continue;
            matching.add(k);
        }
        Comparator<ApiKey> byCreated = Comparator.comparingLong(ApiKey::createdAt).thenComparing(ApiKey::keyId);
        matching.sort(order.equals("asc") ? byCreated : byCreated.reversed());
        List<ApiKey> page = matching;
        if (limit > 0) {
            int from = Math.min(offset, matching.size());
            // long arithmetic: offset + limit near Integer.MAX_VALUE must not wrap into a negative end index
            int to = (int) Math.min((long) from + limit, matching.size());
            page = matching.subList(from, to);
        }
        return AdminReply.ok(new KeyPage(List.copyOf(page), Boolean.TRUE.equals(r.returnCount()) ? matching.size() : 0));
    }

    AdminReply delete(AdminRequest req) {
        keys.delete(req.pathParam("id"));
        live.changed();
        return AdminReply.emptyOk();
    }

    private void checkSettingsExist(String settingId, List<String> settingIds) {
        if (!settingId.isEmpty() && settings.findById(settingId).isEmpty()) {
            throw AdminError.validation("provider setting is not found: " + settingId);
        }
        List<String> missing = settingIds.stream().filter(id -> settings.findById(id).isEmpty()).toList();
        if (!missing.isEmpty()) throw AdminError.validation("provider settings are not found: " + String.join(", ", missing));
    }

    /** "" = no team; any other id must name a stored team (400 naming {@code teamId}). */
    private void checkTeamExists(String teamId) {
        if (!teamId.isEmpty() && (teams == null || teams.findById(teamId).isEmpty())) {
            throw AdminError.validation("team is not found for teamId: " + teamId);
        }
    }

    private void checkPolicyExists(String policyId) {
        if (!policyId.isEmpty() && !policies.exists(policyId)) {
            throw AdminError.validation("policy is not found for id: " + policyId);
        }
    }
}
