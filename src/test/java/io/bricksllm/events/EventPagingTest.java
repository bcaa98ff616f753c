package io.bricksllm.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Database;
import io.bricksllm.store.Json;
import io.bricksllm.testing.TestDatabases.Kind;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 20 items 1 and 5 on both databases: keyset paging of {@code GET /api/events} ({@code X-Next-Cursor}) and
 * {@code POST /api/v2/events} ({@code nextCursor}), and the NDJSON export, over 25,000 events of one key with many
 * ties in created_at and cost (so the event-id tie-break matters), plus another key's events around them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventPagingTest {
    private static final int MAIN_KEY_EVENTS = 25_000;
    private static final int OTHER_KEY_EVENTS = 1_000;
    private static final long BASE = 1_700_000_000L;
    /** Events per created_at second: 50 ties each. */
    private static final int PER_SECOND = 50;
    private static final long END = BASE + 1_000_000;

    private final Map<Kind, AdminHarness> harnesses = new EnumMap<>(Kind.class);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AdminHarness open(Kind kind) throws Exception {
        AdminHarness h = harnesses.get(kind);
        if (h != null) return h;
        h = new AdminHarness(kind, repo -> List.of(new EventAdmin(repo)));
        List<Event> batch = new ArrayList<>();
        for (int i = 0; i < MAIN_KEY_EVENTS; i++) {
            TestEvent e = TestEvent.at(BASE + i / PER_SECOND).id(Event.newId()).key("k1").cost((i % 7) * 0.5)
                    .team(i % 2 == 0 ? "t1" : "");
            if (i % 5 == 0) e.customId("c1");
            if (i % 3 == 0) e.userId("u1");
            if (i % 10 == 0) e.bodies(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), null);
            batch.add(e.build());
            if (i % OTHER_KEY_EVENTS == 0) batch.add(TestEvent.at(BASE + i / PER_SECOND).id(Event.newId()).key("k2").team("t2").build());
            if (batch.size() >= 5_000) {
                h.repo.insert(batch);
                batch.clear();
            }
        }
        h.repo.insert(batch);
        if (kind == Kind.POSTGRES) h.db.update("ANALYZE events");
        harnesses.put(kind, h);
        return h;
    }

    @AfterAll
    void closeAll() throws Exception {
        for (AdminHarness h : harnesses.values()) h.close();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void v1PagesThroughEveryEventOnceInAStableOrder(Kind kind) throws Exception {
        AdminHarness h = open(kind);
        String query = "/api/events?keyIds=k1&start=" + BASE + "&end=" + END;
        List<JsonNode> first = v1All(h, query, 700);
        assertThat(first).hasSize(MAIN_KEY_EVENTS);
        assertThat(distinctIds(first)).hasSize(MAIN_KEY_EVENTS);
        for (int i = 1; i < first.size(); i++) {
            assertThat(first.get(i).get("created_at").asLong()).isGreaterThanOrEqualTo(first.get(i - 1).get("created_at").asLong());
        }
        assertThat(first).allMatch(e -> e.get("key_id").asText().equals("k1"));
        // the same pages again (other page size): the same order, so the order is total
        assertThat(ids(v1All(h, query, 3_000))).isEqualTo(ids(first));

        // the original's call without limit or cursor: the first page of the default size, and where to go on
        HttpResponse<String> unpaged = get(h, query);
        assertThat(unpaged.statusCode()).isEqualTo(200);
        JsonNode page = Json.MAPPER.readTree(unpaged.body());
        assertThat(page.isArray()).isTrue();
        assertThat(ids(page)).isEqualTo(ids(first).subList(0, EventAdmin.DEFAULT_PAGE));
        assertThat(unpaged.headers().firstValue(EventAdmin.NEXT_CURSOR)).isPresent();
        // bodies are left out of lists (issue 20.2) unless includeBodies=true, which pages through the same events
        assertThat(first).noneMatch(e -> e.has("request") || e.has("response"));
        List<JsonNode> withBodies = v1All(h, query + "&includeBodies=true", 3_000);
        assertThat(ids(withBodies)).isEqualTo(ids(first));
        assertThat(withBodies).allMatch(e -> e.has("request") && e.has("response"));
        assertThat(withBodies).anyMatch(e -> !e.get("request").asText().equals(EventJson.EMPTY_OBJECT_BASE64));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void v1PagesByTeamCustomIdAndUserId(Kind kind) throws Exception {
        AdminHarness h = open(kind);
        List<JsonNode> team = v1All(h, "/api/events?teamIds=t1&start=" + BASE + "&end=" + END, 1_000);
        assertThat(distinctIds(team)).hasSize(MAIN_KEY_EVENTS / 2);
        assertThat(team).allMatch(e -> e.get("teamId").asText().equals("t1"));
        List<JsonNode> custom = v1All(h, "/api/events?customId=c1", 1_200);
        assertThat(distinctIds(custom)).hasSize(MAIN_KEY_EVENTS / 5);
        List<JsonNode> user = v1All(h, "/api/events?userId=u1", 2_500);
        assertThat(distinctIds(user)).hasSize((MAIN_KEY_EVENTS + 2) / 3);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void v1LimitAndCursorAreValidated(Kind kind) throws Exception {
        AdminHarness h = open(kind);
        String query = "/api/events?keyIds=k1&start=" + BASE + "&end=" + END;
        for (String bad : List.of("0", "-1", "abc", "1.5")) {
            assertError(get(h, query + "&limit=" + bad), 400, "/errors/bad-limit-query-param");
        }
        HttpResponse<String> clamped = get(h, query + "&limit=20000");
        assertThat(Json.MAPPER.readTree(clamped.body())).hasSize(EventAdmin.MAX_PAGE);
        assertThat(clamped.headers().firstValue(EventAdmin.NEXT_CURSOR)).isPresent();

        String v2Cursor = Json.MAPPER.readTree(h.client.post("/api/v2/events",
                "{\"start\":1,\"end\":" + END + ",\"dateOrder\":\"desc\",\"limit\":5}").body()).get("nextCursor").asText();
        for (String bad : List.of("garbage!", "Zm9v", "djF8Tk9ORXx4fGlk", v2Cursor, "x".repeat(300))) {
            assertError(get(h, query + "&cursor=" + URLEncoder.encode(bad, StandardCharsets.UTF_8)), 400,
                    "/errors/bad-cursor-query-param");
        }
        // a cursor past the last event: an empty last page
        HttpResponse<String> past = get(h, query + "&cursor=" + new EventCursor(EventRepository.Order.NONE, END, "zzz").encode());
        assertThat(past.body()).isEqualTo("[]");
        assertThat(past.headers().firstValue(EventAdmin.NEXT_CURSOR)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void v2PagesWithNextCursorInEveryOrder(Kind kind) throws Exception {
        AdminHarness h = open(kind);
        String filter = "\"start\":" + BASE + ",\"end\":" + END + ",\"keyIds\":[\"k1\"]";
        List<JsonNode> byDate = v2All(h, filter + ",\"dateOrder\":\"desc\",\"returnCount\":true", 3_000, MAIN_KEY_EVENTS);
        assertThat(distinctIds(byDate)).hasSize(MAIN_KEY_EVENTS);
        for (int i = 1; i < byDate.size(); i++) {
            assertThat(byDate.get(i).get("created_at").asLong()).isLessThanOrEqualTo(byDate.get(i - 1).get("created_at").asLong());
        }
        List<JsonNode> byCost = v2All(h, filter + ",\"costOrder\":\"asc\"", 4_000, 0);
        assertThat(distinctIds(byCost)).hasSize(MAIN_KEY_EVENTS);
        for (int i = 1; i < byCost.size(); i++) {
            assertThat(byCost.get(i).get("cost_in_usd").asDouble()).isGreaterThanOrEqualTo(byCost.get(i - 1).get("cost_in_usd").asDouble());
        }
        assertThat(distinctIds(v2All(h, filter + ",\"costOrder\":\"desc\"", 6_000, 0))).hasSize(MAIN_KEY_EVENTS);
        assertThat(distinctIds(v2All(h, filter, 9_000, 0))).hasSize(MAIN_KEY_EVENTS);

        // no limit: the default page; a limit above the maximum: the maximum
        assertThat(h.client.post("/api/v2/events", "{" + filter + "}").json().get("events")).hasSize(EventAdmin.DEFAULT_PAGE);
        assertThat(h.client.post("/api/v2/events", "{" + filter + ",\"limit\":50000}").json().get("events")).hasSize(EventAdmin.MAX_PAGE);
        // offset still works without a cursor, and its page has a cursor too
        JsonNode offsetPage = h.client.post("/api/v2/events", "{" + filter + ",\"limit\":10,\"offset\":5}").json();
        assertThat(ids(offsetPage.get("events"))).isEqualTo(ids(v2Page(h, filter, 15)).subList(5, 15));
        assertThat(offsetPage.get("nextCursor").isTextual()).isTrue();

        String cursor = offsetPage.get("nextCursor").asText();
        assertValidation(h, "{" + filter + ",\"limit\":10,\"offset\":5,\"cursor\":\"" + cursor + "\"}", "offset cannot be used with cursor");
        assertThat(h.client.post("/api/v2/events", "{" + filter + ",\"cursor\":\"%%%\"}").status()).isEqualTo(400);
        // a cursor of the default order sent with another order
        assertThat(h.client.post("/api/v2/events", "{" + filter + ",\"costOrder\":\"desc\",\"cursor\":\"" + cursor + "\"}")
                .json().get("detail").asText()).startsWith("cursor is not valid");
        assertThat(h.client.post("/api/v2/events", "{" + filter + ",\"cursor\":5}").status()).isEqualTo(400);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void exportStreamsNdjsonPlainAndGzipped(Kind kind) throws Exception {
        AdminHarness h = open(kind);
        long start = BASE + 10;
        long end = BASE + 400; // [start, end): 390 seconds of 50 events of k1, and k2's among them
        long expected = h.repo.count(EventFilter.between(start, end));
        String query = "/api/events/export?start=" + start + "&end=" + end;

        HttpResponse<String> plain = get(h, query);
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Content-Type")).contains("application/x-ndjson");
        List<JsonNode> lines = ndjson(plain.body().getBytes(StandardCharsets.UTF_8));
        assertThat(lines).hasSize((int) expected);
        assertThat(distinctIds(lines)).hasSize((int) expected);
        assertThat(lines).allMatch(e -> e.get("created_at").asLong() >= start && e.get("created_at").asLong() < end);
        assertThat(lines).noneMatch(e -> e.has("request") || e.has("response"));

        HttpResponse<byte[]> file = getBytes(h, query + "&gzip=true&includeBodies=true", Map.of());
        assertThat(file.headers().firstValue("Content-Type")).contains("application/gzip");
        List<JsonNode> unzipped = ndjson(new GZIPInputStream(new ByteArrayInputStream(file.body())).readAllBytes());
        assertThat(ids(unzipped)).isEqualTo(ids(lines));
        assertThat(unzipped).allMatch(e -> e.has("request"));
        assertThat(unzipped).anyMatch(e -> !e.get("request").asText().equals(EventJson.EMPTY_OBJECT_BASE64));

        HttpResponse<byte[]> encoded = getBytes(h, query + "&keyIds=k2", Map.of("Accept-Encoding", "gzip"));
        assertThat(encoded.headers().firstValue("Content-Encoding")).contains("gzip");
        List<JsonNode> k2 = ndjson(new GZIPInputStream(new ByteArrayInputStream(encoded.body())).readAllBytes());
        assertThat(k2).isNotEmpty().allMatch(e -> e.get("key_id").asText().equals("k2"));
        assertThat(k2).hasSize((int) h.repo.count(EventFilter.between(start, end).withKeyIds(List.of("k2"))));

        assertThat(ndjson(get(h, "/api/events/export?start=1&end=2").body().getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertError(get(h, "/api/events/export?end=5"), 400, "/errors/query-param-start-missing");
        assertError(get(h, "/api/events/export?start=5"), 400, "/errors/query-param-end-missing");
        assertError(get(h, "/api/events/export?start=5&end=5"), 400, "/errors/bad-export-range");
        assertError(get(h, "/api/events/export?start=1&end=5&gzip=yes"), 400, "/errors/bad-gzip-query-param");
    }

    /** The paging query reads the index of each common filter (SQLite: in order, no sort), never the whole table. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void indexesServeThePagesOfTheCommonFilters(Kind kind) throws Exception {
        AdminHarness h = open(kind);
        EventCursor cursor = new EventCursor(EventRepository.Order.NONE, BASE + 100, "0");
        Map<String, EventFilter> filters = Map.of(
                "events_key_id_created_at_id_idx", EventFilter.all().withKeyIds(List.of("k1")).withRange(BASE, END, true),
                "events_team_id_created_at_id_idx", EventFilter.all().withTeamIds(List.of("t2")).withRange(BASE, END, true),
                "events_custom_id_created_at_id_idx", EventFilter.all().withCustomIds(List.of("c1")),
                "events_user_id_created_at_id_idx", EventFilter.all().withUserIds(List.of("u1")));
        for (var f : filters.entrySet()) {
            for (EventRepository.Order order : List.of(EventRepository.Order.NONE, EventRepository.Order.DATE_DESC)) {
                EventCursor c = new EventCursor(order, cursor.value(), cursor.eventId());
                EventRepository.Query q = h.repo.pageQuery(f.getValue(), order, c, null, 0, 500, true);
                String plan = explain(h.db, kind, q);
                if (kind == Kind.SQLITE) {
                    assertThat(plan).as(f.getKey() + " " + order).contains(f.getKey())
                            .doesNotContain("TEMP B-TREE").doesNotContain("SCAN events");
                } else {
                    // PostgreSQL weighs its statistics: for a filter matching a third of the rows it may walk
                    // (created_at, event_id) in order and filter instead; either way an index, never the whole table
                    // (the events are partitioned by day, V15: the empty partitions created ahead cost a seq scan of nothing)
                    assertThat(plan).as(f.getKey() + " " + order).contains("Index");
                    var seq = java.util.regex.Pattern.compile("Seq Scan on (\\w+)").matcher(plan);
                    while (seq.find()) {
                        assertThat(h.db.query("SELECT COUNT(*) FROM " + seq.group(1), rs -> rs.getLong(1)).get(0))
                                .as(f.getKey() + " " + order + ": a seq scan of a partition holding events").isZero();
                    }
                }
                // PostgreSQL may prefer a bitmap scan and a top-N sort of a filter's few thousand rows here (its
                // memory is bounded by the page); the key's pages, the large case, must come from the index in order
                if (kind == Kind.POSTGRES && f.getKey().startsWith("events_key_id")) {
                    assertThat(plan).doesNotContain("Sort"); // k1 is 96% of the rows here: any ordered index walk will do
                }
            }
        }
    }

    /**
     * A page after a cursor starts its created_at range at the cursor: with the filter's own start as the range's
     * lower bound SQLite walked the index from there to the cursor, so the n-th page of one key cost O(n).
     */
    @org.junit.jupiter.api.Test
    void aCursorNarrowsTheCreatedAtRangeItResumesIn() {
        EventFilter f = EventFilter.all().withKeyIds(List.of("k1")).withRange(BASE, END, true);
        EventCursor asc = new EventCursor(EventRepository.Order.NONE, BASE + 100, "x");
        EventFilter a = EventRepository.startingAt(f, EventRepository.Order.NONE, asc);
        assertThat(a.start()).isEqualTo(BASE + 100);
        assertThat(a.end()).isEqualTo(END);
        assertThat(a.endInclusive()).isTrue();
        EventCursor desc = new EventCursor(EventRepository.Order.DATE_DESC, BASE + 100, "x");
        EventFilter d = EventRepository.startingAt(f.withRange(BASE, END, false), EventRepository.Order.DATE_DESC, desc);
        assertThat(d.start()).isEqualTo(BASE);
        assertThat(d.end()).isEqualTo(BASE + 100);
        assertThat(d.endInclusive()).as("rows at the cursor's second with a smaller id come next").isTrue();
        // a cursor before the range, or a cost order, leaves the filter as it is
        assertThat(EventRepository.startingAt(f, EventRepository.Order.NONE, new EventCursor(EventRepository.Order.NONE, BASE - 5, "x")))
                .isEqualTo(f);
        assertThat(EventRepository.startingAt(f, EventRepository.Order.COST_ASC, new EventCursor(EventRepository.Order.COST_ASC, 7, "x")))
                .isEqualTo(f);
        assertThat(EventRepository.startingAt(f, EventRepository.Order.NONE, null)).isEqualTo(f);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private List<JsonNode> v1All(AdminHarness h, String query, int limit) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 1_000; pages++) {
            HttpResponse<String> r = get(h, query + "&limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode page = Json.MAPPER.readTree(r.body());
            page.forEach(all::add);
            cursor = r.headers().firstValue(EventAdmin.NEXT_CURSOR).orElse(null);
            if (cursor == null) {
                assertThat(page.size()).isLessThanOrEqualTo(limit);
                return all;
            }
            assertThat(page.size()).isEqualTo(limit);
        }
        throw new AssertionError("more than 1,000 pages");
    }

    private List<JsonNode> v2All(AdminHarness h, String filter, int limit, long count) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 1_000; pages++) {
            var r = h.client.post("/api/v2/events", "{" + filter + ",\"limit\":" + limit
                    + (cursor == null ? "" : ",\"cursor\":\"" + cursor + "\"") + "}");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode body = r.json();
            assertThat(body.get("count").asLong()).isEqualTo(count);
            body.get("events").forEach(all::add);
            JsonNode next = body.get("nextCursor");
            if (next == null || next.isNull()) return all;
            assertThat(body.get("events")).hasSize(limit);
            cursor = next.asText();
        }
        throw new AssertionError("more than 1,000 pages");
    }

    private JsonNode v2Page(AdminHarness h, String filter, int limit) {
        return h.client.post("/api/v2/events", "{" + filter + ",\"limit\":" + limit + "}").json().get("events");
    }

    private static String explain(Database db, Kind kind, EventRepository.Query q) {
        String sql = (kind == Kind.SQLITE ? "EXPLAIN QUERY PLAN " : "EXPLAIN (COSTS OFF) ") + q.sql();
        return String.join(" | ", db.query(sql, rs -> rs.getString(kind == Kind.SQLITE ? 4 : 1), q.params().toArray()));
    }

    private HttpResponse<String> get(AdminHarness h, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(h.base + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> getBytes(AdminHarness h, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.base + path)).timeout(Duration.ofSeconds(30));
        headers.forEach(b::header);
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return r;
    }

    private static List<JsonNode> ndjson(byte[] body) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) out.add(Json.MAPPER.readTree(line));
        }
        return out;
    }

    private static void assertError(HttpResponse<String> r, int status, String type) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(Json.MAPPER.readTree(r.body()).get("type").asText()).isEqualTo(type);
    }

    private static void assertValidation(AdminHarness h, String body, String detail) {
        var r = h.client.post("/api/v2/events", body);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("detail").asText()).isEqualTo(detail);
    }

    private static List<String> ids(Iterable<JsonNode> events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.get("id").asText()));
        return out;
    }

    private static Set<String> distinctIds(List<JsonNode> events) {
        return new HashSet<>(ids(events));
    }
}
