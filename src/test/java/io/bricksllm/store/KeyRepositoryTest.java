package io.bricksllm.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestDatabases.Kind;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The keys table on both real databases: every field survives a round trip, secrets stay unique. */
class KeyRepositoryTest {
    static final String INJECTION = "x'); DROP TABLE keys; --";

    private Database db;

    private KeyRepository open(Kind kind) {
        db = TestDatabases.open(kind);
        return new KeyRepository(db);
    }

    @AfterEach
    void close() {
        if (db != null) db.close();
    }

    static ApiKey full(String keyId, String secret) {
        return new ApiKey("full key", 1_700_000_000L, 1_700_000_100L, List.of("team-a", "prod"), keyId, true, secret,
                "leaked", 12.5, 0.000_001, "mo", 42, "h", "1h30m", "", List.of(new PathConfig("/api/providers/openai/v1/chat/completions", "POST"),
                new PathConfig("/api/providers/openai/v1/models", "GET")), List.of("s1", "s2"), true, true, true, "policy-1", true,
                SecretHash.sha256Hex("previous-" + secret), 1_700_086_500L, 1_700_000_100L)
                .withTokenLimit(20_000_000_000L, "m").withMaxConcurrentRequests(5); // beyond an int: the column is BIGINT
    }

    static ApiKey minimal(String keyId, String secret, long createdAt) {
        return new ApiKey("min", createdAt, createdAt, null, keyId, false, secret, null, 0, 0, null, 0, null, null,
                "legacy-setting", null, null, false, false, false, null, false);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyFieldRoundTrips(Kind kind) {
        KeyRepository keys = open(kind);
        ApiKey k = full(UUID.randomUUID().toString(), "raw-secret-1");
        keys.insert(k);
        assertThat(keys.findById(k.keyId())).contains(k);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void absentOptionalFieldsRoundTripAsEmptyAndNullAllowedPathsStaysNull(Kind kind) {
        KeyRepository keys = open(kind);
        ApiKey k = minimal("k-min", SecretHash.sha256Hex("s"), 10);
        keys.insert(k);
        ApiKey read = keys.findById("k-min").orElseThrow();
        assertThat(read).isEqualTo(k);
        assertThat(read.allowedPaths()).isNull();
        assertThat(read.tags()).isEmpty();
        assertThat(read.settingIds()).isEmpty();
        assertThat(read.settingId()).isEqualTo("legacy-setting");
        assertThat(read.revokedReason()).isEmpty();
        assertThat(read.ttl()).isEmpty();
        assertThat(read.policyId()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void emptyAllowedPathsStaysEmptyNotNull(Kind kind) {
        KeyRepository keys = open(kind);
        ApiKey k = withPaths(minimal("k-empty", "secret-e", 10), List.of());
        keys.insert(k);
        assertThat(keys.findById("k-empty").orElseThrow().allowedPaths()).isNotNull().isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void doublesRoundTripExactly(Kind kind) {
        KeyRepository keys = open(kind);
        double[] values = {0.1, 1e-9, 123456789.123456, 0.30000000000000004, Double.MIN_VALUE, 1e300};
        for (int i = 0; i < values.length; i++) {
            ApiKey k = full("d" + i, "secret-d" + i);
            k = new ApiKey(k.name(), k.createdAt(), k.updatedAt(), k.tags(), k.keyId(), k.revoked(), k.key(), k.revokedReason(),
                    values[i], values[values.length - 1 - i], k.costLimitInUsdUnit(), Integer.MAX_VALUE, k.rateLimitUnit(),
                    k.ttl(), k.settingId(), k.allowedPaths(), k.settingIds(), k.shouldLogRequest(), k.shouldLogResponse(),
                    k.rotationEnabled(), k.policyId(), k.isKeyNotHashed());
            keys.insert(k);
            assertThat(keys.findById(k.keyId())).contains(k);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyBooleanIsStoredIndependently(Kind kind) {
        KeyRepository keys = open(kind);
        for (int mask = 0; mask < 32; mask++) {
            ApiKey b = minimal("b" + mask, "secret-b" + mask, mask);
            b = new ApiKey(b.name(), b.createdAt(), b.updatedAt(), b.tags(), b.keyId(), (mask & 1) != 0, b.key(), "",
                    0, 0, "", 0, "", "", "x", null, List.of(), (mask & 2) != 0, (mask & 4) != 0, (mask & 8) != 0, "",
                    (mask & 16) != 0);
            keys.insert(b);
            assertThat(keys.findById(b.keyId())).contains(b);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void updateReplacesEveryFieldButTheId(Kind kind) {
        KeyRepository keys = open(kind);
        keys.insert(minimal("k-up", "old-secret", 5));
        ApiKey changed = full("k-up", "new-secret");
        keys.update(changed);
        assertThat(keys.findById("k-up")).contains(changed);
        keys.update(minimal("k-up", "old-secret", 6));
        assertThat(keys.findById("k-up")).contains(minimal("k-up", "old-secret", 6));
    }

    /** Issue 19.2: token limit and concurrency cap round-trip, change alone, and rows from before V10 have none. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void tokenLimitAndConcurrencyCapRoundTripAndRowsFromBeforeV10HaveNone(Kind kind) {
        KeyRepository keys = open(kind);
        // a row written as before V10 (no such columns given): their defaults, no limit
        db.update("INSERT INTO keys (key_id, name, created_at, updated_at, secret) VALUES (?,?,?,?,?)", "k-old", "old", 1L, 1L, "s-old");
        ApiKey old = keys.findById("k-old").orElseThrow();
        assertThat(old.tokenLimitOverTime()).isZero();
        assertThat(old.tokenLimitUnit()).isEmpty();
        assertThat(old.maxConcurrentRequests()).isZero();

        ApiKey limited = keys.update("k-old", k -> k.withTokenLimit(Long.MAX_VALUE, "d").withMaxConcurrentRequests(Integer.MAX_VALUE))
                .orElseThrow();
        assertThat(keys.findById("k-old")).contains(limited);
        assertThat(limited.tokenLimitOverTime()).isEqualTo(Long.MAX_VALUE);
        assertThat(limited.tokenLimitUnit()).isEqualTo("d");
        assertThat(limited.maxConcurrentRequests()).isEqualTo(Integer.MAX_VALUE);
        // another field's change keeps them; the rotation keeps them
        keys.update("k-old", k -> k.withTeamId("t"));
        assertThat(keys.findById("k-old").orElseThrow().tokenLimitOverTime()).isEqualTo(Long.MAX_VALUE);
        ApiKey rotated = keys.rotate("k-old", "new", 10, k -> k.rotated(SecretHash.sha256Hex("new"), null, 10, 10)).orElseThrow();
        assertThat(keys.findById("k-old").orElseThrow()).isEqualTo(rotated)
                .extracting(ApiKey::tokenLimitUnit, ApiKey::maxConcurrentRequests).containsExactly("d", Integer.MAX_VALUE);
        keys.update("k-old", k -> k.withTokenLimit(0, "").withMaxConcurrentRequests(0));
        ApiKey cleared = keys.findById("k-old").orElseThrow();
        assertThat(cleared.tokenLimitOverTime()).isZero();
        assertThat(cleared.tokenLimitUnit()).isEmpty();
        assertThat(cleared.maxConcurrentRequests()).isZero();
        assertThat(cleared.teamId()).isEqualTo("t");
    }

    /** Issue 19.6: the previous secret, its expiry and rotatedAt are stored; a later rotation replaces them. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void rotateKeepsOnePreviousSecretAndRefusesASecretAnotherKeyAnswersTo(Kind kind) {
        KeyRepository keys = open(kind);
        keys.insert(minimal("k-rot", SecretHash.sha256Hex("first"), 5));
        keys.insert(minimal("k-other", SecretHash.sha256Hex("taken"), 5));
        keys.insert(withRaw(minimal("k-raw", "raw-taken", 5)));
        ApiKey once = keys.rotate("k-rot", "second", 100, k -> k.rotated(SecretHash.sha256Hex("second"), k.keyHash(), 200, 100))
                .orElseThrow();
        assertThat(keys.findById("k-rot")).contains(once);
        assertThat(once.previousKey()).isEqualTo(SecretHash.sha256Hex("first"));
        ApiKey twice = keys.rotate("k-rot", "third", 150, k -> k.rotated(SecretHash.sha256Hex("third"), k.keyHash(), 300, 150))
                .orElseThrow();
        assertThat(keys.findById("k-rot").orElseThrow().previousKey()).as("only one previous secret")
                .isEqualTo(SecretHash.sha256Hex("second"));
        assertThat(twice.rotatedAt()).isEqualTo(150);
        assertThat(twice.previousKeyExpiresAt()).isEqualTo(300);

        for (String used : List.of("taken", "raw-taken")) {
            assertThatThrownBy(() -> keys.rotate("k-rot", used, 150, k -> k))
                    .isInstanceOf(StoreException.class).matches(e -> ((StoreException) e).uniqueViolation());
        }
        // k-rot's previous secret is "second" until 300: another key may not take it before then, and may after
        assertThatThrownBy(() -> keys.rotate("k-other", "second", 299, k -> k.rotated(SecretHash.sha256Hex("second"), null, 299, 299)))
                .isInstanceOf(StoreException.class).matches(e -> ((StoreException) e).uniqueViolation());
        assertThat(keys.rotate("k-other", "second", 300, k -> k.rotated(SecretHash.sha256Hex("second"), null, 300, 300))).isPresent();
        assertThat(keys.rotate("missing", "x", 1, k -> k)).isEmpty();
    }

    static ApiKey withRaw(ApiKey k) {
        return new ApiKey(k.name(), k.createdAt(), k.updatedAt(), k.tags(), k.keyId(), k.revoked(), k.key(), k.revokedReason(),
                k.costLimitInUsd(), k.costLimitInUsdOverTime(), k.costLimitInUsdUnit(), k.rateLimitOverTime(), k.rateLimitUnit(),
                k.ttl(), k.settingId(), k.allowedPaths(), k.settingIds(), k.shouldLogRequest(), k.shouldLogResponse(),
                k.rotationEnabled(), k.policyId(), true);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void updateTouchesOnlyItsOwnRow(Kind kind) {
        KeyRepository keys = open(kind);
        ApiKey other = full("other", "other-secret");
        keys.insert(other);
        keys.insert(minimal("mine", "my-secret", 5));
        keys.update(full("mine", "my-new-secret"));
        assertThat(keys.findById("other")).contains(other);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void deleteRemovesTheRowAndSaysWhetherItExisted(Kind kind) {
        KeyRepository keys = open(kind);
        keys.insert(minimal("gone", "secret-gone", 1));
        keys.insert(minimal("stays", "secret-stays", 2));
        assertThat(keys.delete("gone")).isTrue();
        assertThat(keys.delete("gone")).isFalse();
        assertThat(keys.findById("gone")).isEmpty();
        assertThat(keys.findAll()).extracting(ApiKey::keyId).containsExactly("stays");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void findAllIsOrderedByCreationThenId(Kind kind) {
        KeyRepository keys = open(kind);
        keys.insert(minimal("c", "s-c", 30));
        keys.insert(minimal("b", "s-b", 10));
        keys.insert(minimal("a", "s-a", 30));
        assertThat(keys.findAll()).extracting(ApiKey::keyId).containsExactly("b", "a", "c");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void findByUnknownIdIsEmpty(Kind kind) {
        assertThat(open(kind).findById("nope")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void duplicateSecretIsAUniqueViolation(Kind kind) {
        KeyRepository keys = open(kind);
        keys.insert(minimal("first", "same-secret", 1));
        assertThatThrownBy(() -> keys.insert(minimal("second", "same-secret", 2)))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.uniqueViolation()).isTrue());
        assertThat(keys.findAll()).extracting(ApiKey::keyId).containsExactly("first");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void updateToAnotherKeysSecretIsAUniqueViolation(Kind kind) {
        KeyRepository keys = open(kind);
        keys.insert(minimal("first", "secret-1", 1));
        keys.insert(minimal("second", "secret-2", 2));
        assertThatThrownBy(() -> keys.update(minimal("second", "secret-1", 2)))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.uniqueViolation()).isTrue());
        assertThat(keys.findById("second").orElseThrow().key()).isEqualTo("secret-2");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void otherStorageErrorsAreNotUniqueViolations(Kind kind) {
        open(kind);
        assertThatThrownBy(() -> db.update("INSERT INTO no_such_table VALUES (?)", 1))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.uniqueViolation()).isFalse());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void sqlInTextFieldsIsStoredAsText(Kind kind) {
        KeyRepository keys = open(kind);
        ApiKey k = new ApiKey(INJECTION, 1, 1, List.of(INJECTION, "\"quoted\"", "back\\slash"), "inj", false, INJECTION,
                INJECTION, 0, 0, "", 0, "", "", "", List.of(new PathConfig(INJECTION, "POST")), List.of(INJECTION), false,
                false, false, INJECTION, true);
        keys.insert(k);
        keys.insert(minimal("bystander", "secret-x", 2));
        assertThat(keys.findById("inj")).contains(k);
        assertThat(keys.findById(INJECTION)).isEmpty();
        assertThat(keys.delete(INJECTION)).isFalse();
        assertThat(keys.findAll()).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void unicodeTextRoundTrips(Kind kind) {
        KeyRepository keys = open(kind);
        ApiKey k = full("uni", "sécret-🔑");
        k = new ApiKey("名前 ✓ émoji 🚀", k.createdAt(), k.updatedAt(), List.of("étiquette", "标签"), k.keyId(), k.revoked(),
                k.key(), k.revokedReason(), k.costLimitInUsd(), k.costLimitInUsdOverTime(), k.costLimitInUsdUnit(),
                k.rateLimitOverTime(), k.rateLimitUnit(), k.ttl(), k.settingId(), k.allowedPaths(), k.settingIds(),
                k.shouldLogRequest(), k.shouldLogResponse(), k.rotationEnabled(), k.policyId(), k.isKeyNotHashed());
        keys.insert(k);
        assertThat(keys.findById("uni")).contains(k);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void changeOfAnUnknownKeyIsEmpty(Kind kind) {
        assertThat(open(kind).update("nope", k -> k)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void failedChangeLeavesTheRowAsItWas(Kind kind) {
        KeyRepository keys = open(kind);
        ApiKey k = minimal("k", "secret-k", 1);
        keys.insert(k);
        assertThatThrownBy(() -> keys.update("k", old -> {
            throw new IllegalStateException("refused");
        })).hasMessage("refused");
        assertThat(keys.findById("k")).contains(k);
        keys.insert(minimal("other", "secret-other", 1));
        assertThatThrownBy(() -> keys.update("k", old -> minimal("k", "secret-other", 1)))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.uniqueViolation()).isTrue());
        assertThat(keys.findById("k")).contains(k);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void concurrentChangesOfOneKeyAreNeverLost(Kind kind) throws Exception {
        KeyRepository keys = open(kind);
        keys.insert(minimal("counter", "secret-counter", 1));
        int threads = 6;
        int perThread = 15;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                    keys.update("counter", k -> new ApiKey(k.name(), k.createdAt(), k.updatedAt(), k.tags(), k.keyId(),
                            k.revoked(), k.key(), k.revokedReason(), k.costLimitInUsd(), k.costLimitInUsdOverTime(),
                            k.costLimitInUsdUnit(), k.rateLimitOverTime() + 1, k.rateLimitUnit(), k.ttl(), k.settingId(),
                            k.allowedPaths(), k.settingIds(), k.shouldLogRequest(), k.shouldLogResponse(),
                            k.rotationEnabled(), k.policyId(), k.isKeyNotHashed()));
                }
                return null;
            }));
            go.countDown();
            for (var f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(keys.findById("counter").orElseThrow().rateLimitOverTime()).isEqualTo(threads * perThread);
    }

    @org.junit.jupiter.api.Test
    void postgresRefusalOfAValueIsReportedAsAnInvalidValue() {
        KeyRepository keys = open(Kind.POSTGRES);
        ApiKey tooLong = withName(minimal("long", "secret-long", 1), "n".repeat(256));
        assertThatThrownBy(() -> keys.insert(tooLong)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.invalidValue() && !e.uniqueViolation()).isTrue());
        ApiKey nul = withName(minimal("nul", "secret-nul", 1), "a\u0000b");
        assertThatThrownBy(() -> keys.insert(nul)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.invalidValue()).isTrue());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void uniqueViolationIsNotAnInvalidValue(Kind kind) {
        KeyRepository keys = open(kind);
        keys.insert(minimal("first", "same", 1));
        assertThatThrownBy(() -> keys.insert(minimal("second", "same", 1)))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.invalidValue()).isFalse());
    }

    @org.junit.jupiter.api.Test
    void sqliteKeepsANulByteInText() {
        KeyRepository keys = open(Kind.SQLITE);
        ApiKey nul = withName(minimal("nul", "secret-nul", 1), "a\u0000b");
        keys.insert(nul);
        assertThat(keys.findById("nul")).contains(nul);
    }

    static ApiKey withName(ApiKey k, String name) {
        return new ApiKey(name, k.createdAt(), k.updatedAt(), k.tags(), k.keyId(), k.revoked(), k.key(), k.revokedReason(),
                k.costLimitInUsd(), k.costLimitInUsdOverTime(), k.costLimitInUsdUnit(), k.rateLimitOverTime(),
                k.rateLimitUnit(), k.ttl(), k.settingId(), k.allowedPaths(), k.settingIds(), k.shouldLogRequest(),
                k.shouldLogResponse(), k.rotationEnabled(), k.policyId(), k.isKeyNotHashed());
    }

    static ApiKey withPaths(ApiKey k, List<PathConfig> paths) {
        return new ApiKey(k.name(), k.createdAt(), k.updatedAt(), k.tags(), k.keyId(), k.revoked(), k.key(), k.revokedReason(),
                k.costLimitInUsd(), k.costLimitInUsdOverTime(), k.costLimitInUsdUnit(), k.rateLimitOverTime(),
                k.rateLimitUnit(), k.ttl(), k.settingId(), paths, k.settingIds(), k.shouldLogRequest(),
                k.shouldLogResponse(), k.rotationEnabled(), k.policyId(), k.isKeyNotHashed());
    }
}
