package io.bricksllm.admin;

import io.bricksllm.testing.MutableClock;
import static io.bricksllm.admin.AdminAssertions.assertError;
import static io.bricksllm.admin.AdminAssertions.assertValidation;
import static io.bricksllm.admin.AdminAssertions.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Listing keys (v1 query filters, v2 body filters with paging) and deleting them, BEHAVIOUR.md §3.4.4–§3.4.6. */
class KeyListAndDeleteTest {
    static final String V1 = "/api/key-management/keys";
    static final String V2 = "/api/v2/key-management/keys";
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2025-03-01T00:00:00Z"));
    static TestGateway gw;
    static AdminClient admin;
    static String openai;
    static String azure;
    static String anthropic;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(Map.of(), CLOCK);
        admin = gw.admin;
        openai = admin.createSetting("openai", Map.of("apikey", "sk-openai-upstream"));
        azure = admin.createSetting("azure", Map.of("apikey", "az-upstream", "resourceName", "res"));
        anthropic = admin.createSetting("anthropic", Map.of("apikey", "sk-ant-upstream"));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    /** Creates a key one second after the previous one, so createdAt orders them. */
    static String key(String name, List<String> tags, String settingJson) {
        CLOCK.advance(Duration.ofSeconds(1));
        StringBuilder t = new StringBuilder("[");
        for (String tag : tags) t.append(t.length() > 1 ? "," : "").append('"').append(tag).append('"');
        t.append(']');
        return admin.createKey("""
                {"name":"%s","key":"%s","tags":%s,%s}""".formatted(name, unique("sk"), t, settingJson)).get("keyId").asText();
    }

    static String key(String name, List<String> tags) {
        return key(name, tags, "\"settingId\":\"" + openai + "\"");
    }

    static List<String> ids(JsonNode keys) {
        List<String> out = new ArrayList<>();
        keys.forEach(k -> out.add(k.get("keyId").asText()));
        return out;
    }

