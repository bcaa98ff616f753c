package io.bricksllm.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestDatabases.Kind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The provider_settings table (and the small custom-provider and policy lookups) on both databases. */
class ProviderSettingRepositoryTest {
    private Database db;

    private ProviderSettingRepository open(Kind kind) {
        db = TestDatabases.open(kind);
        return new ProviderSettingRepository(db);
    }

    @AfterEach
    void close() {
        if (db != null) db.close();
    }

    static final CostMap PRICES = new CostMap(Map.of("gpt-4o", 0.005, "tiny", 1e-7), Map.of("gpt-4o", 0.015),
            Map.of("text-embedding-3-small", 0.00002));

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyFieldRoundTripsWithACostMap(Kind kind) {
        ProviderSettingRepository settings = open(kind);
        ProviderSetting s = new ProviderSetting("s1", 100, 200, "azure",
                Map.of("apikey", "azure-secret", "resourceName", "res", "url", "https://x.example"), "my azure",
                List.of("gpt-4o", "gpt-4o-mini"), PRICES);
        settings.insert(s);
        assertThat(settings.findById("s1")).contains(s);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void absentCostMapStaysNullAndEmptyCostMapStaysPresent(Kind kind) {
        ProviderSettingRepository settings = open(kind);
        settings.insert(new ProviderSetting("none", 1, 1, "openai", Map.of("apikey", "k"), null, null, null));
        settings.insert(new ProviderSetting("empty", 2, 2, "openai", Map.of("apikey", "k"), "", List.of(),
                new CostMap(null, null, null)));
        ProviderSetting none = settings.findById("none").orElseThrow();
        assertThat(none.costMap()).isNull();
        assertThat(none.name()).isEmpty();
        assertThat(none.allowedModels()).isEmpty();
        assertThat(settings.findById("empty").orElseThrow().costMap()).isEqualTo(new CostMap(Map.of(), Map.of(), Map.of()));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void updateReplacesSettingNameModelsAndPricesButNotProviderOrCreation(Kind kind) {
        ProviderSettingRepository settings = open(kind);
        settings.insert(new ProviderSetting("s", 1, 1, "openai", Map.of("apikey", "old"), "old", List.of("a"), PRICES));
        ProviderSetting changed = new ProviderSetting("s", 1, 9, "openai", Map.of("apikey", "new", "url", "http://h"), "new",
                List.of(), null);
        settings.update(changed);
        assertThat(settings.findById("s")).contains(changed);
        settings.update(new ProviderSetting("s", 999, 10, "anthropic", Map.of("apikey", "n"), "n", List.of(), null));
        ProviderSetting read = settings.findById("s").orElseThrow();
        assertThat(read.provider()).isEqualTo("openai");
        assertThat(read.createdAt()).isEqualTo(1);
        assertThat(read.updatedAt()).isEqualTo(10);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void concurrentChangesOfOneSettingAreMerged(Kind kind) throws Exception {
        ProviderSettingRepository settings = open(kind);
        settings.insert(new ProviderSetting("s", 1, 1, "openai", Map.of("apikey", "k"), "", null, null));
        int writers = 12;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String field = "f" + w;
                done.add(pool.submit(() -> {
                    go.await();
                    settings.update("s", old -> {
                        Map<String, String> m = new java.util.HashMap<>(old.setting());
                        m.put(field, "v");
                        return new ProviderSetting(old.id(), old.createdAt(), 2, old.provider(), m, old.name(),
                                old.allowedModels(), old.costMap());
                    });
                    return null;
                }));
            }
            go.countDown();
            for (var f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(settings.findById("s").orElseThrow().setting()).hasSize(writers + 1);
        assertThat(settings.update("absent", s -> s)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void findAllIsOrderedByCreation(Kind kind) {
        ProviderSettingRepository settings = open(kind);
        settings.insert(new ProviderSetting("late", 50, 50, "openai", Map.of("apikey", "k"), "", null, null));
        settings.insert(new ProviderSetting("early", 5, 5, "openai", Map.of("apikey", "k"), "", null, null));
        assertThat(settings.findAll()).extracting(ProviderSetting::id).containsExactly("early", "late");
        assertThat(settings.findById("absent")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void sqlInTextFieldsIsStoredAsText(Kind kind) {
        ProviderSettingRepository settings = open(kind);
        String evil = "'); DROP TABLE provider_settings; --";
        ProviderSetting s = new ProviderSetting("inj", 1, 1, evil, Map.of(evil, evil), evil, List.of(evil),
                new CostMap(Map.of(evil, 1.0), null, null));
        settings.insert(s);
        assertThat(settings.findById("inj")).contains(s);
        assertThat(settings.findById(evil)).isEmpty();
        assertThat(settings.findAll()).hasSize(1);
        assertThat(new CustomProviderRepository(db).authenticationParamOf(evil)).isEmpty();
        assertThat(new PolicyRepository(db).exists(evil)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void customProviderAuthParamIsFoundByLowerCasedName(Kind kind) {
        open(kind);
        db.update("INSERT INTO custom_providers (id, created_at, updated_at, provider, route_configs, authentication_param)"
                + " VALUES (?,?,?,?,?,?)", "cp1", 1, 1, "acme", "[]", "x-acme-key");
        db.update("INSERT INTO custom_providers (id, created_at, updated_at, provider, route_configs) VALUES (?,?,?,?,?)",
                "cp2", 1, 1, "open", "[]");
        CustomProviderRepository custom = new CustomProviderRepository(db);
        assertThat(custom.authenticationParamOf("acme")).contains("x-acme-key");
        assertThat(custom.authenticationParamOf("ACME")).contains("x-acme-key");
        assertThat(custom.authenticationParamOf("open")).contains("");
        assertThat(custom.authenticationParamOf("other")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void policyExistsOnlyForStoredIds(Kind kind) {
        open(kind);
        db.update("INSERT INTO policies (id, created_at, updated_at, name, config, regex_config, custom_config)"
                + " VALUES (?,?,?,?,?,?,?)", "p1", 1, 1, "pol", "{}", "{}", "{}");
        PolicyRepository policies = new PolicyRepository(db);
        assertThat(policies.exists("p1")).isTrue();
        assertThat(policies.exists("p2")).isFalse();
    }
}
