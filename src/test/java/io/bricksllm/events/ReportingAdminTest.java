package io.bricksllm.events;

import static io.bricksllm.events.EventAdminTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.ApiKey;
import io.bricksllm.testing.AdminClient.Reply;
import io.bricksllm.testing.TestDatabases.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReportingAdminTest {
    private static final long DAY = 86_400;
    private static final long T0 = 1_700_006_400L; // a UTC midnight (19675 * 86400)

    private AdminHarness h;
    private final List<ApiKey> keys = new ArrayList<>();

    private void open(Kind kind) throws Exception {
        h = new AdminHarness(kind, repo -> List.of(new ReportingAdmin(repo,
                id -> keys.stream().anyMatch(k -> k.keyId().equals(id)), () -> List.copyOf(keys))));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (h != null) h.close();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void keySpendIsTheSumOfItsEventsInMicroDollars(Kind kind) throws Exception {
        open(kind);
        keys.add(key("k1", "one", 10, false));
        keys.add(key("k2", "two", 10, false));
        h.repo.insert(List.of(TestEvent.at(1).key("k1").cost(0.001234).build(), TestEvent.at(2).key("k1").cost(1.5).build(),
                TestEvent.at(3).key("k3").cost(9).build()));
        JsonNode r = h.client.get("/api/reporting/keys/k1").json();
        assertThat(r.get("id").asText()).isEqualTo("k1");
        assertThat(r.get("costInMicroDollars").asLong()).isEqualTo(1_501_234);
        assertThat(h.client.get("/api/reporting/keys/k2").json().get("costInMicroDollars").asLong()).isZero();
        assertError(h.client.get("/api/reporting/keys/k3"), 404, "/errors/key-not-found");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void eventReportRefusesBadRequestsWithARealBadRequest(Kind kind) throws Exception {
        open(kind);
        for (String body : List.of("{}", "{\"start\":1,\"end\":10}", "{\"start\":1,\"end\":10,\"increment\":0}",
                "{\"start\":10,\"end\":10,\"increment\":1}", "{\"start\":0,\"end\":10,\"increment\":1}",
                "{\"start\":1,\"end\":10,\"increment\":-5}", "{\"start\":1,\"end\":10,\"increment\":1,\"filters\":[\"color\"]}",
                "{\"start\":1,\"end\":100000000,\"increment\":1}")) {
            assertError(h.client.post("/api/reporting/events", body), 400, "/errors/invalid-reporting-request");
        }
        assertError(h.client.post("/api/reporting/events", "[1]"), 400, "/errors/json-unmarshal");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void bucketsSumEveryEventAndEmptyBucketsAreZero(Kind kind) throws Exception {
        open(kind);
        h.repo.insert(List.of(
                TestEvent.at(1000).key("k1").model("m1").cost(0.5).latency(100).tokens(10, 1).build(),
                TestEvent.at(1009).key("k1").model("m1").cost(0.25).latency(300).tokens(20, 2).status(500).build(),
                TestEvent.at(1010).key("k2").model("m2").cost(1).latency(50).tokens(5, 5).build(),
                TestEvent.at(1035).key("k1").model("m2").cost(2).latency(7).tokens(1, 1).build(),
                TestEvent.at(1040).key("k1").model("m1").cost(8).latency(9999).build(), // created_at == end: outside
                TestEvent.at(999).key("k1").model("m1").cost(8).latency(9999).build()));
        JsonNode r = h.client.post("/api/reporting/events", "{\"start\":1000,\"end\":1040,\"increment\":10}").json();
        JsonNode points = r.get("dataPoints");
        assertThat(points).hasSize(5); // 1000, 1010, 1020, 1030, 1040
        assertPoint(points.get(0), 1000, 2, 0.75, 400, 30, 3, 1);
        assertPoint(points.get(1), 1010, 1, 1, 50, 5, 5, 1);
        assertPoint(points.get(2), 1020, 0, 0, 0, 0, 0, 0);
        assertPoint(points.get(3), 1030, 1, 2, 7, 1, 1, 1);
        assertPoint(points.get(4), 1040, 0, 0, 0, 0, 0, 0);
        assertThat(points.get(2).get("model").asText()).isEmpty();
        // latencies in range: 7, 50, 100, 300
        assertThat(r.get("latencyInMsMedian").asDouble()).isEqualTo(75.0);
        assertThat(r.get("latencyInMs99th").asDouble()).isCloseTo(294.0, within(1e-9)); // 100 + (300 - 100) * 0.97

        JsonNode grouped = h.client.post("/api/reporting/events",
                "{\"start\":1000,\"end\":1040,\"increment\":20,\"filters\":[\"model\",\"keyId\"],\"keyIds\":[\"k1\"]}").json();
        JsonNode gp = grouped.get("dataPoints");
        assertThat(gp).hasSize(3); // [1000,1020): m1/k1; [1020,1040): m2/k1; 1040: empty
        assertThat(gp.get(0).get("model").asText()).isEqualTo("m1");
        assertThat(gp.get(0).get("keyId").asText()).isEqualTo("k1");
        assertThat(gp.get(0).get("numberOfRequests").asLong()).isEqualTo(2);
        assertThat(gp.get(1).get("timeStamp").asLong()).isEqualTo(1020);
        assertThat(gp.get(1).get("model").asText()).isEqualTo("m2");
        assertThat(gp.get(2).get("timeStamp").asLong()).isEqualTo(1040);
        assertThat(gp.get(2).get("numberOfRequests").asLong()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aggregatesOfManyEventsEqualTheEventsExactly(Kind kind) throws Exception {
        open(kind);
        Random rnd = new Random(42);
        List<Event> events = new ArrayList<>();
        String[] users = {"u1", "u2", ""};
        for (int i = 0; i < 1_000; i++) {
            events.add(TestEvent.at(T0 + rnd.nextInt(3_600)).key("k" + rnd.nextInt(2)).userId(users[rnd.nextInt(3)])
                    .tags(rnd.nextBoolean() ? "blue" : "red").cost(rnd.nextInt(4096) / 4096.0).latency(rnd.nextInt(2_000))
                    .tokens(rnd.nextInt(1_000), rnd.nextInt(1_000)).details(rnd.nextInt(100), rnd.nextInt(100), rnd.nextInt(100))
                    .status(rnd.nextInt(5) == 0 ? 429 : 200).build());
        }
        h.repo.insert(events);
        JsonNode r = h.client.post("/api/reporting/events", "{\"start\":" + T0 + ",\"end\":" + (T0 + 3_600)
                + ",\"increment\":600,\"tags\":[\"blue\"],\"filters\":[\"userId\"]}").json();
        List<Event> blue = events.stream().filter(e -> e.tags().contains("blue")).toList();
        long n = 0;
        for (JsonNode p : r.get("dataPoints")) {
            long t = p.get("timeStamp").asLong();
            List<Event> in = blue.stream().filter(e -> e.createdAt() >= t && e.createdAt() < t + 600
                    && e.userId().equals(p.get("userId").asText())).toList();
            assertThat(p.get("numberOfRequests").asLong()).isEqualTo(in.size());
            assertThat(p.get("costInUsd").asDouble()).isEqualTo(in.stream().mapToDouble(Event::costInUsd).sum());
            assertThat(p.get("latencyInMs").asLong()).isEqualTo(in.stream().mapToLong(Event::latencyInMs).sum());
            assertThat(p.get("promptTokenCount").asLong()).isEqualTo(in.stream().mapToLong(Event::promptTokenCount).sum());
            assertThat(p.get("completionTokenCount").asLong()).isEqualTo(in.stream().mapToLong(Event::completionTokenCount).sum());
            assertThat(p.get("successCount").asLong()).isEqualTo(in.stream().filter(e -> e.status() == 200).count());
            assertThat(p.get("cacheReadTokenCount").asLong()).isEqualTo(in.stream().mapToLong(Event::cacheReadTokenCount).sum());
            assertThat(p.get("cacheWriteTokenCount").asLong()).isEqualTo(in.stream().mapToLong(Event::cacheWriteTokenCount).sum());
            assertThat(p.get("reasoningTokenCount").asLong()).isEqualTo(in.stream().mapToLong(Event::reasoningTokenCount).sum());
            n += in.size();
        }
        assertThat(n).isEqualTo(blue.size());
        long[] latencies = blue.stream().mapToLong(Event::latencyInMs).sorted().toArray();
        // one tag is read from the tag rollups (V20): percentiles from their histograms, within 1/64 as without tags
        double median = EventRepositoryTest.percentileCont(latencies, 0.5);
        double p99 = EventRepositoryTest.percentileCont(latencies, 0.99);
        assertThat(r.get("latencyInMsMedian").asDouble()).isCloseTo(median, within(median / 64));
        assertThat(r.get("latencyInMs99th").asDouble()).isCloseTo(p99, within(p99 / 64));

        JsonNode byDay = h.client.post("/api/reporting/events-by-day",
                "{\"start\":" + T0 + ",\"end\":" + (T0 + DAY) + ",\"keyIds\":[\"k1\"]}").json();
        List<Event> k1 = events.stream().filter(e -> e.keyId().equals("k1")).toList();
        assertThat(byDay.get("dataPoints")).hasSize(1);
        JsonNode d = byDay.get("dataPoints").get(0);
        assertThat(d.get("timeStamp").asLong()).isEqualTo(T0);
        assertThat(d.get("keyId").asText()).isEqualTo("k1");
        assertThat(d.get("numberOfRequests").asLong()).isEqualTo(k1.size());
        assertThat(d.get("costInUsd").asDouble()).isEqualTo(k1.stream().mapToDouble(Event::costInUsd).sum());
        assertThat(d.get("latencyInMs").asLong()).isEqualTo(k1.stream().mapToLong(Event::latencyInMs).sum());
        assertThat(d.get("successCount").asLong()).isEqualTo(k1.stream().filter(e -> e.status() == 200).count());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void eventsByDayGroupsByUtcDayAndKey(Kind kind) throws Exception {
        open(kind);
        h.repo.insert(List.of(
                TestEvent.at(T0 + 5).key("k1").cost(1).latency(10).tokens(1, 2).build(),
                TestEvent.at(T0 + DAY - 1).key("k1").cost(2).latency(20).tokens(3, 4).status(500).build(),
                TestEvent.at(T0 + 100).key("k2").cost(4).build(),
                TestEvent.at(T0 + DAY + 7).key("k1").cost(8).build(),
                TestEvent.at(T0 + 2 * DAY).key("k1").cost(16).build())); // == end: outside
        JsonNode r = h.client.post("/api/reporting/events-by-day",
                "{\"start\":" + T0 + ",\"end\":" + (T0 + 2 * DAY) + "}").json();
        JsonNode p = r.get("dataPoints");
        assertThat(p).hasSize(3);
        assertThat(p.get(0).get("timeStamp").asLong()).isEqualTo(T0);
        assertThat(p.get(0).get("keyId").asText()).isEqualTo("k1");
        assertThat(p.get(0).get("numberOfRequests").asLong()).isEqualTo(2);
        assertThat(p.get(0).get("costInUsd").asDouble()).isEqualTo(3.0);
        assertThat(p.get(0).get("latencyInMs").asLong()).isEqualTo(30);
        assertThat(p.get(0).get("promptTokenCount").asLong()).isEqualTo(4);
        assertThat(p.get(0).get("completionTokenCount").asLong()).isEqualTo(6);
        assertThat(p.get(0).get("successCount").asLong()).isEqualTo(1);
        assertThat(p.get(0).get("model").asText()).isEmpty();
        assertThat(p.get(1).get("keyId").asText()).isEqualTo("k2");
        assertThat(p.get(2).get("timeStamp").asLong()).isEqualTo(T0 + DAY);
        assertThat(p.get(2).get("costInUsd").asDouble()).isEqualTo(8.0);
        assertThat(r.get("latencyInMsMedian").asDouble()).isZero();
        assertError(h.client.post("/api/reporting/events-by-day", "{\"start\":5,\"end\":5}"), 400,
                "/errors/invalid-reporting-request");
        assertError(h.client.post("/api/reporting/events-by-day", "{\"end\":5}"), 400, "/errors/invalid-reporting-request");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void topKeysJoinKeysCreatedInRangeWithKeysThatSpent(Kind kind) throws Exception {
        open(kind);
        keys.add(key("k-new", "New Key", 150, false, "team"));        // created in range, no events
        keys.add(key("k-old", "Old key", 10, false, "team", "x"));    // spent in range
        keys.add(key("k-rev", "revoked one", 10, true, "team"));      // spent in range, revoked
        keys.add(key("k-out", "outside", 10, false));                 // spent outside the range only
        h.repo.insert(List.of(
                TestEvent.at(120).key("k-old").cost(1.5).build(),
                TestEvent.at(130).key("k-old").cost(0.5).build(),
                TestEvent.at(140).key("k-rev").cost(3).build(),
                TestEvent.at(145).key("k-gone").cost(0.25).build(),   // a deleted key
                TestEvent.at(150).key("").cost(100).build(),          // unauthenticated
                TestEvent.at(500).key("k-out").cost(7).build()));
        assertThat(top("{\"start\":100,\"end\":200}")).containsExactly("k-rev=3.0", "k-old=2.0", "k-gone=0.25", "k-new=0.0");
        assertThat(top("{\"start\":100,\"end\":200,\"order\":\"asc\"}")).containsExactly("k-new=0.0", "k-gone=0.25", "k-old=2.0", "k-rev=3.0");
        assertThat(top("{\"start\":100,\"end\":200,\"limit\":2,\"offset\":1}")).containsExactly("k-old=2.0", "k-gone=0.25");
        assertThat(top("{\"start\":100,\"end\":200,\"tags\":[\"team\"],\"revoked\":false}")).containsExactly("k-old=2.0", "k-new=0.0");
        assertThat(top("{\"start\":100,\"end\":200,\"tags\":[\"team\",\"x\"]}")).containsExactly("k-old=2.0");
        assertThat(top("{\"start\":100,\"end\":200,\"name\":\"KEY\"}")).containsExactly("k-old=2.0", "k-new=0.0");
        assertThat(top("{\"start\":100,\"end\":200,\"keyIds\":[\"k-rev\",\"k-new\"]}")).containsExactly("k-rev=3.0", "k-new=0.0");
        assertThat(top("{\"start\":300,\"end\":400}")).isEmpty();

        assertError(h.client.post("/api/reporting/top-keys", "{\"start\":0,\"end\":200}"), 400, "/errors/invalid-reporting-request");
        assertError(h.client.post("/api/reporting/top-keys", "{\"start\":1,\"end\":2,\"tags\":[\"\"]}"), 400, "/errors/validation");
        assertError(h.client.post("/api/reporting/top-keys", "{\"start\":1,\"end\":2,\"keyIds\":[\"\"]}"), 400, "/errors/validation");
        Reply badOrder = h.client.post("/api/reporting/top-keys", "{\"start\":1,\"end\":2,\"order\":\"sideways\"}");
        assertError(badOrder, 400, "/errors/validation");
        assertThat(badOrder.json().get("detail").asText()).isEqualTo("key reporting request order can only be desc or asc");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void userAndCustomIdsOfAKey(Kind kind) throws Exception {
        open(kind);
        h.repo.insert(List.of(
                TestEvent.at(1).key("k1").userId("u2").customId("c1").build(),
                TestEvent.at(2).key("k1").userId("u1").customId("c1").build(),
                TestEvent.at(3).key("k1").build(),
                TestEvent.at(4).key("k2").userId("u9").customId("c9").build()));
        assertThat(h.client.get("/api/reporting/user-ids?keyId=k1").body()).isEqualTo("[\"u1\",\"u2\"]");
        assertThat(h.client.get("/api/reporting/custom-ids?keyId=k1").body()).isEqualTo("[\"c1\"]");
        assertThat(h.client.get("/api/reporting/custom-ids?keyId=none").body()).isEqualTo("[]");
        assertError(h.client.get("/api/reporting/user-ids"), 400, "/errors/missing-key-id");
        assertError(h.client.get("/api/reporting/custom-ids?keyId="), 400, "/errors/missing-key-id");

        // user ids come from the rollups: still listed once the events are gone, as the key's spend is
        h.db.update("DELETE FROM events WHERE user_id = 'u2'");
        assertThat(h.client.get("/api/reporting/user-ids?keyId=k1").body()).isEqualTo("[\"u1\",\"u2\"]");
        // custom ids are read from the (key_id, custom_id) index alone, not from the key's events
        if (kind == Kind.SQLITE) {
            String plan = String.join(" | ", h.db.query("EXPLAIN QUERY PLAN " + EventRepository.DISTINCT_CUSTOM_IDS,
                    rs -> rs.getString(4), "k1"));
            assertThat(plan).contains("COVERING INDEX events_key_id_custom_id_idx").doesNotContain("TEMP B-TREE");
        } else {
            // a 4-row table: ask whether the index can serve, not whether it is worth it
            String plan = h.db.withConnection(c -> {
                io.bricksllm.store.Database.update(c, "SET enable_seqscan = off");
                try {
                    return String.join(" | ", io.bricksllm.store.Database.query(c, "EXPLAIN (COSTS OFF) "
                            + EventRepository.DISTINCT_CUSTOM_IDS, rs -> rs.getString(1), "k1"));
                } finally {
                    io.bricksllm.store.Database.update(c, "RESET enable_seqscan");
                }
            });
            // the index of V16, or its copy on each day partition (events_pYYYYMMDD_key_id_custom_id_idx) of V15
            assertThat(plan).contains("key_id_custom_id_idx").doesNotContain("Seq Scan");
        }
    }

    private List<String> top(String body) {
        Reply r = h.client.post("/api/reporting/top-keys", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.json().get("dataPoints").forEach(p -> out.add(p.get("keyId").asText() + "=" + p.get("costInUsd").asDouble()));
        return out;
    }

    private static void assertPoint(JsonNode p, long t, long n, double cost, long latency, long prompt, long completion,
                                    long success) {
        assertThat(p.get("timeStamp").asLong()).isEqualTo(t);
        assertThat(p.get("numberOfRequests").asLong()).isEqualTo(n);
        assertThat(p.get("costInUsd").asDouble()).isEqualTo(cost);
        assertThat(p.get("latencyInMs").asLong()).isEqualTo(latency);
        assertThat(p.get("promptTokenCount").asLong()).isEqualTo(prompt);
        assertThat(p.get("completionTokenCount").asLong()).isEqualTo(completion);
        assertThat(p.get("successCount").asLong()).isEqualTo(success);
    }

    private static ApiKey key(String id, String name, long createdAt, boolean revoked, String... tags) {
        return new ApiKey(name, createdAt, createdAt, List.of(tags), id, revoked, "hash-" + id, "", 0, 0, "", 0, "", "", "",
                null, List.of("s1"), false, false, false, "", false);
    }
}
