package io.bricksllm.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.testing.AdminClient.Reply;
import io.bricksllm.testing.TestDatabases.Kind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventAdminTest {
    private AdminHarness h;

    private void open(Kind kind) throws Exception {
        h = new AdminHarness(kind, repo -> List.of(new EventAdmin(repo)));
        h.repo.insert(List.of(
                TestEvent.at(100).id("a").key("k1").cost(0.5).userId("u1").customId("c1").tags("t1", "t2")
                        .policy("p1").action("allowed").build(),
                TestEvent.at(200).id("b").key("k1").cost(0.25).userId("u2").customId("c2").tags("t1").status(403)
                        .action("blocked").build(),
                TestEvent.at(300).id("c").key("k2").cost(2).userId("u1").tags("t2").action("redacted").build(),
                TestEvent.at(400).id("d").key("k1").cost(1).build(),
                TestEvent.at(500).id("e").key("").cost(0).customId("c1").status(401).build()));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (h != null) h.close();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void v1RequiresOneFilter(Kind kind) throws Exception {
        open(kind);
        assertError(h.client.get("/api/events"), 400, "/errors/no-filters-empty");
        assertError(h.client.get("/api/events?customId="), 400, "/errors/no-filters-empty");
        assertThat(h.client.get("/api/events").json().get("instance").asText()).isEqualTo("/api/events");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void v1KeyIdsNeedIntegerStartAndEnd(Kind kind) throws Exception {
        open(kind);
        assertError(h.client.get("/api/events?keyIds=k1"), 400, "/errors/query-param-start-missing");
        assertError(h.client.get("/api/events?keyIds=k1&start=x&end=5"), 400, "/errors/bad-start-query-param");
        assertError(h.client.get("/api/events?keyIds=k1&start=1"), 400, "/errors/query-param-end-missing");
        assertError(h.client.get("/api/events?keyIds=k1&start=1&end=1.5"), 400, "/errors/bad-end-query-param");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void v1FiltersAreAndedAndTheRangeIncludesBothEnds(Kind kind) throws Exception {
        open(kind);
        assertThat(ids(h.client.get("/api/events?customId=c1").json())).containsExactly("a", "e");
        assertThat(ids(h.client.get("/api/events?userId=u1").json())).containsExactly("a", "c");
        assertThat(ids(h.client.get("/api/events?userId=u1&customId=c1").json())).containsExactly("a");
        assertThat(ids(h.client.get("/api/events?keyIds=k1&keyIds=k2&start=100&end=300").json())).containsExactly("a", "b", "c");
        assertThat(ids(h.client.get("/api/events?keyIds=k1&start=101&end=400").json())).containsExactly("b", "d");
        Reply none = h.client.get("/api/events?customId=nobody");
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.body()).isEqualTo("[]");
        assertThat(ids(h.client.get("/api/events?customId=%27%20OR%20%271%27%3D%271").json())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void eventsAreShownInTheOriginalsShape(Kind kind) throws Exception {
        open(kind);
        h.repo.insert(List.of(TestEvent.at(600).id("x").customId("shape").bodies(new byte[] {1, 2, (byte) 255}, null)
                .metadata("{\"a\":1}").unpriced().build()));
        JsonNode e = h.client.get("/api/events?customId=shape&includeBodies=true").json().get(0);
        assertThat(e.get("created_at").asLong()).isEqualTo(600);
        assertThat(Base64.getDecoder().decode(e.get("request").asText())).containsExactly(1, 2, 255);
        assertThat(e.get("response").asText()).isEqualTo("e30=");
        assertThat(new String(Base64.getDecoder().decode(e.get("metadata").asText()), StandardCharsets.UTF_8))
                .isEqualTo("\"{\\\"a\\\":1}\"");
        assertThat(e.get("unpriced").asBoolean()).isTrue();
        assertThat(e.has("key_id") && e.has("userId") && e.has("policyId") && e.has("correlationId")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void listsOmitBodiesUnlessIncludeBodies(Kind kind) throws Exception {
        open(kind);
        byte[] body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hello hello hello hello hello hello hello\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        h.repo.insert(List.of(TestEvent.at(600).id("x").customId("bodies").bodies(body, new byte[] {7}).build()));
        JsonNode plain = h.client.get("/api/events?customId=bodies").json().get(0);
        assertThat(plain.has("request") || plain.has("response")).isFalse();
        assertThat(plain.get("id").asText()).isEqualTo("x");
        JsonNode with = h.client.get("/api/events?customId=bodies&includeBodies=true").json().get(0);
        assertThat(Base64.getDecoder().decode(with.get("request").asText())).isEqualTo(body);
        assertThat(Base64.getDecoder().decode(with.get("response").asText())).containsExactly(7);
        assertError(h.client.get("/api/events?customId=bodies&includeBodies=yes"), 400, "/errors/bad-includeBodies-query-param");

        JsonNode v2 = h.client.post("/api/v2/events", "{\"start\":1,\"end\":1000,\"customIds\":[\"bodies\"]}").json();
        assertThat(v2.get("events").get(0).has("request")).isFalse();
        JsonNode v2With = h.client.post("/api/v2/events",
                "{\"start\":1,\"end\":1000,\"customIds\":[\"bodies\"],\"includeBodies\":true}").json();
        assertThat(Base64.getDecoder().decode(v2With.get("events").get(0).get("request").asText())).isEqualTo(body);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void oneEventByIdWithItsBodies(Kind kind) throws Exception {
        open(kind);
        byte[] body = "x".repeat(5000).getBytes(StandardCharsets.UTF_8);
        h.repo.insert(List.of(TestEvent.at(600).id("with-bodies").customId("one").bodies(body, null).build()));
        Reply r = h.client.get("/api/events/with-bodies");
        assertThat(r.status()).isEqualTo(200);
        JsonNode e = r.json();
        assertThat(e.get("id").asText()).isEqualTo("with-bodies");
        assertThat(e.get("custom_id").asText()).isEqualTo("one");
        assertThat(Base64.getDecoder().decode(e.get("request").asText())).isEqualTo(body);
        assertThat(e.get("response").asText()).isEqualTo("e30=");
        assertThat(h.client.get("/api/events/a").json().get("id").asText()).isEqualTo("a");
        assertError(h.client.get("/api/events/nope"), 404, "/errors/event-not-found");
        // the export route is not taken for an id
        assertThat(h.client.get("/api/events/export?start=1&end=1000").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void v2ValidationUsesTheOriginalMessages(Kind kind) throws Exception {
        open(kind);
        assertValidation("{}", "fields [start, end] are invalid");
        assertValidation("{\"start\":1}", "fields [end] are invalid");
        assertValidation("{\"start\":1,\"end\":2,\"keyIds\":[\"\"],\"tags\":[\"\"],\"userIds\":[\"\"],"
                + "\"customIds\":[\"\"],\"policyIds\":[\"\"]}", "fields [keyIds, userIds, customIds, policyIds, tags] are invalid");
        assertValidation("{\"start\":5,\"end\":5}", "start 5 cannot be larger than end 5");
        assertValidation("{\"start\":1,\"end\":2,\"costOrder\":\"up\"}", "cost order is not valid up");
        assertValidation("{\"start\":1,\"end\":2,\"dateOrder\":\"down\"}", "date order is not valid down");
        assertValidation("{\"start\":1,\"end\":2,\"costOrder\":\"ASC\",\"dateOrder\":\"desc\"}",
                "cost order and date order cannot be both present");
        assertValidation("{\"start\":1,\"end\":2,\"actions\":[\"allowed\",\"denied\"]}", "action cannot be denied");
        assertValidation("{\"start\":1,\"end\":2,\"limit\":-1}", "fields [limit] are invalid");
        assertError(h.client.post("/api/v2/events", "{\"start\":"), 400, "/errors/json-unmarshal");
        assertError(h.client.post("/api/v2/events", "{\"start\":\"1\",\"end\":2}"), 400, "/errors/json-unmarshal");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void v2FiltersOrdersPagesAndCounts(Kind kind) throws Exception {
        open(kind);
        JsonNode all = h.client.post("/api/v2/events", "{\"start\":100,\"end\":500}").json();
        assertThat(ids(all.get("events"))).containsExactly("a", "b", "c", "d");
        assertThat(all.get("count").asLong()).isZero();

        JsonNode page = h.client.post("/api/v2/events",
                "{\"start\":1,\"end\":1000,\"costOrder\":\"desc\",\"limit\":2,\"offset\":1,\"returnCount\":true}").json();
        assertThat(ids(page.get("events"))).containsExactly("d", "a");
        assertThat(page.get("count").asLong()).isEqualTo(5);

        assertThat(ids(post("{\"start\":1,\"end\":1000,\"dateOrder\":\"DESC\",\"limit\":2}"))).containsExactly("e", "d");
        assertThat(ids(post("{\"start\":1,\"end\":1000,\"tags\":[\"t1\",\"t2\"]}"))).containsExactly("a");
        assertThat(ids(post("{\"start\":1,\"end\":1000,\"tags\":[\"t2\"],\"costOrder\":\"asc\"}"))).containsExactly("a", "c");
        assertThat(ids(post("{\"start\":1,\"end\":1000,\"keyIds\":[\"k2\",\"\u00e9\"]}"))).containsExactly("c");
        assertThat(ids(post("{\"start\":1,\"end\":1000,\"userIds\":[\"u1\"],\"customIds\":[\"c1\"]}"))).containsExactly("a");
        assertThat(ids(post("{\"start\":1,\"end\":1000,\"policyIds\":[\"p1\"]}"))).containsExactly("a");
        assertThat(ids(post("{\"start\":1,\"end\":1000,\"actions\":[\"blocked\",\"redacted\"]}"))).containsExactly("b", "c");
        assertThat(ids(post("{\"start\":1,\"end\":1000,\"status\":403}"))).containsExactly("b");
        JsonNode empty = h.client.post("/api/v2/events", "{\"start\":1000,\"end\":2000,\"returnCount\":true}").json();
        assertThat(empty.get("events").isArray()).isTrue();
        assertThat(empty.get("events")).isEmpty();
        assertThat(empty.get("count").asLong()).isZero();
    }

    private JsonNode post(String body) {
        Reply r = h.client.post("/api/v2/events", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("events");
    }

    private void assertValidation(String body, String detail) {
        Reply r = h.client.post("/api/v2/events", body);
        assertError(r, 400, "/errors/validation");
        assertThat(r.json().get("detail").asText()).isEqualTo(detail);
        assertThat(r.json().get("instance").asText()).isEqualTo("/api/v2/events");
    }

    static void assertError(Reply r, int status, String type) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().get("status").asInt()).isEqualTo(status);
        assertThat(r.json().get("type").asText()).isEqualTo(type);
    }

    static List<String> ids(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.get("id").asText()));
        return out;
    }
}
