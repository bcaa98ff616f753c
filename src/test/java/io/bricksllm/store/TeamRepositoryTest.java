package io.bricksllm.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestDatabases.Kind;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The {@code teams} table (V9) and the {@code team_id} of keys and users, on SQLite and PostgreSQL. */
class TeamRepositoryTest {
    private Database db;

    @AfterEach
    void close() {
        if (db != null) db.close();
    }

    static Team team(String id, long createdAt) {
        return new Team(id, "n-" + id, List.of("a", "b"), createdAt, createdAt + 1, 1.5, 0.25, "d", 10, "m", 20_000_000_000L, "h", 4,
                List.of("gpt-4o"), List.of("openai", "anthropic"));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyFieldRoundTripsAndUpdateKeepsCreatedAt(Kind kind) {
        db = TestDatabases.open(kind);
        TeamRepository repo = new TeamRepository(db);
        Team t = team("t1", 100);
        repo.insert(t);
        repo.insert(team("t0", 50));
        assertThat(repo.findById("t1")).contains(t);
        assertThat(repo.findAll()).extracting(Team::id).containsExactly("t0", "t1");

        Team changed = new Team("t1", "renamed", List.of(), 999, 200, 0, 0, "", 0, "", 0, "", 0, List.of(), List.of());
        assertThat(repo.update(changed)).isTrue();
        assertThat(repo.findById("t1").orElseThrow()).isEqualTo(new Team("t1", "renamed", List.of(), 100, 200, 0, 0, "", 0, "", 0, "",
                0, List.of(), List.of()));
        assertThat(repo.update(team("absent", 1))).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void deleteIsRefusedWhileAKeyOrUserNamesTheTeamAndRowsFromBeforeV9AreInNoTeam(Kind kind) {
        db = TestDatabases.open(kind);
        TeamRepository repo = new TeamRepository(db);
        KeyRepository keys = new KeyRepository(db);
        repo.insert(team("t1", 1));
        keys.insert(KeyRepositoryTest.full("k1", "secret-1").withTeamId("t1"));
        keys.insert(KeyRepositoryTest.full("k0", "secret-0"));
        assertThat(keys.findById("k0").orElseThrow().teamId()).isEmpty();
        assertThat(keys.findById("k1").orElseThrow().teamId()).isEqualTo("t1");
        // a user row written as before V9 (no team_id given): the column's default, no team
        db.update("INSERT INTO users (id, user_id, name, created_at, updated_at) VALUES (?,?,?,?,?)", "u0", "uid", "old", 1L, 1L);
        UserRepository users = new UserRepository(db);
        assertThat(users.findById("u0").orElseThrow().teamId()).isEmpty();
        users.insert(new EndUser("u1", "uid1", "n", 1, 1, List.of(), List.of(), false, "", 0, 0, "", 0, "", "", null, List.of(), "t1"));
        assertThat(users.findById("u1").orElseThrow().teamId()).isEqualTo("t1");

        TeamRepository.Deletion refused = repo.deleteUnlessMembers("t1");
        assertThat(refused.found()).isTrue();
        assertThat(refused.deleted()).isFalse();
        assertThat(refused.members()).isEqualTo(new TeamRepository.Members(1, 1));
        assertThat(repo.findById("t1")).isPresent();

        keys.update("k1", k -> k.withTeamId(""));
        assertThat(repo.deleteUnlessMembers("t1").members()).isEqualTo(new TeamRepository.Members(0, 1));
        users.delete("u1");
        assertThat(repo.deleteUnlessMembers("t1").deleted()).isTrue();
        assertThat(repo.findById("t1")).isEmpty();
        assertThat(repo.deleteUnlessMembers("t1").found()).isFalse();
    }
}
