package io.bricksllm.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.events.EventSlice.Dimension;
import io.bricksllm.testing.TestDatabases.Kind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 20.4: the hourly rollups equal the sums over the events they cover — whole table, and every reporting
 * endpoint that reads them — whether kept incrementally, after replayed batches, or rebuilt. The expected figures are
 * computed here from the events table, independently of {@link EventRollups}.
 */
class EventRollupsTest {
    private static final long HOUR = 3_600;
    private static final long T0 = 1_700_006_400L; // a UTC midnight
    private static final String[] KEYS = {"k0", "k1", "k2", "k3", ""};
    private static final String[] TEAMS = {"t0", "t1", ""};
    private static final String[] USERS = {"u0", "u1", "u2", ""};
    private static final String[] MODELS = {"gpt-4o", "gpt-4o-mini", "claude"};
    private static final String[] PROVIDERS = {"openai", "anthropic"};
    private static final int[] STATUSES = {200, 200, 200, 201, 400, 429, 500, 503, 0};

    private AdminHarness h;

    private void open(Kind kind) throws Exception {
        h = new AdminHarness(kind, repo -> List.of(new ReportingAdmin(repo, id -> true, List::of, id -> true)));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (h != null) h.close();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void rollupsAndEveryReportFromThemEqualTheSumsOverTheEvents(Kind kind) throws Exception {
        open(kind);
        Random rnd = new Random(7);
        List<Event> events = randomEvents(rnd, 4_000);
        for (int from = 0; from < events.size(); ) { // batches of varied size, as the sink writes them
            int to = Math.min(events.size(), from + 1 + rnd.nextInt(700));
            h.repo.insert(events.subList(from, to));
            from = to;
        }
        assertThat(rollupTable()).isEqualTo(expectedFromEvents());
        List<StoredEvent> stored = StoredEvent.all(h.db);
        assertThat(stored).hasSize(events.size());

        // integer measures also checked by SQL over both tables, without any Java summing
        for (String key : KEYS) {
            assertThat(h.db.query("SELECT COUNT(*), SUM(prompt_token_count), SUM(completion_token_count), SUM(latency_in_ms) "
                    + "FROM events WHERE key_id = ?", EventRollupsTest::longs, key))
                    .isEqualTo(h.db.query("SELECT SUM(requests), SUM(prompt_tokens), SUM(completion_tokens), SUM(latency_ms) "
                            + "FROM event_rollups_hourly WHERE key_id = ?", EventRollupsTest::longs, key));
        }

        // key and team spend
        for (String key : List.of("k0", "k1", "k2", "k3")) {
            long micros = h.client.get("/api/reporting/keys/" + key).json().get("costInMicroDollars").asLong();
            assertThat(micros).isEqualTo(microsHalfUp(picoSum(stored, r -> r.key().equals(key))));
            assertThat((double) micros).isCloseTo(stored.stream().filter(r -> r.key().equals(key)).mapToDouble(r -> r.cost()).sum() * 1e6,
                    within(1.0));
        }
        for (String team : List.of("t0", "t1")) {
            assertThat(h.client.get("/api/reporting/teams/" + team).json().get("costInMicroDollars").asLong())
                    .isEqualTo(microsHalfUp(picoSum(stored, r -> r.team().equals(team))));
        }

        // buckets of 2 h from a whole hour, end inside an hour (its partial hour is read from the events), grouped
        long start = T0 + HOUR;
        long end = T0 + 9 * HOUR + 1_234;
        JsonNode report = h.client.post("/api/reporting/events", "{\"start\":" + start + ",\"end\":" + end
                + ",\"increment\":7200,\"filters\":[\"model\",\"userId\"],\"keyIds\":[\"k1\",\"k2\"],\"teamIds\":[\"t0\",\"\"]}").json();
        long n = 0;
        for (JsonNode p : report.get("dataPoints")) {
            long t = p.get("timeStamp").asLong();
            List<StoredEvent> in = stored.stream().filter(r -> r.createdAt() >= t && r.createdAt() < Math.min(t + 7_200, end)
                    && (r.key().equals("k1") || r.key().equals("k2")) && (r.team().equals("t0") || r.team().isEmpty())
                    && r.model().equals(p.get("model").asText()) && r.user().equals(p.get("userId").asText())).toList();
            if (in.isEmpty()) {
                assertThat(p.get("numberOfRequests").asLong()).isZero();
                continue;
            }
            assertPoint(p, in);
            n += in.size();
        }
        assertThat(n).isPositive().isEqualTo(stored.stream().filter(r -> r.createdAt() >= start && r.createdAt() < end
                && (r.key().equals("k1") || r.key().equals("k2")) && (r.team().equals("t0") || r.team().isEmpty())).count());
        // the events table's own aggregate (the fallback) agrees on every integer and to rounding on cost
        List<EventSlice> direct = h.repo.aggregate(EventFilter.between(start, end).withKeyIds(List.of("k1", "k2"))
                .withTeamIds(List.of("t0", "")), start, 7_200, List.of(Dimension.MODEL, Dimension.USER_ID));
        List<EventSlice> rolled = h.repo.rollups().aggregate(new EventRollups.Scope(start, end, List.of("k1", "k2"), null,
                List.of("t0", "")), start, 7_200, List.of(Dimension.MODEL, Dimension.USER_ID));
        java.util.Comparator<EventSlice> order = java.util.Comparator.comparingLong(EventSlice::slot)
                .thenComparing(x -> x.value(Dimension.MODEL)).thenComparing(x -> x.value(Dimension.USER_ID));
        direct = direct.stream().sorted(order).toList();
        rolled = rolled.stream().sorted(order).toList();
        assertThat(rolled).hasSameSizeAs(direct);
        for (int i = 0; i < direct.size(); i++) {
            EventSlice a = direct.get(i);
            EventSlice b = rolled.get(i);
            assertThat(b.costInUsd()).isCloseTo(a.costInUsd(), within(1e-9));
            assertThat(b).usingRecursiveComparison().ignoringFields("costInUsd").isEqualTo(a);
        }

        // buckets of whole days (read from the daily table, the hours around it, then events), end inside an hour
        long dEnd = T0 + 2 * 86_400 + 5 * HOUR + 77;
        JsonNode daily = h.client.post("/api/reporting/events", "{\"start\":" + T0 + ",\"end\":" + dEnd
                + ",\"increment\":86400,\"filters\":[\"keyId\"],\"userIds\":[\"u1\",\"u2\"]}").json();
        long m = 0;
        for (JsonNode p : daily.get("dataPoints")) {
            long t = p.get("timeStamp").asLong();
            List<StoredEvent> in = stored.stream().filter(r -> r.createdAt() >= t && r.createdAt() < Math.min(t + 86_400, dEnd)
                    && (r.user().equals("u1") || r.user().equals("u2")) && r.key().equals(p.get("keyId").asText())).toList();
            if (in.isEmpty()) continue;
            assertPoint(p, in);
            m += in.size();
        }
        assertThat(m).isEqualTo(stored.stream().filter(r -> r.createdAt() >= T0 && r.createdAt() < dEnd
                && (r.user().equals("u1") || r.user().equals("u2"))).count());

        // by day, with both range edges inside an hour and a whole day between them
        long dayStart = T0 + 1_800;
        long dayEnd = T0 + 86_400 * 2 + 8 * HOUR + 59;
        JsonNode byDay = h.client.post("/api/reporting/events-by-day", "{\"start\":" + dayStart + ",\"end\":" + dayEnd
                + ",\"keyIds\":[\"k0\",\"k3\"]}").json();
        assertThat(byDay.get("dataPoints")).hasSize(6); // 3 days x 2 keys
        for (JsonNode p : byDay.get("dataPoints")) {
            String key = p.get("keyId").asText();
            long t = p.get("timeStamp").asLong();
            assertPoint(p, stored.stream().filter(r -> r.key().equals(key) && r.createdAt() >= Math.max(t, dayStart)
                    && r.createdAt() < Math.min(t + 86_400, dayEnd)).toList());
        }

        // top keys over a range with partial hours
        JsonNode top = h.client.post("/api/reporting/top-keys", "{\"start\":" + dayStart + ",\"end\":" + dayEnd + "}").json();
        Map<String, Double> spend = new HashMap<>();
        top.get("dataPoints").forEach(p -> spend.put(p.get("keyId").asText(), p.get("costInUsd").asDouble()));
        assertThat(spend.keySet()).containsExactlyInAnyOrder("k0", "k1", "k2", "k3");
        spend.forEach((key, cost) -> assertThat(cost).isEqualTo(
                EventRollups.usd(picoSum(stored, r -> r.key().equals(key) && r.createdAt() >= dayStart && r.createdAt() < dayEnd))));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aReplayedBatchDoesNotCountTwice(Kind kind) throws Exception {
        open(kind);
        Random rnd = new Random(11);
        List<Event> first = randomEvents(rnd, 300);
        List<Event> second = randomEvents(rnd, 300);
        assertThat(h.repo.insert(first)).isEqualTo(300);
        Map<String, List<Object>> once = rollupTable();
        assertThat(h.repo.insert(first)).isZero(); // the spool replays a batch that had been written
        assertThat(rollupTable()).isEqualTo(once);

        List<Event> mixed = new ArrayList<>(first.subList(0, 150)); // partly written before
        mixed.addAll(second);
        mixed.add(second.get(0)); // the same id twice in one batch
        assertThat(h.repo.insert(mixed)).isEqualTo(300);
        assertThat(rollupTable()).isEqualTo(expectedFromEvents());
        assertThat(h.db.query("SELECT SUM(requests) FROM event_rollups_hourly", rs -> rs.getLong(1))).containsExactly(600L);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRebuildEqualsTheRollupsKeptAsEventsWereWritten(Kind kind) throws Exception {
        open(kind);
        Random rnd = new Random(3);
        List<Event> events = randomEvents(rnd, 2_000);
        h.repo.insert(events.subList(0, 900));
        h.repo.insert(events.subList(900, 2_000));
        Map<String, List<Object>> incremental = rollupTable();
        assertThat(incremental).isNotEmpty();

        assertThat(h.repo.rollups().rebuildIfMissing()).as("rollups present: nothing to do").isEmpty();
        JsonNode r = h.client.post("/api/reporting/rollups/rebuild", "{}").json();
        assertThat(r.get("events").asLong()).isEqualTo(2_000);
        assertThat(r.get("rollupRows").asLong()).isEqualTo(incremental.size());
        assertThat(rollupTable()).isEqualTo(incremental);

        // a database restored without its rollups
        h.db.update("DELETE FROM event_rollups_hourly");
        assertThat(h.repo.rollups().rebuildIfMissing()).hasValueSatisfying(b -> assertThat(b.events()).isEqualTo(2_000));
        assertThat(rollupTable()).isEqualTo(incremental);
        // and events written after a rebuild keep adding up
        h.repo.insert(randomEvents(rnd, 100));
        assertThat(rollupTable()).isEqualTo(expectedFromEvents());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void reportPercentilesFromTheRollupHistogramsAreWithinOneSixtyFourthOfTheExactOnes(Kind kind) throws Exception {
        open(kind);
        Random rnd = new Random(17);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 6_000; i++) {
            events.add(TestEvent.at(T0 + 1_800 + rnd.nextInt(50 * 3_600)).key(pick(rnd, KEYS)).team(pick(rnd, TEAMS))
                    .userId(pick(rnd, USERS)).model(pick(rnd, MODELS)).tags(rnd.nextBoolean() ? "blue" : "red")
                    .latency((long) Math.exp(rnd.nextDouble() * 12)).build()); // 1 ms .. 160 s, log-uniform
        }
        for (int from = 0; from < events.size(); ) {
            int to = Math.min(events.size(), from + 1 + rnd.nextInt(900));
            h.repo.insert(events.subList(from, to));
            from = to;
        }
        record Case(long start, long end, long increment, String filters) {}
        List<Case> cases = List.of(
                new Case(T0, T0 + 3 * 86_400, 86_400, ""), // whole days
                new Case(T0 + 1_234, T0 + 2 * 86_400 + 5 * HOUR + 77, 3_600, ",\"keyIds\":[\"k1\",\"k2\"]"), // days, hours, edges
                new Case(T0 + 7 * HOUR, T0 + 30 * HOUR, 600, ",\"userIds\":[\"u1\"],\"teamIds\":[\"t0\",\"\"]"));
        for (Case c : cases) {
            JsonNode r = h.client.post("/api/reporting/events", "{\"start\":" + c.start() + ",\"end\":" + c.end()
                    + ",\"increment\":" + c.increment() + c.filters() + "}").json();
            EventFilter f = EventFilter.between(c.start(), c.end());
            if (c.filters().contains("keyIds")) f = f.withKeyIds(List.of("k1", "k2"));
            if (c.filters().contains("userIds")) f = f.withUserIds(List.of("u1")).withTeamIds(List.of("t0", ""));
            double[] exact = h.repo.latencyPercentiles(f, 0.5, 0.99);
            assertThat(exact[0]).isGreaterThan(64);
            assertThat(r.get("latencyInMsMedian").asDouble()).as(c.toString()).isCloseTo(exact[0], within(exact[0] / 64));
            assertThat(r.get("latencyInMs99th").asDouble()).as(c.toString()).isCloseTo(exact[1], within(exact[1] / 64));
        }
        // a range without a whole hour reads only events: exact
        long s0 = T0 + 5 * HOUR + 60;
        long e0 = T0 + 6 * HOUR + 1_000;
        assertThat(h.repo.rollups().latencyPercentiles(new EventRollups.Scope(s0, e0, null, null, null), 0.5, 0.99))
                .hasValueSatisfying(p -> assertThat(p).containsExactly(h.repo.latencyPercentiles(EventFilter.between(s0, e0), 0.5, 0.99)));
        // one tag: from the tag rollups' histograms (V20), as close; two tags (contain-all): exact, from the events
        JsonNode tagged = h.client.post("/api/reporting/events", "{\"start\":" + T0 + ",\"end\":" + (T0 + 3 * 86_400)
                + ",\"increment\":86400,\"tags\":[\"blue\"]}").json();
        double blue = h.repo.latencyPercentiles(EventFilter.between(T0, T0 + 3 * 86_400).withTags(List.of("blue")), 0.5)[0];
        assertThat(tagged.get("latencyInMsMedian").asDouble()).isCloseTo(blue, within(blue / 64));
        JsonNode two = h.client.post("/api/reporting/events", "{\"start\":" + T0 + ",\"end\":" + (T0 + 3 * 86_400)
                + ",\"increment\":86400,\"tags\":[\"blue\",\"red\"]}").json();
        long both = 0; // no event is both blue and red
        for (JsonNode p : two.get("dataPoints")) both += p.get("numberOfRequests").asLong();
        assertThat(both).isZero();

        // rows from before V16 have no histogram: the report reads the events (exact), and start-up rebuilds them
        h.db.update("UPDATE event_rollups_daily SET latency_hist = NULL WHERE period_start = ?", T0 + 86_400);
        EventRollups.Scope all = new EventRollups.Scope(T0, T0 + 3 * 86_400, null, null, null);
        assertThat(h.repo.rollups().latencyPercentiles(all, 0.5)).isEmpty();
        JsonNode fallback = h.client.post("/api/reporting/events", "{\"start\":" + T0 + ",\"end\":" + (T0 + 3 * 86_400)
                + ",\"increment\":86400}").json();
        assertThat(fallback.get("latencyInMsMedian").asDouble())
                .isEqualTo(h.repo.latencyPercentiles(EventFilter.between(T0, T0 + 3 * 86_400), 0.5)[0]);
        Map<String, List<Object>> before = expectedFromEvents();
        assertThat(h.repo.rollups().rebuildIfMissing()).isPresent();
        assertThat(h.repo.rollups().rebuildIfMissing()).isEmpty();
        assertThat(rollupTable()).isEqualTo(before);
        assertThat(h.repo.rollups().latencyPercentiles(all, 0.5)).isPresent();
    }

    @Test
    void costUnitsRoundAsDocumented() {
        assertThat(EventRollups.pico(0.001234)).isEqualTo(1_234_000_000L);
        assertThat(EventRollups.pico(1.5e-7)).isEqualTo(150_000L); // below a micro dollar: kept
        assertThat(EventRollups.pico(Double.NaN)).isZero();
        assertThat(EventRollups.micros(BigInteger.valueOf(1_500_000))).isEqualTo(2); // half up
        assertThat(EventRollups.micros(BigInteger.valueOf(1_499_999))).isEqualTo(1);
        assertThat(EventRollups.micros(BigInteger.valueOf(-1_500_000))).isEqualTo(-1);
        assertThat(EventRollups.micros(BigInteger.valueOf(-1_500_001))).isEqualTo(-2);
        assertThat(EventRollups.usd(BigInteger.valueOf(1_000_000_000_000L))).isEqualTo(1.0);
        assertThat(EventRollups.statusClass(429)).isEqualTo(4);
        assertThat(EventRollups.statusClass(0)).isZero();
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** Events over 50 hours (three UTC days) from a half hour, on every dimension the rollups hold, with costs that are not dyadic. */
    private static List<Event> randomEvents(Random rnd, int n) {
        List<Event> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(TestEvent.at(T0 + 1_800 + rnd.nextInt(50 * 3_600)).key(pick(rnd, KEYS)).team(pick(rnd, TEAMS))
                    .userId(pick(rnd, USERS)).model(pick(rnd, MODELS)).provider(pick(rnd, PROVIDERS))
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

    /** The hourly rollup table as dimensions → measures; checks on the way that the daily table holds its sums by day. */
    private Map<String, List<Object>> rollupTable() {
        String measures = "SUM(requests), SUM(successes), SUM(errors), SUM(prompt_tokens), SUM(completion_tokens), "
                + "SUM(cache_read_tokens), SUM(cache_write_tokens), SUM(reasoning_tokens), SUM(latency_ms), SUM(cost_pico)";
        String dimCols = "key_id, team_id, user_id, model, provider, status_class";
        assertThat(h.db.query("SELECT period_start, " + dimCols + ", " + measures + " FROM event_rollups_daily GROUP BY "
                + "period_start, " + dimCols + " ORDER BY 1, 2, 3, 4, 5, 6, 7", EventRollupsTest::strings))
                .as("daily = hourly by day")
                .isEqualTo(h.db.query("SELECT (period_start / 86400) * 86400, " + dimCols + ", " + measures
                        + " FROM event_rollups_hourly GROUP BY (period_start / 86400) * 86400, " + dimCols
                        + " ORDER BY 1, 2, 3, 4, 5, 6, 7", EventRollupsTest::strings));
        // the daily histograms are the hourly ones merged by day
        Map<String, LatencyHistogram> hourlyByDay = new TreeMap<>();
        h.db.query("SELECT (period_start / 86400) * 86400, " + dimCols + ", latency_hist FROM event_rollups_hourly", rs -> {
            hourlyByDay.computeIfAbsent(dimsOf(rs), k -> new LatencyHistogram()).addEncoded(rs.getString(8));
            return null;
        });
        Map<String, LatencyHistogram> daily = new TreeMap<>();
        h.db.query("SELECT period_start, " + dimCols + ", latency_hist FROM event_rollups_daily",
                rs -> daily.put(dimsOf(rs), LatencyHistogram.decode(rs.getString(8))));
        assertThat(daily).as("daily histograms = hourly ones by day").isEqualTo(hourlyByDay);
        Map<String, List<Object>> out = new TreeMap<>();
        h.db.query("SELECT period_start, key_id, team_id, user_id, model, provider, status_class, requests, successes, errors, "
                + "prompt_tokens, completion_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, latency_ms, "
                + "cost_pico, latency_hist FROM event_rollups_hourly", rs -> {
            List<Object> m = new ArrayList<>();
            for (int i = 8; i <= 17; i++) m.add(rs.getLong(i));
            m.add(rs.getString(18));
            return out.put(dimsOf(rs), m);
        });
        return out;
    }

    private static String dimsOf(java.sql.ResultSet rs) throws java.sql.SQLException {
        return rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4) + "|"
                + rs.getString(5) + "|" + rs.getString(6) + "|" + rs.getInt(7);
    }

    /** What the rollup table must hold, summed here from the events table: hour, dimensions, status / 100. */
    private Map<String, List<Object>> expectedFromEvents() {
        StoredEvent.ExpectedRollups expected = new StoredEvent.ExpectedRollups();
        for (StoredEvent r : StoredEvent.all(h.db)) {
            expected.add(Math.floorDiv(r.createdAt(), HOUR) * HOUR + "|" + r.key() + "|" + r.team() + "|" + r.user() + "|"
                    + r.model() + "|" + r.provider() + "|" + r.statusClass(), r);
        }
        return expected.rows();
    }

    private static BigInteger picoSum(List<StoredEvent> rows, Predicate<StoredEvent> which) {
        return BigInteger.valueOf(rows.stream().filter(which).mapToLong(r -> Math.round(r.cost() * 1e12)).sum());
    }

    private static long microsHalfUp(BigInteger pico) {
        return Math.floorDiv(pico.longValueExact() + 500_000, 1_000_000);
    }

    private static void assertPoint(JsonNode p, List<StoredEvent> in) {
        assertThat(p.get("numberOfRequests").asLong()).isEqualTo(in.size());
        assertThat(p.get("costInUsd").asDouble()).isEqualTo(EventRollups.usd(picoSum(in, r -> true)));
        assertThat(p.get("latencyInMs").asLong()).isEqualTo(in.stream().mapToLong(StoredEvent::latency).sum());
        assertThat(p.get("promptTokenCount").asLong()).isEqualTo(in.stream().mapToLong(StoredEvent::prompt).sum());
        assertThat(p.get("completionTokenCount").asLong()).isEqualTo(in.stream().mapToLong(StoredEvent::completion).sum());
        assertThat(p.get("cacheReadTokenCount").asLong()).isEqualTo(in.stream().mapToLong(StoredEvent::cacheRead).sum());
        assertThat(p.get("cacheWriteTokenCount").asLong()).isEqualTo(in.stream().mapToLong(StoredEvent::cacheWrite).sum());
        assertThat(p.get("reasoningTokenCount").asLong()).isEqualTo(in.stream().mapToLong(StoredEvent::reasoning).sum());
        assertThat(p.get("successCount").asLong()).isEqualTo(in.stream().filter(r -> r.status() == 200).count());
    }

    private static List<String> strings(java.sql.ResultSet rs) throws java.sql.SQLException {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) out.add(rs.getString(i));
        return out;
    }

    private static List<Long> longs(java.sql.ResultSet rs) throws java.sql.SQLException {
        List<Long> out = new ArrayList<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) out.add(rs.getLong(i));
        return out;
    }
}
