package io.bricksllm.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.admin.AdminEndpoints.Endpoint;
import io.bricksllm.admin.FuzzCalls.Call;
import io.bricksllm.store.Json;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.AdminClient.Reply;
import io.bricksllm.testing.TestGateway;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Property-based fuzzing of the whole admin API (issue 16): bodies and query strings are generated from each
 * endpoint's own field names with random JSON values (null, wrong types, huge numbers, empty and very long
 * strings, unicode and control characters, nested junk), most of them as one to three mutations of a valid
 * body so that creations succeed too. Every answer must be below 500, every 4xx must carry the admin error
 * shape, and afterwards the store must be consistent: every created object is listed and readable, and the
 * lists hold exactly the fixtures plus what 2xx creations returned. The generator is seeded (printed, default
 * {@value #DEFAULT_SEED}, {@code -Dfuzz.seed=…} to explore others, {@code -Dfuzz.calls=…} for more calls), so a
 * failure reproduces with the same seed.
 */
class AdminFuzzTest {
    static final long DEFAULT_SEED = 160516;
    static final long SEED = Long.getLong("fuzz.seed", DEFAULT_SEED);
    static final int CALLS = Integer.getInteger("fuzz.calls", 1_500);

    static TestGateway gw;
    static AdminClient admin;
    static final Map<String, String> FIXTURES = new LinkedHashMap<>();
    /** Ids each resource had before the run, and the ids 2xx creations returned during it. */
    static final Map<String, Set<String>> BEFORE = new LinkedHashMap<>();
    static final Map<String, Set<String>> CREATED = new LinkedHashMap<>();
    /** HTTP/1.1 as curl and most admin tooling speak it (the JDK client would otherwise try an h2c upgrade). */
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        gw = TestGateway.start();
        admin = gw.admin;
        String setting = admin.createSetting("openai", Map.of("apikey", "sk-upstream-0123456789"));
        FIXTURES.put("SETTING", setting);
        FIXTURES.put("KEY", admin.createKey("{\"name\":\"k\",\"key\":\"sk-fuzz-fixture\",\"settingId\":\"" + setting + "\",\"tags\":[\"t\"]}")
                .get("keyId").asText());
        FIXTURES.put("USER", ok(admin.post("/api/users", "{\"name\":\"u\",\"userId\":\"fuzz-user\",\"tags\":[\"t\"]}")).get("id").asText());
        FIXTURES.put("ROUTE", ok(admin.post("/api/routes", "{\"name\":\"r\",\"path\":\"/fuzz\",\"keyIds\":[\"" + FIXTURES.get("KEY")
                + "\"],\"steps\":[{\"provider\":\"openai\",\"model\":\"gpt-4o\"}],\"cacheConfig\":{\"enabled\":false}}")).get("id").asText());
        FIXTURES.put("TEAM", ok(admin.post("/api/teams", "{\"name\":\"t\",\"tags\":[\"t\"]}")).get("id").asText());
        FIXTURES.put("POLICY", ok(admin.post("/api/policies", "{\"name\":\"p\",\"tags\":[\"t\"]}")).get("id").asText());
        FIXTURES.put("PROVIDER", ok(admin.post("/api/custom/providers", "{\"provider\":\"fuzzed\",\"route_configs\":[" + AdminEndpoints.ROUTE_CONFIG + "]}"))
                .get("id").asText());
        for (String resource : List.of("keys", "settings", "users", "routes", "policies", "providers")) {
            BEFORE.put(resource, ids(resource));
            CREATED.put(resource, new HashSet<>());
        }
    }

    @AfterAll
    static void stop() {
        if (gw != null) gw.close();
    }

    @Test
    void noCallerMistakeIsA5xxAndTheStoreStaysConsistent() {
        System.out.println("AdminFuzzTest: seed " + SEED + " (-Dfuzz.seed=" + SEED + " reproduces), " + CALLS + " calls");
        FuzzCalls gen = new FuzzCalls(new Random(SEED), FIXTURES);
        List<Endpoint> endpoints = AdminEndpoints.all();
        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<String, Integer> problems = new TreeMap<>();
        List<String> examples = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            Call call = gen.call(endpoints.get(gen.rnd.nextInt(endpoints.size())));
            Reply r = send(call);
            statuses.merge(r.status(), 1, Integer::sum);
            String problem = problemWith(call, r);
            if (problem == null) continue;
            // the first example of each kind of problem, and at most ten in all
            if (problems.merge(problem, 1, Integer::sum) == 1 || examples.size() < 10) {
                examples.add("call #" + i + " " + call + "\n    -> " + r.status() + " " + FuzzCalls.abbreviate(r.body()) + ": " + problem);
            }
        }
        System.out.println("AdminFuzzTest: answers by status " + statuses + ", created "
                + CREATED.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().size()).toList());
        assertThat(examples).as("seed %d: wrong answers by kind %s", SEED, problems).isEmpty();
        assertStoreIsConsistent();
    }

    /** Null when the answer is right for a caller's (possible) mistake; otherwise what is wrong with it. */
    static String problemWith(Call call, Reply r) {
        if (r.status() < 0) return "no answer: the connection was closed";
        if (r.status() >= 500) return "a 5xx for a caller's request";
        if (r.status() >= 400) {
            JsonNode err = parse(r.body());
            if (err == null || !Set.copyOf(AdminAssertions.fieldNames(err)).equals(Set.of("status", "title", "type", "detail", "instance"))) {
                return "a 4xx without the admin error body";
            }
            return err.get("status").asInt() == r.status() ? null : "the error body's status differs from the HTTP status";
        }
        if (r.body().isEmpty()) return null;
        JsonNode answer = parse(r.body());
        if (answer == null) return "a 2xx body that is not JSON";
        String resource = call.endpoint().creates();
        if (resource != null) {
            String id = answer.path(resource.equals("keys") ? "keyId" : "id").asText("");
            if (id.isEmpty()) return "a creation without an id";
            CREATED.get(resource).add(id);
        }
        return null;
    }

    /** Before + created is exactly what the lists answer, and each object reads back on its own. */
    static void assertStoreIsConsistent() {
        for (String resource : BEFORE.keySet()) {
            Set<String> expected = new HashSet<>(BEFORE.get(resource));
            expected.addAll(CREATED.get(resource));
            assertThat(ids(resource)).as("%s after the run", resource).isEqualTo(expected);
        }
        for (String id : ids("routes")) assertThat(admin.get("/api/routes/" + id).status()).isEqualTo(200);
        for (String id : ids("settings")) assertThat(ok(admin.get("/api/provider-settings?ids=" + id)).size()).isEqualTo(1);
        for (String id : ids("policies")) assertThat(admin.get("/api/policies/" + id).status()).isEqualTo(200);
        for (String id : ids("keys")) assertThat(ok(admin.get("/api/key-management/keys?keyIds=" + id)).size()).isEqualTo(1);
        assertThat(gw.gateway().liveConfig().current().settingsById().keySet()).as("settings the proxy sees").isEqualTo(ids("settings"));
    }

    /**
     * One retry when no answer came: a pooled keep-alive connection the server had just closed is the client's
     * race, not the gateway's fault; a request that really drops its connection drops it again.
     */
    static Reply send(Call call) {
        Reply r = sendOnce(call);
        return r.status() < 0 ? sendOnce(call) : r;
    }

    static Reply sendOnce(Call call) {
        String body = call.body();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.adminUrl() + call.path())).timeout(Duration.ofSeconds(30))
                .method(call.endpoint().method(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Reply(-1, String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode parse(String body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            return n == null || n.isMissingNode() ? null : n;
        } catch (IOException e) {
            return null;
        }
    }


    static Set<String> ids(String resource) {
        JsonNode list = switch (resource) {
            case "keys" -> ok(admin.post("/api/v2/key-management/keys", "{}")).get("keys");
            case "settings" -> ok(admin.get("/api/provider-settings"));
            // users have no unfiltered list; every user the fuzz creates is matched by one of these tags
            case "users" -> ok(admin.get("/api/users?userIds=" + String.join(",", userIdsToFind())));
            case "routes" -> ok(admin.get("/api/routes"));
            case "policies" -> ok(admin.get("/api/policies"));
            case "providers" -> ok(admin.get("/api/custom/providers"));
            default -> throw new IllegalArgumentException(resource);
        };
        Set<String> out = new HashSet<>();
        list.forEach(n -> out.add(n.path(resource.equals("keys") ? "keyId" : "id").asText()));
        return out;
    }

    /** Users are found by their internal ids (fixture and created), which GET /api/users accepts as userIds. */
    static List<String> userIdsToFind() {
        List<String> ids = new ArrayList<>();
        if (FIXTURES.containsKey("USER")) ids.add(FIXTURES.get("USER"));
        if (CREATED.containsKey("users")) ids.addAll(CREATED.get("users"));
        return ids;
    }

    static JsonNode ok(Reply r) {
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return r.json();
    }

}
