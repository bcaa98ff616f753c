package io.bricksllm.admin;

import io.bricksllm.testing.MutableClock;
import static io.bricksllm.admin.AdminAssertions.assertError;
import static io.bricksllm.admin.AdminAssertions.assertValidation;
import static io.bricksllm.admin.AdminAssertions.fieldNames;
import static io.bricksllm.admin.AdminAssertions.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.EndUser;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.AdminClient.Reply;
import io.bricksllm.testing.TestGateway;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** /api/users (BEHAVIOUR.md §3.9): every validation rule and each 4xx, with our status codes (DECISIONS.md). */
class UserAdminTest {
    static final String PATH = "/api/users";
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2025-03-01T00:00:00Z"));
    static final List<String> USER_FIELDS = List.of("id", "userId", "name", "createdAt", "updatedAt", "tags", "keyIds", "revoked",
            "revokedReason", "costLimitInUsd", "costLimitInUsdOverTime", "costLimitInUsdUnit", "rateLimitOverTime", "rateLimitUnit",
            "ttl", "allowedPaths", "allowedModels");
    static TestGateway gw;
    static AdminClient admin;
    static String key1;
    static String key2;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(Map.of(), CLOCK);
        admin = gw.admin;
        String setting = admin.createSetting("openai", Map.of("apikey", "sk-up"));
        key1 = admin.createKey("{\"name\":\"k1\",\"key\":\"" + unique("s") + "\",\"settingId\":\"" + setting + "\"}").get("keyId").asText();
        key2 = admin.createKey("{\"name\":\"k2\",\"key\":\"" + unique("s") + "\",\"settingId\":\"" + setting + "\"}").get("keyId").asText();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static JsonNode create(String json) {
        Reply r = admin.post(PATH, json);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return r.json();
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ---- create ----

    @Test
    void createAnswersTheUserObjectWithServerSetFields() {
        String uid = unique("uid");
        JsonNode u = create("{\"name\":\"alice\",\"userId\":\"" + uid + "\",\"id\":\"mine\",\"createdAt\":5,\"revoked\":true}");
        assertThat(fieldNames(u)).containsExactlyInAnyOrderElementsOf(USER_FIELDS);
        assertThat(u.get("id").asText()).isNotEqualTo("mine").matches("[0-9a-f-]{36}");
        assertThat(u.get("userId").asText()).isEqualTo(uid);
        assertThat(u.get("createdAt").asLong()).isEqualTo(CLOCK.epochSecond());
        assertThat(u.get("updatedAt").asLong()).isEqualTo(CLOCK.epochSecond());
        assertThat(u.get("revoked").asBoolean()).as("a new user is never revoked").isFalse();
        assertThat(u.get("revokedReason").asText()).isEmpty();
        assertThat(u.get("tags").isArray()).isTrue();
        assertThat(u.get("keyIds").isArray()).isTrue();
        assertThat(u.get("allowedModels").isArray()).isTrue();
        assertThat(u.get("allowedPaths").isNull()).as("null when none supplied, as for keys").isTrue();
        assertThat(u.get("ttl").asText()).isEmpty();
        assertThat(gw.gateway().liveConfig().current().usersByUserId().get(uid)).as("in the snapshot at once").hasSize(1);
    }

    @Test
    void createWithoutUserIdGeneratesOne() {
        JsonNode u = create("{\"name\":\"anon\"}");
        assertThat(u.get("userId").asText()).matches("[0-9a-f-]{36}").isNotEqualTo(u.get("id").asText());
        JsonNode empty = create("{\"name\":\"anon\",\"userId\":\"\"}");
        assertThat(empty.get("userId").asText()).matches("[0-9a-f-]{36}");
    }

    @Test
    void createKeepsEveryField() {
        String uid = unique("full");
        JsonNode u = create("""
                {"name":"full","userId":"%s","tags":["t1","t2"],"keyIds":["%s","%s"],"costLimitInUsd":2.5,
                 "costLimitInUsdOverTime":0.5,"costLimitInUsdUnit":"mo","rateLimitOverTime":7,"rateLimitUnit":"s","ttl":"48h",
                 "allowedPaths":[{"path":"/api/providers/openai/v1/chat/completions","method":"POST"}],"allowedModels":["gpt-4o"]}"""
                .formatted(uid, key1, key2));
        assertThat(u.get("tags")).extracting(JsonNode::asText).containsExactly("t1", "t2");
        assertThat(u.get("keyIds")).extracting(JsonNode::asText).containsExactly(key1, key2);
        assertThat(u.get("costLimitInUsd").asDouble()).isEqualTo(2.5);
        assertThat(u.get("costLimitInUsdOverTime").asDouble()).isEqualTo(0.5);
        assertThat(u.get("costLimitInUsdUnit").asText()).isEqualTo("mo");
        assertThat(u.get("rateLimitOverTime").asInt()).isEqualTo(7);
        assertThat(u.get("rateLimitUnit").asText()).isEqualTo("s");
        assertThat(u.get("ttl").asText()).isEqualTo("48h");
        assertThat(u.get("allowedPaths").get(0).get("method").asText()).isEqualTo("POST");
        assertThat(u.get("allowedModels")).extracting(JsonNode::asText).containsExactly("gpt-4o");
        JsonNode listed = admin.get(PATH + "?userIds=" + q(uid)).json();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0)).isEqualTo(u);
    }

    static Stream<Arguments> rejectedCreations() {
        return Stream.of(
                arguments("empty tag", "{\"name\":\"n\",\"tags\":[\"ok\",\"\"]}", "fields [tags] are invalid"),
                arguments("null tag", "{\"name\":\"n\",\"tags\":[null]}", "field tags[0] must not be null"),
                arguments("empty keyIds entry", "{\"name\":\"n\",\"keyIds\":[\"\"]}", "fields [keyIds] are invalid"),
                arguments("missing name", "{}", "fields [name] are invalid"),
                arguments("empty name", "{\"name\":\"\"}", "fields [name] are invalid"),
                arguments("name longer than the column", "{\"name\":\"" + "n".repeat(256) + "\"}", "fields [name] are invalid"),
                arguments("userId longer than the column", "{\"name\":\"n\",\"userId\":\"" + "u".repeat(256) + "\"}", "fields [userId] are invalid"),
                arguments("negative costLimitInUsd", "{\"name\":\"n\",\"costLimitInUsd\":-1}", "fields [costLimitInUsd] are invalid"),
                arguments("negative costLimitInUsdOverTime", "{\"name\":\"n\",\"costLimitInUsdOverTime\":-1,\"costLimitInUsdUnit\":\"d\"}",
                        "fields [costLimitInUsdOverTime] are invalid"),
                arguments("negative rateLimitOverTime", "{\"name\":\"n\",\"rateLimitOverTime\":-1,\"rateLimitUnit\":\"m\"}",
                        "fields [rateLimitOverTime] are invalid"),
                arguments("ttl that is not a duration", "{\"name\":\"n\",\"ttl\":\"tomorrow\"}", "fields [ttl] are invalid"),
                arguments("ttl with a day unit", "{\"name\":\"n\",\"ttl\":\"1d\"}", "fields [ttl] are invalid"),
                arguments("allowedPaths entry without path", "{\"name\":\"n\",\"allowedPaths\":[{\"path\":\"\",\"method\":\"POST\"}]}",
                        "fields [allowedPaths.0.path] are invalid"),
                arguments("only the first bad allowedPaths entry is reported",
                        "{\"name\":\"n\",\"allowedPaths\":[{\"path\":\"/ok\",\"method\":\"GET\"},{\"path\":\"/x\",\"method\":\"\"},{\"path\":\"\"}]}",
                        "fields [allowedPaths.1.method] are invalid"),
                arguments("empty allowedModels entry", "{\"name\":\"n\",\"allowedModels\":[\"gpt-4o\",\"\"]}", "fields [allowedModels] are invalid"),
                arguments("every invalid field is collected in order", """
                        {"name":"","tags":[""],"keyIds":[""],"costLimitInUsd":-1,"costLimitInUsdOverTime":-1,"rateLimitOverTime":-1,
                         "ttl":"1y","allowedPaths":[{"path":"/p"}],"allowedModels":[""]}""",
                        "fields [tags, keyIds, name, costLimitInUsd, costLimitInUsdOverTime, rateLimitOverTime, ttl, allowedPaths.0.method, allowedModels] are invalid"),
                arguments("rate limit unit without amount", "{\"name\":\"n\",\"rateLimitUnit\":\"m\"}",
                        "rate limit over time can not be empty if rate limit unit is specified"),
                arguments("cost limit unit without amount", "{\"name\":\"n\",\"costLimitInUsdUnit\":\"d\"}",
                        "cost limit over time can not be empty if cost limit unit is specified"),
                arguments("rate limit amount without unit", "{\"name\":\"n\",\"rateLimitOverTime\":3}",
                        "rate limit unit can not be empty if rate limit over time is specified"),
                arguments("rate limit unit mo is not a rate unit", "{\"name\":\"n\",\"rateLimitOverTime\":3,\"rateLimitUnit\":\"mo\"}",
                        "rate limit unit can not be identified"),
                arguments("cost limit amount without unit", "{\"name\":\"n\",\"costLimitInUsdOverTime\":1}",
                        "cost limit unit can not be empty if cost limit over time is specified"),
                arguments("cost limit unit s is not a cost unit", "{\"name\":\"n\",\"costLimitInUsdOverTime\":1,\"costLimitInUsdUnit\":\"s\"}",
                        "cost limit unit can not be identified"),
                arguments("unknown key id", "{\"name\":\"n\",\"keyIds\":[\"no-such-key\"]}", "keys are not found: no-such-key"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedCreations")
    void createWithInvalidBodyIs400(String rule, String json, String detail) {
        Reply r = admin.post(PATH, json);
        assertValidation(r, detail);
        assertThat(r.json().get("instance").asText()).isEqualTo(PATH);
    }

    @Test
    void someUnknownKeyIdsAreEnoughToRefuse() {
        assertValidation(admin.post(PATH, "{\"name\":\"n\",\"keyIds\":[\"" + key1 + "\",\"ghost\"]}"), "keys are not found: ghost");
    }

    @Test
    void malformedJsonAndWrongTypesAre400() {
        assertError(admin.post(PATH, "{\"name\":"), 400, "/errors/json-unmarshal");
        assertError(admin.post(PATH, "{\"name\":5}"), 400, "/errors/json-unmarshal");
        assertError(admin.post(PATH, "{\"name\":\"n\",\"rateLimitOverTime\":\"5\"}"), 400, "/errors/json-unmarshal");
        assertError(admin.post(PATH, "[]"), 400, "/errors/json-unmarshal");
    }

    @Test
    void aUserIdCannotBeReusedInsideAnExistingTagScope() {
        String uid = unique("dup");
        create("{\"name\":\"a\",\"userId\":\"" + uid + "\",\"tags\":[\"t1\",\"t2\"]}");
        JsonNode same = assertError(admin.post(PATH, "{\"name\":\"b\",\"userId\":\"" + uid + "\",\"tags\":[\"t1\",\"t2\"]}"), 409, "/errors/conflict");
        assertThat(same.get("detail").asText()).isEqualTo("user id exists for tags: [t1, t2]");
        JsonNode subset = assertError(admin.post(PATH, "{\"name\":\"b\",\"userId\":\"" + uid + "\",\"tags\":[\"t2\"]}"), 409, "/errors/conflict");
        assertThat(subset.get("detail").asText()).isEqualTo("user id exists for tags: [t2]");
        assertError(admin.post(PATH, "{\"name\":\"b\",\"userId\":\"" + uid + "\"}"), 409, "/errors/conflict");
        // another scope is another user
        create("{\"name\":\"c\",\"userId\":\"" + uid + "\",\"tags\":[\"t3\"]}");
        assertThat(admin.get(PATH + "?userIds=" + q(uid)).json()).hasSize(2);
    }

    // ---- update by id ----

    @Test
    void updateByIdChangesPresentFieldsOnly() {
        String uid = unique("upd");
        JsonNode u = create("{\"name\":\"before\",\"userId\":\"" + uid + "\",\"tags\":[\"x\"],\"allowedModels\":[\"a\"],"
                + "\"allowedPaths\":[{\"path\":\"/p\",\"method\":\"GET\"}],\"rateLimitOverTime\":5,\"rateLimitUnit\":\"m\"}");
        String id = u.get("id").asText();
        CLOCK.advance(Duration.ofSeconds(30));
        Reply r = admin.patch(PATH + "/" + id, """
                {"name":"after","revoked":true,"revokedReason":"abuse","costLimitInUsd":3,"costLimitInUsdOverTime":1,
                 "costLimitInUsdUnit":"d","allowedPaths":[],"allowedModels":["b","c"],"ttl":"2h","keyIds":["%s"]}""".formatted(key1));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        JsonNode v = r.json();
        assertThat(v.get("id").asText()).isEqualTo(id);
        assertThat(v.get("userId").asText()).isEqualTo(uid);
        assertThat(v.get("name").asText()).isEqualTo("after");
        assertThat(v.get("createdAt").asLong()).isEqualTo(u.get("createdAt").asLong());
        assertThat(v.get("updatedAt").asLong()).isEqualTo(u.get("updatedAt").asLong() + 30);
        assertThat(v.get("revoked").asBoolean()).isTrue();
        assertThat(v.get("revokedReason").asText()).isEqualTo("abuse");
        assertThat(v.get("costLimitInUsd").asDouble()).isEqualTo(3);
        assertThat(v.get("costLimitInUsdUnit").asText()).isEqualTo("d");
        assertThat(v.get("rateLimitOverTime").asInt()).as("absent: kept").isEqualTo(5);
        assertThat(v.get("tags")).extracting(JsonNode::asText).containsExactly("x");
        assertThat(v.get("allowedPaths")).as("[] clears").isEmpty();
        assertThat(v.get("allowedModels")).extracting(JsonNode::asText).containsExactly("b", "c");
        assertThat(v.get("ttl").asText()).isEqualTo("2h");
        assertThat(v.get("keyIds")).extracting(JsonNode::asText).containsExactly(key1);
        EndUser live = gw.gateway().liveConfig().current().usersByUserId().get(uid).get(0);
        assertThat(live.revoked()).as("visible to the proxy at once").isTrue();

        JsonNode back = admin.patch(PATH + "/" + id, "{\"revoked\":false,\"rateLimitOverTime\":0,\"rateLimitUnit\":\"\"}").json();
        assertThat(back.get("revoked").asBoolean()).isFalse();
        assertThat(back.get("revokedReason").asText()).as("un-revoking clears the reason").isEmpty();
        assertThat(back.get("rateLimitOverTime").asInt()).isZero();
        assertThat(back.get("rateLimitUnit").asText()).isEmpty();
    }

    @Test
    void updateOfAnUnknownIdIs404() {
        JsonNode e = assertError(admin.patch(PATH + "/no-such-user", "{\"name\":\"x\"}"), 404, "/errors/not-found");
        assertThat(e.get("detail").asText()).isEqualTo("user not found for id: no-such-user");
        assertThat(e.get("instance").asText()).isEqualTo("/api/users/:id");
    }

    static Stream<Arguments> rejectedUpdates() {
        return Stream.of(
                arguments("empty tag", "{\"tags\":[\"\"]}", "fields [tags] are invalid"),
                arguments("empty keyIds entry", "{\"keyIds\":[\"\"]}", "fields [keyIds] are invalid"),
                arguments("empty allowedModels entry", "{\"allowedModels\":[\"\"]}", "fields [allowedModels] are invalid"),
                arguments("negative costLimitInUsd", "{\"costLimitInUsd\":-2}", "fields [costLimitInUsd] are invalid"),
                arguments("negative rateLimitOverTime", "{\"rateLimitOverTime\":-2,\"rateLimitUnit\":\"m\"}", "fields [rateLimitOverTime] are invalid"),
                arguments("bad ttl", "{\"ttl\":\"soon\"}", "fields [ttl] are invalid"),
                arguments("bad allowedPaths", "{\"allowedPaths\":[{\"path\":\"/x\"}]}", "fields [allowedPaths.0.method] are invalid"),
                arguments("rate unit without amount", "{\"rateLimitUnit\":\"m\"}", "rate limit over time can not be empty if rate limit unit is specified"),
                arguments("empty rate unit with an amount", "{\"rateLimitUnit\":\"\",\"rateLimitOverTime\":4}", "rate limit over time must be 0 if rate limit unit is empty"),
                arguments("cost unit without amount", "{\"costLimitInUsdUnit\":\"d\"}", "cost limit over time can not be empty if cost limit unit is specified"),
                arguments("empty cost unit with an amount", "{\"costLimitInUsdUnit\":\"\",\"costLimitInUsdOverTime\":4}", "cost limit over time must be 0 if cost limit unit is empty"),
                arguments("rate amount without unit", "{\"rateLimitOverTime\":4}", "rate limit unit can not be empty if rate limit over time is specified"),
                arguments("zero rate amount with a unit", "{\"rateLimitOverTime\":0,\"rateLimitUnit\":\"m\"}", "rate limit unit has to be empty if rate limit over time is 0"),
                arguments("unknown rate unit", "{\"rateLimitOverTime\":4,\"rateLimitUnit\":\"mo\"}", "rate limit unit can not be identified"),
                arguments("cost amount without unit", "{\"costLimitInUsdOverTime\":4}", "cost limit unit can not be empty if cost limit over time is specified"),
                arguments("zero cost amount with a unit", "{\"costLimitInUsdOverTime\":0,\"costLimitInUsdUnit\":\"d\"}", "cost limit unit has to be empty if cost limit over time is 0"),
                arguments("unknown cost unit", "{\"costLimitInUsdOverTime\":4,\"costLimitInUsdUnit\":\"s\"}", "cost limit unit can not be identified"),
                arguments("unknown key id", "{\"keyIds\":[\"ghost\"]}", "keys are not found: ghost"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedUpdates")
    void updateWithInvalidBodyIs400AndChangesNothing(String rule, String json, String detail) {
        JsonNode u = create("{\"name\":\"stay\",\"userId\":\"" + unique("bad-upd") + "\"}");
        assertValidation(admin.patch(PATH + "/" + u.get("id").asText(), json), detail);
        JsonNode after = admin.get(PATH + "?userIds=" + q(u.get("id").asText())).json().get(0);
        assertThat(after).isEqualTo(u);
    }

    @Test
    void retaggingIntoAnotherUsersScopeIs409() {
        String uid = unique("retag");
        create("{\"name\":\"a\",\"userId\":\"" + uid + "\",\"tags\":[\"a\"]}");
        String b = create("{\"name\":\"b\",\"userId\":\"" + uid + "\",\"tags\":[\"b\"]}").get("id").asText();
        JsonNode e = assertError(admin.patch(PATH + "/" + b, "{\"tags\":[\"a\"]}"), 409, "/errors/conflict");
        assertThat(e.get("detail").asText()).isEqualTo("user id exists for tags: [a]");
        assertThat(admin.patch(PATH + "/" + b, "{\"tags\":[\"b\",\"c\"]}").status()).isEqualTo(200);
    }

    // ---- update by user id and tags ----

    @Test
    void updateByUserIdNeedsTheUserId() {
        JsonNode e = assertError(admin.patch(PATH, "{\"name\":\"x\"}"), 400, "/errors/missing-user-id");
        assertThat(e.get("instance").asText()).isEqualTo(PATH);
        assertError(admin.patch(PATH + "?userId=", "{\"name\":\"x\"}"), 400, "/errors/missing-user-id");
    }

    @Test
    void updateByUnknownUserIdIs404() {
        assertError(admin.patch(PATH + "?userId=" + q(unique("ghost")), "{\"name\":\"x\"}"), 404, "/errors/not-found");
    }

    @Test
    void updateByUserIdPicksTheUserWhoseTagsContainTheGivenTags() {
        String uid = unique("by-uid");
        String a = create("{\"name\":\"a\",\"userId\":\"" + uid + "\",\"tags\":[\"team-a\",\"prod\"]}").get("id").asText();
        String b = create("{\"name\":\"b\",\"userId\":\"" + uid + "\",\"tags\":[\"team-b\"]}").get("id").asText();
        JsonNode e = assertError(admin.patch(PATH + "?userId=" + q(uid), "{\"name\":\"x\"}"), 409, "/errors/conflict");
        assertThat(e.get("detail").asText()).contains(uid);
        Reply r = admin.patch(PATH + "?userId=" + q(uid) + "&tags=team-b", "{\"revoked\":true,\"revokedReason\":\"r\"}");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().get("id").asText()).isEqualTo(b);
        assertThat(r.json().get("revoked").asBoolean()).isTrue();
        assertThat(admin.patch(PATH + "?userId=" + q(uid) + "&tags=team-a&tags=prod", "{\"name\":\"renamed\"}").json().get("id").asText())
                .isEqualTo(a);
        assertError(admin.patch(PATH + "?userId=" + q(uid) + "&tags=team-c", "{\"name\":\"x\"}"), 404, "/errors/not-found");
        assertValidation(admin.patch(PATH + "?userId=" + q(uid) + "&tags=team-b", "{\"rateLimitOverTime\":1}"),
                "rate limit unit can not be empty if rate limit over time is specified");
    }

    // ---- list ----

    @Test
    void listNeedsAFilter() {
        JsonNode e = assertError(admin.get(PATH), 400, "/errors/missing-filteres");
        assertThat(e.get("detail").asText()).isEqualTo("filters are missing from the request url. it is required for retrieving users.");
        assertError(admin.get(PATH + "?offset=1&limit=2"), 400, "/errors/missing-filteres");
    }

    @Test
    void nonIntegerOrNegativeOffsetAndLimitAre400() {
        assertThat(assertError(admin.get(PATH + "?tags=x&offset=abc"), 400, "/errors/bad-filters").get("detail").asText())
                .isEqualTo("offset query param cannot be converted to integer");
        assertThat(assertError(admin.get(PATH + "?tags=x&limit=1.5"), 400, "/errors/bad-filters").get("detail").asText())
                .isEqualTo("limit query param cannot be converted to integer");
        assertError(admin.get(PATH + "?tags=x&limit=-1"), 400, "/errors/bad-filters");
        assertError(admin.get(PATH + "?tags=x&offset=-3&limit=2"), 400, "/errors/bad-filters");
        assertError(admin.get(PATH + "?limit=99999999999999&tags=x"), 400, "/errors/bad-filters");
    }

    @Test
    void listFiltersByTagsKeyIdsAndUserIdsNewestFirst() {
        String tag = unique("list");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            CLOCK.advance(Duration.ofSeconds(1));
            String keyIds = i % 2 == 0 ? "[\"" + key1 + "\"]" : "[\"" + key2 + "\"]";
            ids.add(create("{\"name\":\"u" + i + "\",\"userId\":\"" + tag + "-" + i + "\",\"tags\":[\"" + tag + "\",\"t" + i + "\"],\"keyIds\":"
                    + keyIds + "}").get("id").asText());
        }
        assertThat(idsOf(admin.get(PATH + "?tags=" + tag))).containsExactly(ids.get(3), ids.get(2), ids.get(1), ids.get(0));
        assertThat(idsOf(admin.get(PATH + "?tags=" + tag + "&tags=t2"))).containsExactly(ids.get(2));
        assertThat(idsOf(admin.get(PATH + "?tags=" + tag + "&keyIds=" + key2))).containsExactly(ids.get(3), ids.get(1));
        assertThat(idsOf(admin.get(PATH + "?tags=" + tag + "&keyIds=" + key1 + "&keyIds=" + key2))).hasSize(4);
        assertThat(idsOf(admin.get(PATH + "?userIds=" + tag + "-1&userIds=" + ids.get(2)))).as("by user id or internal id")
                .containsExactly(ids.get(2), ids.get(1));
        assertThat(idsOf(admin.get(PATH + "?tags=" + tag + "&limit=2"))).containsExactly(ids.get(3), ids.get(2));
        assertThat(idsOf(admin.get(PATH + "?tags=" + tag + "&limit=2&offset=1"))).containsExactly(ids.get(2), ids.get(1));
        assertThat(idsOf(admin.get(PATH + "?tags=" + tag + "&limit=2&offset=10"))).isEmpty();
        assertThat(idsOf(admin.get(PATH + "?tags=" + tag + "&limit=0&offset=3"))).as("offset only applies with a limit").hasSize(4);
        Reply none = admin.get(PATH + "?tags=" + unique("nothing"));
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.body()).isEqualTo("[]");
    }

    private static List<String> idsOf(Reply r) {
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.json().forEach(u -> out.add(u.get("id").asText()));
        return out;
    }

    @Test
    void unknownMethodOnUsersIs405OrNotFoundNever500() {
        Reply r = admin.delete(PATH + "/" + UUID.randomUUID());
        assertThat(r.status()).isIn(404, 405);
    }
}
