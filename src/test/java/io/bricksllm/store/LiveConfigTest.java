package io.bricksllm.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bricksllm.testing.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy's in-memory view: changes are visible right after reload(), never half-applied. */
class LiveConfigTest {
    private Database db;
    private KeyRepository keys;
    private ProviderSettingRepository settings;
    private LiveConfig live;

    @BeforeEach
    void open() {
        db = TestDatabases.sqlite();
        keys = new KeyRepository(db);
        settings = new ProviderSettingRepository(db);
        live = new LiveConfig(keys, settings);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static ApiKey key(String id, String storedSecret, boolean notHashed, String settingId, List<String> settingIds) {
        return new ApiKey("k", 1, 1, null, id, false, storedSecret, "", 0, 0, "", 0, "", "", settingId, null, settingIds,
                false, false, false, "", notHashed);
    }

    private static ProviderSetting setting(String id, long createdAt) {
        return new ProviderSetting(id, createdAt, createdAt, "openai", Map.of("apikey", "sk-" + id), id, null, null);
    }

    @Test
    void startsEmpty() {
        assertThat(live.current()).isSameAs(ConfigSnapshot.EMPTY);
        assertThat(live.current().keyForSecret("anything")).isEmpty();
    }

    @Test
    void hashedKeyIsFoundByItsSecretRightAfterReload() {
        live.reload();
        keys.insert(key("k1", SecretHash.sha256Hex("sk-gateway-1"), false, "s", List.of()));
        assertThat(live.current().keyForSecret("sk-gateway-1")).as("not before reload").isEmpty();
        live.reload();
        assertThat(live.current().keyForSecret("sk-gateway-1")).map(ApiKey::keyId).contains("k1");
        assertThat(live.current().keysById()).containsKey("k1");
    }

    @Test
    void storedHashOfAHashedKeyIsNotItselfAValidSecret() {
        String hash = SecretHash.sha256Hex("sk-gateway-1");
        keys.insert(key("k1", hash, false, "s", List.of()));
        live.reload();
        assertThat(live.current().keyForSecret(hash)).isEmpty();
    }

    @Test
    void unhashedKeyIsFoundByItsRawSecretOnly() {
        keys.insert(key("raw", "sk-raw-secret", true, "s", List.of()));
        live.reload();
        assertThat(live.current().keyForSecret("sk-raw-secret")).map(ApiKey::keyId).contains("raw");
        assertThat(live.current().keyForSecret(SecretHash.sha256Hex("sk-raw-secret"))).isEmpty();
    }

    @Test
    void rawSecretThatLooksLikeAHashDoesNotUnlockAHashedKey() {
        // A hashed key is only reachable through its secret, never through an unhashed lookup of the hash.
        String secret = "sk-real";
        keys.insert(key("hashed", SecretHash.sha256Hex(secret), false, "s", List.of()));
        keys.insert(key("raw", "other-raw", true, "s", List.of()));
        live.reload();
        assertThat(live.current().keyForSecret(secret)).map(ApiKey::keyId).contains("hashed");
        assertThat(live.current().keyForSecret("other-raw")).map(ApiKey::keyId).contains("raw");
        assertThat(live.current().keyForSecret(SecretHash.sha256Hex(secret))).isEmpty();
    }

    /** Issue 19.6: the previous secret authenticates until its expiry, judged at the instant asked about. */
    @Test
    void aRotatedKeysPreviousSecretIsFoundUntilItsExpiryWithoutAReload() {
        ApiKey k = key("rot", SecretHash.sha256Hex("sk-new"), false, "s", List.of())
                .rotated(SecretHash.sha256Hex("sk-new"), SecretHash.sha256Hex("sk-old"), 1_000, 900);
        keys.insert(k);
        live.reload();
        ConfigSnapshot s = live.current();
        java.time.Instant expiry = java.time.Instant.ofEpochSecond(1_000);
        assertThat(s.keyForSecret("sk-old", expiry.minusNanos(1))).map(ApiKey::keyId).contains("rot");
        assertThat(s.keyForSecret("sk-old", expiry)).isEmpty();
        assertThat(s.keyForSecret("sk-new", expiry.plusSeconds(10_000))).map(ApiKey::keyId).contains("rot");
        assertThat(s.keyForSecret("sk-old")).as("not the current secret").isEmpty();
        assertThat(s.isGatewaySecret("sk-old")).as("still never forwarded upstream").isTrue();
        assertThat(s.isGatewaySecret("sk-new")).isTrue();
        assertThat(s.isGatewaySecret("sk-unrelated")).isFalse();
    }

    @Test
    void aCurrentSecretWinsOverAnotherKeysPreviousOne() {
        keys.insert(key("rot", SecretHash.sha256Hex("sk-b"), false, "s", List.of())
                .rotated(SecretHash.sha256Hex("sk-b"), SecretHash.sha256Hex("sk-shared"), 4_000_000_000L, 1));
        keys.insert(key("holder", SecretHash.sha256Hex("sk-shared"), false, "s", List.of()));
        live.reload();
        assertThat(live.current().keyForSecret("sk-shared", java.time.Instant.EPOCH)).map(ApiKey::keyId).contains("holder");
    }

    @Test
    void deletedKeyDisappearsRightAfterReload() {
        keys.insert(key("k1", SecretHash.sha256Hex("sk-1"), false, "s", List.of()));
        live.reload();
        ConfigSnapshot before = live.current();
        keys.delete("k1");
        live.reload();
        assertThat(live.current().keyForSecret("sk-1")).isEmpty();
        assertThat(live.current().keysById()).doesNotContainKey("k1");
        assertThat(before.keyForSecret("sk-1")).as("an old snapshot never changes").isPresent();
    }

    @Test
    void updatedKeyIsSeenWithItsNewValues() {
        keys.insert(key("k1", SecretHash.sha256Hex("sk-1"), false, "s", List.of()));
        live.reload();
        ApiKey revoked = new ApiKey("k", 1, 2, null, "k1", true, SecretHash.sha256Hex("sk-1"), "gone", 0, 0, "", 0, "",
                "", "s", null, null, false, false, false, "", false);
        keys.update(revoked);
        live.reload();
        assertThat(live.current().keyForSecret("sk-1")).contains(revoked);
    }

    @Test
    void settingsOfListsTheLegacySettingIdFirstThenSettingIdsInOrderSkippingMissingOnes() {
        settings.insert(setting("a", 3));
        settings.insert(setting("b", 2));
        settings.insert(setting("c", 1));
        settings.insert(setting("legacy", 4));
        live.reload();
        ConfigSnapshot snap = live.current();
        ApiKey k = key("k", "x", true, "legacy", List.of("b", "missing", "a", "legacy", "c"));
        assertThat(snap.settingsOf(k)).extracting(ProviderSetting::id).containsExactly("legacy", "b", "a", "c");
        assertThat(snap.settingsOf(key("k2", "y", true, "", List.of("c", "a")))).extracting(ProviderSetting::id)
                .containsExactly("c", "a");
        assertThat(snap.settingsOf(key("k3", "z", true, "gone", List.of()))).isEmpty();
    }

    @Test
    void everyReloadHasAHigherVersion() {
        long v1 = live.reload().version();
        long v2 = live.reload().version();
        assertThat(v2).isGreaterThan(v1);
        assertThat(live.current().version()).isEqualTo(v2);
    }

    @Test
    void snapshotMapsCannotBeChanged() {
        keys.insert(key("k1", "s1", true, "s", List.of()));
        live.reload();
        ConfigSnapshot snap = live.current();
        assertThatThrownBy(() -> snap.keysById().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> snap.keysByStoredSecret().put("x", null)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> snap.settingsById().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void concurrentReadersNeverSeeATornSnapshot() throws Exception {
        // Reload n happens after the n-th insert, so a whole snapshot always holds (version - 1) keys, and each
        // key is in both indexes. Readers check that pairing on every read while the writer keeps swapping.
        int writes = 150;
        live.reload();
        long base = live.current().version();
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicLong reads = new AtomicLong();
        CountDownLatch started = new CountDownLatch(3);
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            Thread t = new Thread(() -> {
                long lastVersion = 0;
                started.countDown();
                while (!done.get() || reads.get() == 0) {
                    ConfigSnapshot s = live.current();
                    long expectedKeys = s.version() - base;
                    if (s.version() < lastVersion) problems.add("version went back from " + lastVersion + " to " + s.version());
                    lastVersion = s.version();
                    if (s.keysById().size() != expectedKeys || s.keysByStoredSecret().size() != expectedKeys) {
                        problems.add("version " + s.version() + " has " + s.keysById().size() + "/" + s.keysByStoredSecret().size()
                                + " keys, expected " + expectedKeys);
                    }
                    for (ApiKey k : s.keysById().values()) {
                        if (s.keysByStoredSecret().get(k.key()) != k) problems.add("key " + k.keyId() + " missing by secret");
                        if (s.keyForSecret(k.key()).isEmpty()) problems.add("key " + k.keyId() + " not found");
                    }
                    reads.incrementAndGet();
                }
            });
            t.start();
            readers.add(t);
        }
        started.await(10, TimeUnit.SECONDS);
        for (int i = 1; i <= writes; i++) {
            keys.insert(key("k" + i, "raw-secret-" + i, true, "s", List.of()));
            live.reload();
        }
        done.set(true);
        for (Thread t : readers) t.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(problems).isEmpty();
        assertThat(reads.get()).isPositive();
        assertThat(live.current().keysById()).hasSize(writes);
    }
}