    static List<String> v1(String query) {
        Reply r = admin.get(V1 + "?" + query);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().isArray()).isTrue();
        return ids(r.json());
    }

    static JsonNode v2(String body) {
        Reply r = admin.post(V2, body);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return r.json();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ---- v1

    @Test
    void listWithoutAnyFilterIsRejected() {
        JsonNode e = assertError(admin.get(V1), 400, "/errors/missing-filteres");
        assertThat(e.get("title").asText()).isEqualTo("filters are not found");
        assertThat(e.get("detail").asText()).isEqualTo("filters are missing from the request url. it is required for retrieving keys.");
        assertError(admin.get(V1 + "?tag=&provider="), 400, "/errors/missing-filteres");
    }

    @Test
    void listByTagFindsKeysCarryingIt() {
        String t = unique("tag");
        String a = key("a", List.of(t));
        String b = key("b", List.of(t, "other"));
        key("c", List.of("other"));
        assertThat(v1("tag=" + t)).containsExactlyInAnyOrder(a, b);
    }

    @Test
    void tagAndTagsAreUnitedAndAKeyMustCarryThemAll() {
        String t1 = unique("t1");
        String t2 = unique("t2");
        String t3 = unique("t3");
        String all = key("all", List.of(t1, t2, t3));
        String two = key("two", List.of(t1, t2));
        key("one", List.of(t1));
        assertThat(v1("tag=" + t1 + "&tags=" + t2)).containsExactlyInAnyOrder(all, two);
        assertThat(v1("tags=" + t1 + "&tags=" + t2 + "&tags=" + t3)).containsExactly(all);
        assertThat(v1("tag=" + t1 + "&tags=" + t1)).as("tag repeated in tags counts once").hasSize(3);
    }

    @Test
    void listByKeyIdsFindsExactlyThoseKeys() {
        String a = key("a", List.of());
        String b = key("b", List.of());
        key("c", List.of());
        assertThat(v1("keyIds=" + a + "&keyIds=" + b)).containsExactlyInAnyOrder(a, b);
        assertThat(v1("keyIds=no-such-key")).isEmpty();
    }

    @Test
    void listByProviderLooksAtSettingIdAndSettingIds() {
        String t = unique("prov");
        String legacyOpenai = key("legacy", List.of(t), "\"settingId\":\"" + openai + "\"");
        String manyWithOpenai = key("many", List.of(t), "\"settingIds\":[\"" + anthropic + "\",\"" + openai + "\"]");
        String azureOnly = key("azure", List.of(t), "\"settingIds\":[\"" + azure + "\"]");
        assertThat(v1("tag=" + t + "&provider=openai")).containsExactlyInAnyOrder(legacyOpenai, manyWithOpenai);
        assertThat(v1("tag=" + t + "&provider=azure")).containsExactly(azureOnly);
        assertThat(v1("tag=" + t + "&provider=vllm")).isEmpty();
    }

    @Test
    void filtersAreCombinedWithAnd() {
        String t = unique("and");
        String a = key("a", List.of(t));
        key("b", List.of(t));
        assertThat(v1("tag=" + t + "&keyIds=" + a)).containsExactly(a);
        assertThat(v1("tag=" + unique("none") + "&keyIds=" + a)).isEmpty();
    }

    @Test
    void listAnswersAnEmptyArrayNotNull() {
        Reply r = admin.get(V1 + "?tag=" + unique("nothing"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("[]");
    }

    @Test
    void listFiltersAreBoundParameters() {
        String evil = "x'); DROP TABLE keys; --";
        assertThat(v1("tag=" + enc(evil) + "&keyIds=" + enc(evil) + "&provider=" + enc(evil))).isEmpty();
        String t = unique("alive");
        String a = key("a", List.of(t));
        assertThat(v1("tag=" + t)).containsExactly(a);
    }

    // ---- v2

    @Test
    void v2SortsByCreationNewestFirstByDefault() {
        String t = unique("order");
        String first = key("first", List.of(t));
        String second = key("second", List.of(t));
        String third = key("third", List.of(t));
        assertThat(ids(v2("{\"tags\":[\"" + t + "\"]}").get("keys"))).containsExactly(third, second, first);
        assertThat(ids(v2("{\"tags\":[\"" + t + "\"],\"order\":\"desc\"}").get("keys"))).containsExactly(third, second, first);
        assertThat(ids(v2("{\"tags\":[\"" + t + "\"],\"order\":\"asc\"}").get("keys"))).containsExactly(first, second, third);
        assertThat(ids(v2("{\"tags\":[\"" + t + "\"],\"order\":\"ASC\"}").get("keys"))).containsExactly(first, second, third);
    }

    @Test
    void v2RejectsAnUnknownOrder() {
        assertValidation(admin.post(V2, "{\"order\":\"newest\"}"), "get keys request order can only be desc or asc");
    }

    @Test
    void v2PagesWithLimitAndOffsetAndCountsEveryMatch() {
        String t = unique("page");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) created.add(key("k" + i, List.of(t)));
        JsonNode page = v2("{\"tags\":[\"" + t + "\"],\"order\":\"asc\",\"limit\":2,\"offset\":1,\"returnCount\":true}");
        assertThat(ids(page.get("keys"))).containsExactly(created.get(1), created.get(2));
        assertThat(page.get("count").asLong()).isEqualTo(5);
        JsonNode noCount = v2("{\"tags\":[\"" + t + "\"],\"order\":\"asc\",\"limit\":2,\"offset\":4}");
        assertThat(ids(noCount.get("keys"))).containsExactly(created.get(4));
        assertThat(noCount.get("count").asLong()).isZero();
        assertThat(ids(v2("{\"tags\":[\"" + t + "\"],\"limit\":2,\"offset\":10}").get("keys"))).isEmpty();
        assertThat(ids(v2("{\"tags\":[\"" + t + "\"],\"limit\":0,\"offset\":3}").get("keys"))).as("limit 0 = no limit").hasSize(5);
    }

    @Test
    void v2WithAHugeLimitAndAnOffsetAnswersTheRest() {
        String t = unique("huge");
        key("a", List.of(t));
        String b = key("b", List.of(t));
        JsonNode page = v2("{\"tags\":[\"" + t + "\"],\"order\":\"asc\",\"limit\":2147483647,\"offset\":1}");
        assertThat(ids(page.get("keys"))).containsExactly(b);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"limit\":-1}", "{\"offset\":-1,\"limit\":1}"})
    void v2RejectsNegativePaging(String body) {
        assertError(admin.post(V2, body), 400, "/errors/validation");
    }

    @Test
    void v2FiltersByRevokedAndByNameSubstringIgnoringCase() {
        String t = unique("rev");
        String alpha = key("Alpha Key", List.of(t));
        String beta = key("beta", List.of(t));
        String alphabet = key("ALPHABET", List.of(t));
        assertThat(admin.patch(V1 + "/" + alpha, "{\"revoked\":true}").status()).isEqualTo(200);
        String tags = "\"tags\":[\"" + t + "\"]";
        assertThat(ids(v2("{" + tags + ",\"revoked\":true}").get("keys"))).containsExactly(alpha);
        assertThat(ids(v2("{" + tags + ",\"revoked\":false}").get("keys"))).containsExactlyInAnyOrder(beta, alphabet);
        assertThat(ids(v2("{" + tags + ",\"name\":\"alpha\"}").get("keys"))).containsExactlyInAnyOrder(alpha, alphabet);
        assertThat(ids(v2("{" + tags + ",\"name\":\"PHA K\"}").get("keys"))).containsExactly(alpha);
        assertThat(ids(v2("{" + tags + ",\"revoked\":null}").get("keys"))).hasSize(3);
    }

    @Test
    void v2WithRevokedAndNameOnlyWorks() {
        // The original built invalid SQL for this combination (BEHAVIOUR.md §15.29).
        String name = unique("solo");
        String k = key(name, List.of());
        assertThat(ids(v2("{\"revoked\":false,\"name\":\"" + name + "\"}").get("keys"))).containsExactly(k);
    }

    @Test
    void v2FiltersByTagsContainingAllAndByKeyIds() {
        String t1 = unique("a");
        String t2 = unique("b");
        String both = key("both", List.of(t1, t2));
        String one = key("one", List.of(t1));
        assertThat(ids(v2("{\"tags\":[\"" + t1 + "\",\"" + t2 + "\"]}").get("keys"))).containsExactly(both);
        assertThat(ids(v2("{\"keyIds\":[\"" + one + "\"]}").get("keys"))).containsExactly(one);
        assertThat(ids(v2("{\"keyIds\":[\"" + one + "\"],\"tags\":[\"" + t2 + "\"]}").get("keys"))).isEmpty();
    }

    @Test
    void v2WithoutFiltersListsEveryKeyWithTheOriginalsShape() {
        key("any", List.of());
        JsonNode all = v2("{\"returnCount\":true}");
        assertThat(AdminAssertions.fieldNames(all)).containsExactlyInAnyOrder("keys", "count");
        assertThat(all.get("keys").size()).isEqualTo(all.get("count").asInt()).isPositive();
        assertThat(admin.post(V2, "").status()).as("an empty body is no filter").isEqualTo(200);
    }

    // ---- delete

    @Test
    void deleteAnswersAnEmptyOkAndTheKeyIsGoneEverywhere() {
        String secret = unique("sk-delete-me");
        String id = admin.createKey("""
                {"name":"doomed","key":"%s","settingId":"%s"}""".formatted(secret, openai)).get("keyId").asText();
        assertThat(gw.gateway().liveConfig().current().keyForSecret(secret)).isPresent();
        Reply r = admin.delete(V1 + "/" + id);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(v1("keyIds=" + id)).isEmpty();
        assertThat(gw.gateway().liveConfig().current().keyForSecret(secret)).as("the proxy forgets it at once").isEmpty();
        assertError(admin.patch(V1 + "/" + id, "{}"), 404, "/errors/not-found");
    }

    @Test
    void deletingAnUnknownKeyIsAnEmptyOk() {
        Reply r = admin.delete(V1 + "/no-such-key");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
    }

    @Test
    void deletedKeysSecretCanBeUsedAgain() {
        String secret = unique("sk-reuse");
        String id = admin.createKey("""
                {"name":"old","key":"%s","settingId":"%s"}""".formatted(secret, openai)).get("keyId").asText();
        admin.delete(V1 + "/" + id);
        assertThat(admin.put(V1, """
                {"name":"new","key":"%s","settingId":"%s"}""".formatted(secret, openai)).status()).isEqualTo(200);
    }
}
