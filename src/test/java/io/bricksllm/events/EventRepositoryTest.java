package io.bricksllm.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.bricksllm.events.EventRepository.Order;
import io.bricksllm.events.EventSlice.Dimension;
import io.bricksllm.store.Database;
import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestDatabases.Kind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventRepositoryTest {
    private Database db;
    private EventRepository repo;

    private void open(Kind kind) {
        db = TestDatabases.open(kind);
        repo = new EventRepository(db);
    }

    @AfterEach
    void close() {
        if (db != null) db.close();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyFieldRoundTripsIncludingNonJsonBodies(Kind kind) {
        open(kind);
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) binary[i] = (byte) i;
        byte[] multipart = "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n\u00ff\u0000x\r\n--b--"
                .getBytes(StandardCharsets.ISO_8859_1);
        Event full = TestEvent.at(1_700_000_123L).tags("team-a", "pipe|and%percent", "ünï", "q\"a").key("k1")
                .cost(0.000123).model("gpt-4o-mini").status(429).tokens(12, 34).latency(567).customId("c-1")
                .userId("u-1").action("warned").policy("p-1").bodies(binary, multipart).metadata("{\"a\":1}")
                .unpriced().details(10, 2, 30).team("team-1").build();
        Event bare = TestEvent.at(1_700_000_124L).key("").build();
        repo.insert(List.of(full, bare));

        List<Event> read = repo.find(EventFilter.all(), Order.DATE_ASC, 0, 0);
        assertThat(read).hasSize(2);
        assertThat(read.get(0)).usingRecursiveComparison().isEqualTo(full);
        assertThat(read.get(1)).usingRecursiveComparison().isEqualTo(bare);
        assertThat(read.get(1).request()).isNull();
        assertThat(read.get(1).metadata()).isNull();
    }

    /** Token details are BIGINT (V7): counts past INTEGER survive, where the original's INTEGER counts are clamped. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void tokenDetailsRoundTripBeyondIntegerAndDefaultToZeroForRowsWrittenWithoutThem(Kind kind) {
        open(kind);
        Event big = TestEvent.at(1_700_000_200L).tokens(5_000_000_000L, 3_000_000_000L)
                .details(4_000_000_000L, 1, 2_500_000_000L).build();
        repo.insert(List.of(big));
        // a row as a writer before V7 inserted it: the new columns are left to their defaults
        db.update("INSERT INTO events (event_id, created_at) VALUES (?, ?)", "old-row", 1_700_000_201L);

        List<Event> read = repo.find(EventFilter.all(), Order.DATE_ASC, 0, 0);
        assertThat(read.get(0).cacheReadTokenCount()).isEqualTo(4_000_000_000L);
        assertThat(read.get(0).cacheWriteTokenCount()).isEqualTo(1);
        assertThat(read.get(0).reasoningTokenCount()).isEqualTo(2_500_000_000L);
        assertThat(read.get(1)).extracting(Event::cacheReadTokenCount, Event::cacheWriteTokenCount, Event::reasoningTokenCount)
                .containsExactly(0L, 0L, 0L);
    }

    /** teamIds (issue 19.8): membership of the key's team at request time; a row written before V9 is in no team. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void teamIdsFilterAndTeamTotalsReadTheEventsTeam(Kind kind) {
        open(kind);
        repo.insert(List.of(
                TestEvent.at(10).id("a1").team("ta").cost(0.25).build(),
                TestEvent.at(11).id("a2").team("ta").cost(0.5).build(),
                TestEvent.at(12).id("b1").team("tb").cost(2).build(),
                TestEvent.at(13).id("n1").cost(4).build()));
        db.update("INSERT INTO events (event_id, created_at, cost_in_usd) VALUES (?, ?, ?)", "old-row", 14L, 8.0);

        assertThat(ids(repo.find(EventFilter.all().withTeamIds(List.of("ta")), Order.DATE_ASC, 0, 0))).containsExactly("a1", "a2");
        assertThat(ids(repo.find(EventFilter.all().withTeamIds(List.of("ta", "tb")), Order.DATE_ASC, 0, 0)))
                .containsExactly("a1", "a2", "b1");
        assertThat(repo.count(EventFilter.all().withTeamIds(List.of("tb")))).isEqualTo(1);
        assertThat(repo.find(EventFilter.all().withTeamIds(List.of("nobody")), Order.DATE_ASC, 0, 0)).isEmpty();
        assertThat(repo.find(EventFilter.all(), Order.DATE_ASC, 0, 0).get(4).teamId()).isEmpty();
        assertThat(repo.totalTeamCost("ta")).isCloseTo(0.75, within(1e-12));
        assertThat(repo.totalTeamCost("tb")).isCloseTo(2, within(1e-12));
        assertThat(repo.totalTeamCost("nobody")).isZero();
    }

    private static List<String> ids(List<Event> events) {
        return events.stream().map(Event::id).toList();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void customAndUserIdFiltersFindTheirRowsIncludingTheEmptyValue(Kind kind) {
        open(kind);
        repo.insert(List.of(
                TestEvent.at(1).id("e1").customId("c-1").userId("u-1").build(),
                TestEvent.at(2).id("e2").customId("c-2").build(),
                TestEvent.at(3).id("e3").userId("u-1").build(),
                TestEvent.at(4).id("e4").build()));
        assertThat(ids(EventFilter.all().withCustomIds(List.of("c-1")))).containsExactly("e1");
        assertThat(ids(EventFilter.all().withCustomIds(List.of("c-1", "c-2")))).containsExactly("e1", "e2");
        assertThat(ids(EventFilter.all().withCustomIds(List.of("")))).containsExactly("e3", "e4"); // not in the partial index
        assertThat(ids(EventFilter.all().withCustomIds(List.of("c-2", "")))).containsExactly("e2", "e3", "e4");
        assertThat(ids(EventFilter.all().withUserIds(List.of("u-1")))).containsExactly("e1", "e3");
        assertThat(ids(EventFilter.all().withUserIds(List.of("")))).containsExactly("e2", "e4");
    }

    /**
     * V5 made the custom_id and user_id indexes partial (rows with '' left out), V11 extended them with
     * (created_at, event_id) for paging: the filters must still use them.
     */
    @org.junit.jupiter.api.Test
    void sqliteUsesThePartialIndexesForCustomAndUserIdFilters() {
        open(Kind.SQLITE);
        for (String column : List.of("custom_id", "user_id")) {
            List<String> plan = db.query("EXPLAIN QUERY PLAN SELECT event_id FROM events WHERE " + column + " IN (?) AND "
                    + column + " <> ''", rs -> rs.getString("detail"), "x");
            assertThat(String.join(" | ", plan)).contains("events_" + column + "_created_at_id_idx");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRepeatedIdIsSkippedSoReplaysAreHarmless(Kind kind) {
        open(kind);
        Event e = TestEvent.at(100).id("same").cost(1).build();
        assertThat(repo.insert(List.of(e, e))).isEqualTo(1);
        assertThat(repo.insert(List.of(e, TestEvent.at(101).id("other").build()))).isEqualTo(1);
        assertThat(repo.count(EventFilter.all())).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void valuesTheDatabaseWouldRefuseAreMadeStorable(Kind kind) {
        open(kind);
        String longId = "x".repeat(300);
        Event e = TestEvent.at(100).model("m\u0000odel").customId(longId).userId(longId).key(longId)
                .tokens(Long.MAX_VALUE, -5).cost(Double.NaN).metadata("a\u0000b").build();
        repo.insert(List.of(e));
        Event back = repo.find(EventFilter.all(), Order.NONE, 0, 0).get(0);
        assertThat(back.model()).isEqualTo("model");
        assertThat(back.customId()).hasSize(255);
        assertThat(back.promptTokenCount()).isEqualTo(Integer.MAX_VALUE);
        assertThat(back.completionTokenCount()).isEqualTo(-5);
        assertThat(back.costInUsd()).isZero();
        assertThat(back.metadata()).isEqualTo("ab");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void tagFilterMatchesWholeTagsExactlyAndCaseSensitively(Kind kind) {
        open(kind);
        repo.insert(List.of(
                TestEvent.at(1).id("e1").tags("a", "b").build(),
                TestEvent.at(2).id("e2").tags("a").build(),
                TestEvent.at(3).id("e3").tags("A", "b").build(),
                TestEvent.at(4).id("e4").tags("q\"a", "x,", ",y").build(),
                TestEvent.at(5).id("e5").tags("%", "_", "|").build(),
                TestEvent.at(6).id("e6").tags("ab").build(),
                TestEvent.at(7).id("e7").build()));
        assertThat(ids(EventFilter.all().withTags(List.of("a")))).containsExactly("e1", "e2");
        assertThat(ids(EventFilter.all().withTags(List.of("a", "b")))).containsExactly("e1");
        assertThat(ids(EventFilter.all().withTags(List.of("A")))).containsExactly("e3");
        assertThat(ids(EventFilter.all().withTags(List.of(",")))).isEmpty();
        assertThat(ids(EventFilter.all().withTags(List.of("q\"a")))).containsExactly("e4");
        assertThat(ids(EventFilter.all().withTags(List.of("%")))).containsExactly("e5");
        assertThat(ids(EventFilter.all().withTags(List.of("_")))).containsExactly("e5");
        assertThat(ids(EventFilter.all().withTags(List.of("|")))).containsExactly("e5");
        assertThat(ids(EventFilter.all().withTags(List.of("%7C")))).isEmpty();
        assertThat(ids(EventFilter.all().withTags(List.of("b", "ab")))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void filtersOrderingAndPagesCombine(Kind kind) {
        open(kind);
        repo.insert(List.of(
                TestEvent.at(10).id("a").key("k1").cost(0.5).userId("u1").customId("c1").policy("p1").action("allowed").build(),
                TestEvent.at(20).id("b").key("k1").cost(0.25).userId("u2").status(403).action("blocked").build(),
                TestEvent.at(30).id("c").key("k2").cost(2).userId("u1").build(),
                TestEvent.at(40).id("d").key("k1").cost(1).build()));
        assertThat(ids(EventFilter.between(10, 40))).containsExactly("a", "b", "c");
        assertThat(ids(EventFilter.between(10, 40).withRange(10L, 40L, true))).containsExactly("a", "b", "c", "d");
        assertThat(ids(EventFilter.all().withKeyIds(List.of("k1")))).containsExactly("a", "b", "d");
        assertThat(ids(EventFilter.all().withUserIds(List.of("u1")).withKeyIds(List.of("k1", "k2")))).containsExactly("a", "c");
        assertThat(ids(EventFilter.all().withCustomIds(List.of("c1")))).containsExactly("a");
        assertThat(ids(EventFilter.all().withPolicyIds(List.of("p1")))).containsExactly("a");
        assertThat(ids(EventFilter.all().withActions(List.of("blocked", "allowed")))).containsExactly("a", "b");
        assertThat(ids(EventFilter.all().withStatus(403))).containsExactly("b");
        assertThat(repo.find(EventFilter.all(), Order.COST_DESC, 0, 0)).extracting(Event::id).containsExactly("c", "d", "a", "b");
        assertThat(repo.find(EventFilter.all(), Order.COST_ASC, 2, 1)).extracting(Event::id).containsExactly("a", "d");
        assertThat(repo.find(EventFilter.all(), Order.DATE_DESC, 1, 0)).extracting(Event::id).containsExactly("d");
        assertThat(repo.count(EventFilter.all().withKeyIds(List.of("k1")))).isEqualTo(3);
        assertThat(repo.find(EventFilter.all().withUserIds(List.of("'; DROP TABLE events; --")), Order.NONE, 0, 0)).isEmpty();
        assertThat(repo.count(EventFilter.all())).isEqualTo(4);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void slicesSumExactlyWhatTheEventsHold(Kind kind) {
        open(kind);
        List<Event> events = new ArrayList<>();
        Random rnd = new Random(7);
        String[] models = {"m1", "m2", "m3"};
        for (int i = 0; i < 400; i++) {
            events.add(TestEvent.at(1000 + rnd.nextInt(100)).key("k" + rnd.nextInt(3)).model(models[rnd.nextInt(3)])
                    .cost(rnd.nextInt(1000) / 1024.0).latency(rnd.nextInt(5000)).tokens(rnd.nextInt(500), rnd.nextInt(500))
                    .details(rnd.nextInt(100), rnd.nextInt(100), rnd.nextInt(100)).status(rnd.nextInt(4) == 0 ? 500 : 200).build());
        }
        repo.insert(events);
        List<EventSlice> slices = repo.aggregate(EventFilter.between(1000, 1100), 1000, 10, List.of(Dimension.MODEL));
        for (EventSlice s : slices) {
            List<Event> in = events.stream().filter(e -> (e.createdAt() - 1000) / 10 == s.slot()
                    && e.model().equals(s.value(Dimension.MODEL))).toList();
            assertThat(s.requests()).isEqualTo(in.size());
            assertThat(s.costInUsd()).isEqualTo(in.stream().mapToDouble(Event::costInUsd).sum());
            assertThat(s.latencyInMs()).isEqualTo(in.stream().mapToLong(Event::latencyInMs).sum());
            assertThat(s.promptTokenCount()).isEqualTo(in.stream().mapToLong(Event::promptTokenCount).sum());
            assertThat(s.completionTokenCount()).isEqualTo(in.stream().mapToLong(Event::completionTokenCount).sum());
            assertThat(s.successCount()).isEqualTo(in.stream().filter(e -> e.status() == 200).count());
            assertThat(s.cacheReadTokenCount()).isEqualTo(in.stream().mapToLong(Event::cacheReadTokenCount).sum());
            assertThat(s.cacheWriteTokenCount()).isEqualTo(in.stream().mapToLong(Event::cacheWriteTokenCount).sum());
            assertThat(s.reasoningTokenCount()).isEqualTo(in.stream().mapToLong(Event::reasoningTokenCount).sum());
        }
        assertThat(slices.stream().mapToLong(EventSlice::requests).sum()).isEqualTo(400);

        long[] sorted = events.stream().mapToLong(Event::latencyInMs).sorted().toArray();
        for (double p : new double[] {0, 0.25, 0.5, 0.9, 0.99, 1}) {
            assertThat(repo.latencyPercentile(EventFilter.between(1000, 1100), 400, p))
                    .isCloseTo(percentileCont(sorted, p), within(1e-9));
        }
        assertThat(repo.latencyPercentile(EventFilter.between(5000, 6000), 0, 0.5)).isZero();
        // the one-read histogram form gives the same figures
        double[] fractions = {0, 0.25, 0.5, 0.9, 0.99, 1};
        double[] all = repo.latencyPercentiles(EventFilter.between(1000, 1100), fractions);
        for (int i = 0; i < fractions.length; i++) assertThat(all[i]).isCloseTo(percentileCont(sorted, fractions[i]), within(1e-9));
        assertThat(repo.latencyPercentiles(EventFilter.between(5000, 6000), 0.5)).containsExactly(0.0);
        if (kind == Kind.POSTGRES) {
            List<Double> pg = db.query("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_in_ms), "
                    + "percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_in_ms) FROM events", rs -> List.of(rs.getDouble(1),
                    rs.getDouble(2))).get(0);
            assertThat(repo.latencyPercentile(EventFilter.between(1000, 1100), 400, 0.5)).isCloseTo(pg.get(0), within(1e-9));
            assertThat(repo.latencyPercentile(EventFilter.between(1000, 1100), 400, 0.99)).isCloseTo(pg.get(1), within(1e-9));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void distinctIdsAndTotalsPerKey(Kind kind) {
        open(kind);
        repo.insert(List.of(
                TestEvent.at(1).key("k1").userId("u2").customId("c1").cost(0.5).build(),
                TestEvent.at(2).key("k1").userId("u1").customId("c1").cost(0.25).build(),
                TestEvent.at(3).key("k1").build(),
                TestEvent.at(4).key("k2").userId("u3").cost(4).build(),
                TestEvent.at(5).key("").cost(8).build()));
        assertThat(repo.distinctUserIds("k1")).containsExactly("u1", "u2");
        assertThat(repo.distinctCustomIds("k1")).containsExactly("c1");
        assertThat(repo.distinctUserIds("nope")).isEmpty();
        assertThat(repo.totalCost("k1")).isEqualTo(0.75);
        assertThat(repo.totalCost("nope")).isZero();
        assertThat(repo.costByKey(1, 5)).containsOnlyKeys("k1", "k2").containsEntry("k1", 0.75).containsEntry("k2", 4.0);
    }

    /** PostgreSQL's percentile_cont: linear interpolation between the closest ranks. */
    static double percentileCont(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        double pos = p * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    private List<String> ids(EventFilter f) {
        return repo.find(f, Order.DATE_ASC, 0, 0).stream().map(Event::id).toList();
    }
}
