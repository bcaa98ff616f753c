package io.bricksllm.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.events.EventSlice.Dimension;
import io.bricksllm.testing.TestDatabases.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tag-filtered reports from the tag rollups (V20): for random events with random tag sets, every report filtered by
 * one tag equals the same report computed from the events (the tag_index substring test), over whole days, whole
 * hours and partial-hour edges, grouped or not; several tags still read the events; a rebuild restores the tables.
 */
class EventTagRollupsTest {
    private static final long HOUR = 3_600;
    private static final long DAY = 86_400;
    private static final long T0 = 1_700_006_400L; // a UTC midnight
    private static final String[] KEYS = {"k0", "k1", "k2", ""};
    private static final String[] USERS = {"u0", "u1", ""};
    private static final String[] TEAMS = {"t0", ""};
    private static final String[] MODELS = {"gpt-4o", "claude"};
    /** Tags with the characters tag_index encodes, a prefix of another tag, and the empty tag. */
    private static final String[] TAGS = {"prod", "pro", "dev", "a|b", "50%", "", "Prod"};
    private static final int[] STATUSES = {200, 200, 201, 429, 500, 0};

    private AdminHarness h;

    @AfterEach
    void tearDown() throws Exception {
        if (h != null) h.close();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void reportsFilteredByOneTagFromTheTagRollupsEqualTheReportsFromTheEvents(Kind kind) throws Exception {
        h = new AdminHarness(kind, repo -> List.of(new ReportingAdmin(repo, id -> true, List::of, id -> true)));
        Random rnd = new Random(23);
        List<Event> events = randomEvents(rnd, 3_000);
        for (int from = 0; from < events.size(); ) {
            int to = Math.min(events.size(), from + 1 + rnd.nextInt(600));
            h.repo.insert(events.subList(from, to));
            from = to;
        }
        assertThat(tagTable()).as("tag rollups = per-tag sums over the events").isEqualTo(expectedTagTable());

        record Range(long start, long end, long increment) {}
        List<Range> ranges = List.of(
                new Range(T0, T0 + 3 * DAY, DAY), // whole days (daily table)
                new Range(T0 + 2 * HOUR, T0 + 30 * HOUR, HOUR), // whole hours
                new Range(T0 + 1_234, T0 + 2 * DAY + 5 * HOUR + 77, 2 * HOUR), // partial hours at both edges, days, hours
                new Range(T0 + 5 * HOUR + 60, T0 + 5 * HOUR + 3_000, HOUR)); // inside one hour: events only
        List<List<Dimension>> groupings = List.of(List.of(), List.of(Dimension.MODEL, Dimension.KEY_ID), List.of(Dimension.USER_ID));
        int compared = 0;
        for (String tag : TAGS) {
            for (Range r : ranges) {
                for (List<Dimension> by : groupings) {
                    for (List<String> keys : List.of(List.<String>of(), List.of("k1", ""))) {
                        long origin = Math.floorDiv(r.start(), HOUR) * HOUR; // slots on hours; the range may cut into one
                        EventRollups.Scope scope = new EventRollups.Scope(r.start(), r.end(), keys, null, null).withTag(tag);
                        List<EventSlice> rolled = sorted(h.repo.rollups().aggregate(scope, origin, r.increment(), by), by);
                        List<EventSlice> direct = sorted(h.repo.aggregate(EventFilter.between(r.start(), r.end())
                                .withKeyIds(keys).withTags(List.of(tag)), origin, r.increment(), by), by);
                        assertThat(rolled).as(tag + " " + r + " " + by).hasSameSizeAs(direct);
                        for (int i = 0; i < direct.size(); i++) {
                            assertThat(rolled.get(i).costInUsd()).isCloseTo(direct.get(i).costInUsd(), within(1e-9));
                            assertThat(rolled.get(i)).usingRecursiveComparison().ignoringFields("costInUsd").isEqualTo(direct.get(i));
                        }
                        compared += direct.size();
                    }
                }
            }
        }
        assertThat(compared).isGreaterThan(500);

        // over HTTP: one tag, costs exact (pico sums), percentiles within the histograms' 1/64
        List<StoredEvent> stored = StoredEvent.all(h.db);
        long start = T0 + HOUR; // buckets on whole hours (else the events answer), the end inside an hour
        long end = T0 + 2 * DAY + 5 * HOUR + 77;
        JsonNode report = h.client.post("/api/reporting/events", "{\"start\":" + start + ",\"end\":" + end
                + ",\"increment\":7200,\"filters\":[\"model\"],\"tags\":[\"prod\",\"prod\"]}").json();
        long n = 0;
        for (JsonNode p : report.get("dataPoints")) {
            long t = p.get("timeStamp").asLong();
            List<StoredEvent> in = stored.stream().filter(s -> s.createdAt() >= t && s.createdAt() < Math.min(t + 7_200, end)
                    && s.tags().contains("prod") && s.model().equals(p.get("model").asText())).toList();
            assertThat(p.get("numberOfRequests").asLong()).isEqualTo(in.size());
            assertThat(p.get("costInUsd").asDouble()).isEqualTo(EventRollups.usd(java.math.BigInteger.valueOf(
                    in.stream().mapToLong(s -> EventRollups.pico(s.cost())).sum())));
            assertThat(p.get("latencyInMs").asLong()).isEqualTo(in.stream().mapToLong(s -> s.latency()).sum());
            n += in.size();
        }
        assertThat(n).isPositive().isEqualTo(stored.stream().filter(s -> s.createdAt() >= start && s.createdAt() < end
                && s.tags().contains("prod")).count());
        double[] exact = h.repo.latencyPercentiles(EventFilter.between(start, end).withTags(List.of("prod")), 0.5, 0.99);
        assertThat(report.get("latencyInMsMedian").asDouble()).isCloseTo(exact[0], within(exact[0] / 64));
        assertThat(report.get("latencyInMs99th").asDouble()).isCloseTo(exact[1], within(exact[1] / 64));

        // several tags: an event must carry all of them, which per-tag rows cannot tell: read from the events, exact
        JsonNode both = h.client.post("/api/reporting/events", "{\"start\":" + T0 + ",\"end\":" + (T0 + 3 * DAY)
                + ",\"increment\":86400,\"tags\":[\"prod\",\"dev\"]}").json();
        long bothCount = 0;
        for (JsonNode p : both.get("dataPoints")) bothCount += p.get("numberOfRequests").asLong();
        assertThat(bothCount).isPositive().isEqualTo(stored.stream().filter(s -> s.tags().contains("prod") && s.tags().contains("dev")).count());
        assertThat(both.get("latencyInMsMedian").asDouble()).isEqualTo(h.repo.latencyPercentiles(
                EventFilter.between(T0, T0 + 3 * DAY).withTags(List.of("prod", "dev")), 0.5)[0]);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRebuildRestoresTheTagRollups(Kind kind) throws Exception {
        h = new AdminHarness(kind, repo -> List.of(new ReportingAdmin(repo, id -> true, List::of, id -> true)));
        Random rnd = new Random(5);
        List<Event> events = randomEvents(rnd, 1_500);
        h.repo.insert(events.subList(0, 700));
        h.repo.insert(events.subList(700, 1_500));
        TreeMap<String, List<Object>> incremental = tagTable();
        assertThat(incremental).isNotEmpty();
        assertThat(h.repo.rollups().rebuildIfMissing()).as("all rollups present").isEmpty();

        assertThat(h.client.post("/api/reporting/rollups/rebuild", "{}").json().get("events").asLong()).isEqualTo(1_500);
        assertThat(tagTable()).isEqualTo(incremental);

        // the first start after V20: the tag tables are empty while the events carry tags
        h.db.update("DELETE FROM event_rollups_tag_hourly");
        h.db.update("DELETE FROM event_rollups_tag_daily");
        assertThat(h.repo.rollups().rebuildIfMissing()).isPresent();
        assertThat(tagTable()).isEqualTo(incremental);
        h.repo.insert(randomEvents(rnd, 100));
        assertThat(tagTable()).isEqualTo(expectedTagTable());
    }

    /**
     * Retention: the tag rollups outlive the events like the others (a one-tag report over removed days still counts
     * them, where the event scan finds nothing), and a rebuild after retention keeps those days.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void tagRollupsOutliveRetentionAndARebuildAfterIt(Kind kind) throws Exception {
        h = new AdminHarness(kind, repo -> List.of(new ReportingAdmin(repo, id -> true, List::of, id -> true)));
        java.time.Instant now = java.time.Instant.ofEpochSecond(T0 + 200 * DAY + 12 * HOUR);
        Random rnd = new Random(13);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            events.add(TestEvent.at(now.getEpochSecond() - (long) (rnd.nextDouble() * 200 * DAY)).key("k" + i % 3)
                    .tags(i % 2 == 0 ? "prod" : "dev").cost(rnd.nextInt(1_000_000) / 1e7).latency(rnd.nextInt(500)).build());
        }
        h.repo.insert(events);
        String body = "{\"start\":" + T0 + ",\"end\":" + (T0 + 201 * DAY) + ",\"increment\":86400,\"tags\":[\"prod\"]}";
        long prod = events.stream().filter(e -> e.tags().contains("prod")).count();
        assertThat(requests(h.client.post("/api/reporting/events", body).json())).isEqualTo(prod);

        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            EventRetention.Run run = new EventRetention(vertx, h.db, java.time.Clock.fixed(now, java.time.ZoneOffset.UTC),
                    java.time.Duration.ofDays(90), java.time.Duration.ofDays(30), 50).runOnce();
            assertThat(run.eventsDeleted()).isPositive();
        } finally {
            vertx.close();
        }
        assertThat(h.repo.aggregate(EventFilter.between(T0, T0 + 201 * DAY).withTags(List.of("prod")), T0, 201 * DAY, List.of())
                .stream().mapToLong(EventSlice::requests).sum()).as("the events scan lost them").isLessThan(prod);
        assertThat(requests(h.client.post("/api/reporting/events", body).json())).isEqualTo(prod);
        h.repo.rollups().rebuild();
        assertThat(requests(h.client.post("/api/reporting/events", body).json())).isEqualTo(prod);
    }

    private static long requests(JsonNode report) {
        long n = 0;
        for (JsonNode p : report.get("dataPoints")) n += p.get("numberOfRequests").asLong();
        return n;
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static List<Event> randomEvents(Random rnd, int n) {
        List<Event> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int k = rnd.nextInt(4); // 0 to 3 tags, repeats allowed
            String[] tags = new String[k];
            for (int j = 0; j < k; j++) tags[j] = TAGS[rnd.nextInt(TAGS.length)];
            out.add(TestEvent.at(T0 + 1_800 + rnd.nextInt(50 * 3_600)).key(pick(rnd, KEYS)).team(pick(rnd, TEAMS))
                    .userId(pick(rnd, USERS)).model(pick(rnd, MODELS)).tags(tags)
                    .status(STATUSES[rnd.nextInt(STATUSES.length)]).action(rnd.nextInt(20) == 0 ? "blocked" : "allowed")
                    .cost(rnd.nextInt(10) == 0 ? 0 : rnd.nextDouble() * 0.01 + 1.5e-7 * rnd.nextInt(100))
                    .tokens(rnd.nextInt(5_000), rnd.nextInt(2_000)).details(rnd.nextInt(100), rnd.nextInt(50), rnd.nextInt(30))
                    .latency(rnd.nextInt(3_000)).build());
        }
        return out;
    }

    private static String pick(Random rnd, String[] values) {
        return values[rnd.nextInt(values.length)];
    }

    private static List<EventSlice> sorted(List<EventSlice> slices, List<Dimension> by) {
        Comparator<EventSlice> order = Comparator.comparingLong(EventSlice::slot);
        for (Dimension d : by) order = order.thenComparing(s -> s.value(d));
        return slices.stream().sorted(order).toList();
    }

    /** The hourly tag table as "tag|hour|dims" → measures; checks that the daily one holds its sums by day. */
    private TreeMap<String, List<Object>> tagTable() {
        String dims = "tag, key_id, team_id, user_id, model, provider, status_class";
        String measures = "SUM(requests), SUM(successes), SUM(errors), SUM(prompt_tokens), SUM(completion_tokens), "
                + "SUM(cache_read_tokens), SUM(cache_write_tokens), SUM(reasoning_tokens), SUM(latency_ms), SUM(cost_pico)";
        assertThat(h.db.query("SELECT period_start, " + dims + ", " + measures + " FROM event_rollups_tag_daily GROUP BY period_start, "
                + dims + " ORDER BY 1, 2, 3, 4, 5, 6, 7, 8", EventTagRollupsTest::strings)).as("daily = hourly by day")
                .isEqualTo(h.db.query("SELECT (period_start / 86400) * 86400, " + dims + ", " + measures
                        + " FROM event_rollups_tag_hourly GROUP BY (period_start / 86400) * 86400, " + dims
                        + " ORDER BY 1, 2, 3, 4, 5, 6, 7, 8", EventTagRollupsTest::strings));
        TreeMap<String, List<Object>> out = new TreeMap<>();
        h.db.query("SELECT tag, period_start, key_id, team_id, user_id, model, provider, status_class, requests, successes, "
                + "errors, prompt_tokens, completion_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, latency_ms, "
                + "cost_pico, latency_hist FROM event_rollups_tag_hourly", rs -> {
            List<Object> m = new ArrayList<>();
            for (int i = 9; i <= 18; i++) m.add(rs.getLong(i));
            m.add(rs.getString(19));
            return out.put(rs.getString(1) + "|" + rs.getLong(2) + "|" + rs.getString(3) + "|" + rs.getString(4) + "|"
                    + rs.getString(5) + "|" + rs.getString(6) + "|" + rs.getString(7) + "|" + rs.getInt(8), m);
        });
        return out;
    }

    /** What the hourly tag table must hold, summed here from the events: one row per distinct tag of each event. */
    private TreeMap<String, List<Object>> expectedTagTable() {
        StoredEvent.ExpectedRollups expected = new StoredEvent.ExpectedRollups();
        for (StoredEvent s : StoredEvent.all(h.db)) {
            for (String tag : new LinkedHashSet<>(s.tags())) {
                String enc = tag.replace("%", "%25").replace("|", "%7C");
                expected.add(enc + "|" + Math.floorDiv(s.createdAt(), HOUR) * HOUR + "|" + s.key() + "|" + s.team() + "|"
                        + s.user() + "|" + s.model() + "|" + s.provider() + "|" + s.statusClass(), s);
            }
        }
        return expected.rows();
    }

    private static List<String> strings(java.sql.ResultSet rs) throws java.sql.SQLException {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) out.add(rs.getString(i));
        return out;
    }
}
