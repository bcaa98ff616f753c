package io.bricksllm.admin;

import static io.bricksllm.admin.AdminAssertions.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.store.ApiKey;
import io.bricksllm.store.ProviderSetting;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.AdminClient.Reply;
import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestDatabases.Kind;
import io.bricksllm.testing.TestGateway;
import io.bricksllm.config.PostgresSettings;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Admin writes that race each other: no change is lost, duplicates are refused, nothing answers 5xx. */
class AdminConcurrencyTest {
    static final Map<Kind, TestGateway> GATEWAYS = new EnumMap<>(Kind.class);
    static final ExecutorService POOL = Executors.newFixedThreadPool(8);

    @BeforeAll
    static void start() {
        GATEWAYS.put(Kind.SQLITE, TestGateway.start());
        PostgresSettings pg = TestDatabases.freshPostgres();
        GATEWAYS.put(Kind.POSTGRES, TestGateway.start(Map.of("POSTGRESQL_HOSTS", pg.host(), "POSTGRESQL_PORT",
                String.valueOf(pg.port()), "POSTGRESQL_DB_NAME", pg.database(), "POSTGRESQL_USERNAME", pg.username())));
    }

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
        GATEWAYS.values().forEach(TestGateway::close);
    }

    /** Runs all calls at once (released together by a latch) and returns their replies. */
    static List<Reply> together(List<Callable<Reply>> calls) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Reply>> futures = new ArrayList<>();
        for (Callable<Reply> c : calls) futures.add(POOL.submit(() -> {
            go.await();
            return c.call();
        }));
        go.countDown();
        List<Reply> out = new ArrayList<>();
        for (Future<Reply> f : futures) out.add(f.get());
        return out;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void concurrentPatchesOfDifferentFieldsAreAllKept(Kind kind) throws Exception {
        TestGateway gw = GATEWAYS.get(kind);
        AdminClient admin = gw.admin;
        String setting = admin.createSetting("openai", Map.of("apikey", "sk-upstream-0123456789"));
        for (int round = 0; round < 25; round++) {
            String id = admin.createKey("""
                    {"name":"before","key":"%s","settingId":"%s"}""".formatted(unique("sk"), setting)).get("keyId").asText();
            String path = "/api/key-management/keys/" + id;
            List<Reply> replies = together(List.of(
                    () -> admin.patch(path, "{\"revoked\":true,\"revokedReason\":\"compromised\"}"),
                    () -> admin.patch(path, "{\"name\":\"after\"}"),
                    () -> admin.patch(path, "{\"tags\":[\"t\"]}"),
                    () -> admin.patch(path, "{\"rateLimitOverTime\":5,\"rateLimitUnit\":\"m\"}")));
            assertThat(replies).allSatisfy(r -> assertThat(r.status()).as("%s", r).isEqualTo(200));
            ApiKey k = gw.gateway().liveConfig().current().keysById().get(id);
            assertThat(k.revoked()).as("round %d: revocation kept", round).isTrue();
            assertThat(k.revokedReason()).isEqualTo("compromised");
            assertThat(k.name()).as("round %d: rename kept", round).isEqualTo("after");
            assertThat(k.tags()).containsExactly("t");
            assertThat(k.rateLimitOverTime()).isEqualTo(5);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void concurrentSettingPatchesOfDifferentEntriesAreAllKept(Kind kind) throws Exception {
        TestGateway gw = GATEWAYS.get(kind);
        AdminClient admin = gw.admin;
        for (int round = 0; round < 25; round++) {
            String id = admin.createSetting("openai", Map.of("apikey", "sk-old-0123456789"));
            String path = "/api/provider-settings/" + id;
            List<Reply> replies = together(List.of(
                    () -> admin.patch(path, "{\"setting\":{\"apikey\":\"sk-new-0123456789\"}}"),
                    // a patched setting is validated alone (BEHAVIOUR.md §3.5.4), so it carries the apikey; merging
                    // must still keep the url whichever of the two lands last
                    () -> admin.patch(path, "{\"setting\":{\"apikey\":\"sk-new-0123456789\",\"url\":\"https://proxy.example/v1\"}}"),
                    () -> admin.patch(path, "{\"allowedModels\":[\"gpt-4o\"]}")));
            assertThat(replies).allSatisfy(r -> assertThat(r.status()).as("%s", r).isEqualTo(200));
            ProviderSetting s = gw.gateway().liveConfig().current().settingsById().get(id);
            assertThat(s.setting()).as("round %d", round)
                    .containsEntry("apikey", "sk-new-0123456789").containsEntry("url", "https://proxy.example/v1");
            assertThat(s.allowedModels()).containsExactly("gpt-4o");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void concurrentCreatesWithOneSecretMakeOneKey(Kind kind) throws Exception {
        AdminClient admin = GATEWAYS.get(kind).admin;
        String setting = admin.createSetting("openai", Map.of("apikey", "sk-upstream-0123456789"));
        String secret = unique("sk-race");
        List<Callable<Reply>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) calls.add(() -> admin.put("/api/key-management/keys", """
                {"name":"race","key":"%s","settingId":"%s"}""".formatted(secret, setting)));
        List<Integer> statuses = together(calls).stream().map(Reply::status).toList();
        assertThat(statuses).containsOnly(200, 409);
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void patchRacingADeleteNeverResurrectsTheKey(Kind kind) throws Exception {
        TestGateway gw = GATEWAYS.get(kind);
        AdminClient admin = gw.admin;
        String setting = admin.createSetting("openai", Map.of("apikey", "sk-upstream-0123456789"));
        for (int round = 0; round < 15; round++) {
            String id = admin.createKey("""
                    {"name":"n","key":"%s","settingId":"%s"}""".formatted(unique("sk"), setting)).get("keyId").asText();
            String path = "/api/key-management/keys/" + id;
            List<Reply> replies = together(List.of(() -> admin.patch(path, "{\"name\":\"patched\"}"), () -> admin.delete(path)));
            assertThat(replies.get(0).status()).isIn(200, 404);
            assertThat(replies.get(1).status()).isEqualTo(200);
            assertThat(gw.gateway().liveConfig().current().keysById()).doesNotContainKey(id);
        }
    }
}
