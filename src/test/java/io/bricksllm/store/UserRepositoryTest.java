package io.bricksllm.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestDatabases.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The users table on both real databases: round trips, scope-guarded writes, and the snapshot's user lookup. */
class UserRepositoryTest {
    static final BiPredicate<EndUser, EndUser> SAME_SCOPE = (existing, candidate) -> existing.tags().containsAll(candidate.tags());

    private Database db;

    private UserRepository open(Kind kind) {
        db = TestDatabases.open(kind);
        return new UserRepository(db);
    }

    @AfterEach
    void close() {
        if (db != null) db.close();
    }

    static EndUser full(String id, String userId, List<String> tags) {
        return new EndUser(id, userId, "full user", 1_700_000_000L, 1_700_000_100L, tags, List.of("k1", "k2"), true,
                "abuse", 12.5, 0.000_001, "mo", 42, "h", "1h30m",
                List.of(new PathConfig("/api/providers/openai/v1/chat/completions", "POST"),
                        new PathConfig("/api/providers/openai/v1/models", "GET")),
                List.of("gpt-4o", "gpt-4o-mini"))
                .withTokenLimit(20_000_000_000L, "h").withMaxConcurrentRequests(7); // beyond an int: the column is BIGINT
    }

    static EndUser minimal(String id, String userId, long createdAt, List<String> tags) {
        return new EndUser(id, userId, "min", createdAt, createdAt, tags, null, false, null, 0, 0, null, 0, null, null, null, null);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyFieldRoundTrips(Kind kind) {
        UserRepository users = open(kind);
        EndUser u = full("u-1", "end-user-1", List.of("team-a", "prod"));
        users.insert(u);
        assertThat(users.findById("u-1")).contains(u);
        assertThat(users.findByUserId("end-user-1")).containsExactly(u);
        assertThat(users.findAll()).containsExactly(u);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void absentOptionalFieldsRoundTripAsEmptyAndNullAllowedPathsStaysNull(Kind kind) {
        UserRepository users = open(kind);
        EndUser u = minimal("u-min", "x", 10, null);
        users.insert(u);
        EndUser read = users.findById("u-min").orElseThrow();
        assertThat(read).isEqualTo(u);
        assertThat(read.allowedPaths()).isNull();
        assertThat(read.tags()).isEmpty();
        assertThat(read.keyIds()).isEmpty();
        assertThat(read.allowedModels()).isEmpty();
        assertThat(read.revokedReason()).isEmpty();
        EndUser emptyPaths = new EndUser("u-empty", "y", "n", 1, 1, null, null, false, "", 0, 0, "", 0, "", "", List.of(), List.of());
        users.insert(emptyPaths);
        assertThat(users.findById("u-empty").orElseThrow().allowedPaths()).isEmpty();
    }

    /** Issue 19.2: token limit and concurrency cap round-trip through updates, and rows from before V10 have none. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void tokenLimitAndConcurrencyCapRoundTripAndRowsFromBeforeV10HaveNone(Kind kind) {
        UserRepository users = open(kind);
        // a row written as before V10 (no such columns given): their defaults, no limit
        db.update("INSERT INTO users (id, user_id, name, created_at, updated_at) VALUES (?,?,?,?,?)", "u-old", "uid", "old", 1L, 1L);
        EndUser old = users.findById("u-old").orElseThrow();
        assertThat(old.tokenLimitOverTime()).isZero();
        assertThat(old.tokenLimitUnit()).isEmpty();
        assertThat(old.maxConcurrentRequests()).isZero();

        EndUser limited = users.update("u-old", u -> u.withTokenLimit(Long.MAX_VALUE, "s").withMaxConcurrentRequests(3), SAME_SCOPE)
                .orElseThrow().user();
        assertThat(users.findById("u-old")).contains(limited);
        assertThat(limited.tokenLimitOverTime()).isEqualTo(Long.MAX_VALUE);
        assertThat(limited.tokenLimitUnit()).isEqualTo("s");
        assertThat(limited.maxConcurrentRequests()).isEqualTo(3);
        assertThat(users.insertUnlessClash(full("u-new", "uid2", List.of()), SAME_SCOPE).ok()).isTrue();
        assertThat(users.findByUserId("uid2")).containsExactly(full("u-new", "uid2", List.of()));

        users.update("u-old", u -> u.withTokenLimit(0, "").withMaxConcurrentRequests(0), SAME_SCOPE);
        EndUser cleared = users.findById("u-old").orElseThrow();
        assertThat(cleared.tokenLimitOverTime()).isZero();
        assertThat(cleared.tokenLimitUnit()).isEmpty();
        assertThat(cleared.maxConcurrentRequests()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void valuesAreBoundNotSpliced(Kind kind) {
        UserRepository users = open(kind);
        String evil = "x'); DROP TABLE users; --";
        users.insert(minimal(evil, evil, 1, List.of(evil)));
        assertThat(users.findByUserId(evil)).hasSize(1);
        assertThat(users.findById(evil).orElseThrow().tags()).containsExactly(evil);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void insertUnlessClashKeepsTagScopesApart(Kind kind) {
        UserRepository users = open(kind);
        assertThat(users.insertUnlessClash(minimal("a", "same", 1, List.of("t1", "t2")), SAME_SCOPE).ok()).isTrue();
        // an existing user whose tags contain all the new user's tags clashes
        UserRepository.Written w = users.insertUnlessClash(minimal("b", "same", 2, List.of("t1")), SAME_SCOPE);
        assertThat(w.ok()).isFalse();
        assertThat(w.clash().id()).isEqualTo("a");
        assertThat(users.insertUnlessClash(minimal("c", "same", 3, List.of()), SAME_SCOPE).ok()).isFalse();
        // a disjoint scope, or another user id, does not
        assertThat(users.insertUnlessClash(minimal("d", "same", 4, List.of("t3")), SAME_SCOPE).ok()).isTrue();
        assertThat(users.insertUnlessClash(minimal("e", "other", 5, List.of("t1")), SAME_SCOPE).ok()).isTrue();
        assertThat(users.findByUserId("same")).extracting(EndUser::id).containsExactly("a", "d");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void concurrentCreationsOfOneUserIdAndScopeAdmitExactlyOne(Kind kind) throws Exception {
        UserRepository users = open(kind);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String id = "race-" + i;
                tasks.add(() -> users.insertUnlessClash(minimal(id, "racer", 1, List.of("t")), SAME_SCOPE).ok());
            }
            long created = 0;
            for (Future<Boolean> f : pool.invokeAll(tasks)) if (f.get()) created++;
            assertThat(created).isEqualTo(1);
            assertThat(users.findByUserId("racer")).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void updateChangesOneUserAndRefusesATagChangeIntoAnotherScope(Kind kind) {
        UserRepository users = open(kind);
        users.insert(minimal("a", "u", 1, List.of("t1")));
        users.insert(minimal("b", "u", 2, List.of("t2")));
        Optional<UserRepository.Written> renamed = users.update("a", old -> withTags(old, old.tags(), "renamed"), SAME_SCOPE);
        assertThat(renamed.orElseThrow().ok()).isTrue();
        assertThat(users.findById("a").orElseThrow().name()).isEqualTo("renamed");

        UserRepository.Written refused = users.update("b", old -> withTags(old, List.of("t1"), old.name()), SAME_SCOPE).orElseThrow();
        assertThat(refused.ok()).isFalse();
        assertThat(refused.clash().id()).isEqualTo("a");
        assertThat(users.findById("b").orElseThrow().tags()).containsExactly("t2");

        assertThat(users.update("missing", old -> old, SAME_SCOPE)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anUpdateThatKeepsTheTagsIsNeverRefusedEvenWhenScopesAlreadyOverlap(Kind kind) {
        UserRepository users = open(kind);
        users.insert(minimal("wide", "u", 1, List.of("t1", "t2")));
        users.insert(minimal("narrow", "u", 2, List.of("t1")));
        assertThat(users.update("narrow", old -> withTags(old, old.tags(), "still"), SAME_SCOPE).orElseThrow().ok()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void liveConfigIndexesUsersByUserIdAndResolvesThemByTheKeysTags(Kind kind) {
        UserRepository users = open(kind);
        users.insert(minimal("a", "u", 1, List.of("team-a", "prod")));
        users.insert(minimal("b", "u", 2, List.of("team-b")));
        users.insert(minimal("c", "v", 3, List.of("team-a")));
        users.insert(minimal("d", "v", 4, List.of("team-a", "x")));
        LiveConfig live = new LiveConfig(new KeyRepository(db), new ProviderSettingRepository(db), null, null, null, users);
        ConfigSnapshot s = live.reload();
        assertThat(s.usersByUserId().get("u")).extracting(EndUser::id).containsExactlyInAnyOrder("a", "b");
        assertThat(s.userFor("u", key(List.of("team-a")))).map(EndUser::id).contains("a");
        assertThat(s.userFor("u", key(List.of("team-b")))).map(EndUser::id).contains("b");
        assertThat(s.userFor("u", key(List.of("team-c")))).as("no user covers the key's tags").isEmpty();
        assertThat(s.userFor("u", key(List.of()))).as("both cover an untagged key: ambiguous").isEmpty();
        assertThat(s.userFor("v", key(List.of("team-a")))).as("two matches").isEmpty();
        assertThat(s.userFor("v", key(List.of("x")))).map(EndUser::id).contains("d");
        assertThat(s.userFor("", key(List.of()))).isEmpty();
        assertThat(s.userFor("nobody", key(List.of()))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theOlderConstructorsStillWorkWithoutUsers(Kind kind) {
        open(kind);
        LiveConfig live = new LiveConfig(new KeyRepository(db), new ProviderSettingRepository(db));
        assertThat(live.reload().usersByUserId()).isEmpty();
    }

    private static EndUser withTags(EndUser o, List<String> tags, String name) {
        return new EndUser(o.id(), o.userId(), name, o.createdAt(), o.updatedAt() + 1, tags, o.keyIds(), o.revoked(),
                o.revokedReason(), o.costLimitInUsd(), o.costLimitInUsdOverTime(), o.costLimitInUsdUnit(), o.rateLimitOverTime(),
                o.rateLimitUnit(), o.ttl(), o.allowedPaths(), o.allowedModels());
    }

    private static ApiKey key(List<String> tags) {
        return new ApiKey("k", 1, 1, tags, "key-id", false, "secret", "", 0, 0, "", 0, "", "", "s", null, null, false, false,
                false, "", false);
    }
}
