package io.bricksllm.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.AdminClient.Reply;
import io.bricksllm.testing.TestGateway;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
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

    /** How a field's value is built when it is not plain junk. */
    enum Shape { SCALAR, OBJECT, LIST_OF_OBJECTS }

    record Field(String name, Shape shape, List<Field> sub) {
        static Field f(String name) {
            return new Field(name, Shape.SCALAR, List.of());
        }

        static Field obj(String name, Field... sub) {
            return new Field(name, Shape.OBJECT, List.of(sub));
        }

        static Field list(String name, Field... sub) {
            return new Field(name, Shape.LIST_OF_OBJECTS, List.of(sub));
        }
    }

    /**
     * One admin endpoint: {@code path} may hold the placeholders KEY, SETTING, USER, ROUTE, POLICY, PROVIDER;
     * {@code base} is a valid body (values as raw JSON, UNIQUE replaced by a fresh value); {@code query} true
     * sends the fields as query parameters instead of a body; {@code creates} names the resource a 2xx creates.
     */
    record Endpoint(String method, String path, List<Field> fields, Map<String, String> base, boolean query, String creates) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    record Call(Endpoint endpoint, String path, String body) {
        @Override
        public String toString() {
            return endpoint.method() + " " + abbreviate(path) + " " + (body == null ? "" : abbreviate(body));
        }
    }

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
        FIXTURES.put("POLICY", ok(admin.post("/api/policies", "{\"name\":\"p\",\"tags\":[\"t\"]}")).get("id").asText());
        FIXTURES.put("PROVIDER", ok(admin.post("/api/custom/providers", "{\"provider\":\"fuzzed\",\"route_configs\":[" + ROUTE_CONFIG + "]}"))
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
        Generator gen = new Generator(new Random(SEED));
        List<Endpoint> endpoints = endpoints();
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
                examples.add("call #" + i + " " + call + "\n    -> " + r.status() + " " + abbreviate(r.body()) + ": " + problem);
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

    static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…(" + s.length() + " chars)" : s;
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

    // ---- the endpoints and their fields

    static final String ROUTE_CONFIG = "{\"path\":\"/x\",\"target_url\":\"http://127.0.0.1:9/x\",\"model_location\":\"model\","
            + "\"request_prompt_location\":\"prompt\",\"response_completion_location\":\"text\"}";

    static final Field[] PATHS = {Field.f("path"), Field.f("method")};
    static final List<Field> KEY_LIMITS = List.of(Field.f("costLimitInUsd"), Field.f("costLimitInUsdOverTime"), Field.f("costLimitInUsdUnit"),
            Field.f("rateLimitOverTime"), Field.f("rateLimitUnit"));

    static List<Field> fields(List<Field> common, Field... more) {
        List<Field> all = new ArrayList<>(common);
        all.addAll(List.of(more));
        return all;
    }

    static List<Endpoint> endpoints() {
        Field routeConfigs = Field.list("route_configs", Field.f("path"), Field.f("target_url"), Field.f("stream_location"),
                Field.f("model_location"), Field.f("request_prompt_location"), Field.f("response_completion_location"),
                Field.f("stream_end_word"), Field.f("stream_response_completion_location"), Field.f("stream_max_empty_messages"));
        Field steps = Field.list("steps", Field.f("provider"), Field.f("model"), Field.f("retries"), Field.f("retryInterval"),
                Field.f("timeout"), Field.obj("params", Field.f("apiVersion"), Field.f("deploymentId")),
                Field.obj("requestParams", Field.f("temperature"), Field.f("stop"), Field.f("logit_bias"), Field.f("logprobs"), Field.f("max_tokens")));
        List<Field> routeFields = List.of(Field.f("name"), Field.f("path"), Field.f("keyIds"), steps,
                Field.obj("cacheConfig", Field.f("enabled"), Field.f("ttl")), Field.f("retryStrategy"), Field.f("requestFormat"), Field.f("retryOn"));
        Field rules = Field.list("rules", Field.f("definition"), Field.f("action"));
        List<Field> policyFields = List.of(Field.f("name"), Field.f("tags"),
                Field.obj("config", Field.obj("rules", Field.f("email"), Field.f("phone"), Field.f("all"), Field.f("favourite"))),
                Field.obj("regexConfig", rules), Field.obj("customConfig", rules));
        Field setting = Field.obj("setting", Field.f("apikey"), Field.f("url"), Field.f("resourceName"), Field.f("awsRegion"), Field.f("api"));
        Field costMap = Field.obj("costMap", Field.obj("promptCostPerModel", Field.f("gpt-4o"), Field.f("m")),
                Field.obj("completionCostPerModel", Field.f("gpt-4o")), Field.obj("embeddingsCostPerModel", Field.f("e")));
        List<Field> userUpdate = fields(KEY_LIMITS, Field.f("name"), Field.f("tags"), Field.f("keyIds"), Field.f("revoked"),
                Field.f("revokedReason"), Field.list("allowedPaths", PATHS), Field.f("allowedModels"), Field.f("ttl"));
        List<Field> reporting = List.of(Field.f("keyIds"), Field.f("tags"), Field.f("customIds"), Field.f("userIds"), Field.f("start"),
                Field.f("end"), Field.f("increment"), Field.f("filters"));
        String key = "\"KEY\"";
        return List.of(
                new Endpoint("PUT", "/api/key-management/keys", fields(KEY_LIMITS, Field.f("name"), Field.f("tags"), Field.f("key"),
                        Field.f("ttl"), Field.f("settingId"), Field.f("settingIds"), Field.list("allowedPaths", PATHS),
                        Field.f("shouldLogRequest"), Field.f("shouldLogResponse"), Field.f("rotationEnabled"), Field.f("policyId"),
                        Field.f("isKeyNotHashed")),
                        Map.of("name", "\"fuzz\"", "key", "UNIQUE", "settingId", "\"SETTING\""), false, "keys"),
                new Endpoint("PATCH", "/api/key-management/keys/KEY", fields(KEY_LIMITS, Field.f("name"), Field.f("tags"), Field.f("revoked"),
                        Field.f("revokedReason"), Field.f("settingId"), Field.f("settingIds"), Field.list("allowedPaths", PATHS),
                        Field.f("shouldLogRequest"), Field.f("shouldLogResponse"), Field.f("rotationEnabled"), Field.f("policyId"),
                        Field.f("isKeyNotHashed")), Map.of("name", "\"fuzz\""), false, null),
                new Endpoint("POST", "/api/v2/key-management/keys", List.of(Field.f("keyIds"), Field.f("tags"), Field.f("name"),
                        Field.f("revoked"), Field.f("limit"), Field.f("offset"), Field.f("order"), Field.f("returnCount")),
                        Map.of("returnCount", "true"), false, null),
                new Endpoint("GET", "/api/key-management/keys", List.of(Field.f("tag"), Field.f("tags"), Field.f("keyIds"), Field.f("provider")),
                        Map.of("tag", "\"t\""), true, null),
                new Endpoint("PUT", "/api/provider-settings", List.of(Field.f("provider"), setting, Field.f("name"), Field.f("allowedModels"), costMap),
                        Map.of("provider", "\"openai\"", "setting", "{\"apikey\":\"sk-fuzz\"}"), false, "settings"),
                new Endpoint("PATCH", "/api/provider-settings/SETTING", List.of(setting, Field.f("name"), Field.f("allowedModels"), costMap),
                        Map.of("name", "\"fuzz\""), false, null),
                new Endpoint("GET", "/api/provider-settings", List.of(Field.f("ids")), Map.of("ids", "\"SETTING\""), true, null),
                new Endpoint("POST", "/api/users", fields(userUpdate, Field.f("userId")), Map.of("name", "\"fuzz\"", "userId", "UNIQUE"), false, "users"),
                new Endpoint("PATCH", "/api/users/USER", userUpdate, Map.of("name", "\"fuzz\""), false, null),
                new Endpoint("PATCH", "/api/users?userId=fuzz-user&tags=t", userUpdate, Map.of("name", "\"fuzz\""), false, null),
                new Endpoint("GET", "/api/users", List.of(Field.f("tags"), Field.f("keyIds"), Field.f("userIds"), Field.f("offset"), Field.f("limit")),
                        Map.of("tags", "\"t\""), true, null),
                new Endpoint("POST", "/api/custom/providers", List.of(Field.f("provider"), routeConfigs, Field.f("authentication_param")),
                        Map.of("provider", "UNIQUE", "route_configs", "[" + ROUTE_CONFIG + "]"), false, "providers"),
                new Endpoint("PATCH", "/api/custom/providers/PROVIDER", List.of(routeConfigs, Field.f("authentication_param")),
                        Map.of("authentication_param", "\"token\""), false, null),
                new Endpoint("POST", "/api/routes", routeFields, Map.of("name", "\"fuzz\"", "path", "UNIQUE_PATH", "keyIds", "[" + key + "]",
                        "steps", "[{\"provider\":\"openai\",\"model\":\"gpt-4o\"}]", "cacheConfig", "{\"enabled\":false}"), false, "routes"),
                new Endpoint("PATCH", "/api/routes/ROUTE", routeFields, Map.of("name", "\"fuzz\""), false, null),
                new Endpoint("GET", "/api/routes/ROUTE", List.of(), Map.of(), true, null),
                new Endpoint("POST", "/api/policies", policyFields, Map.of("name", "\"fuzz\""), false, "policies"),
                new Endpoint("PATCH", "/api/policies/POLICY", policyFields, Map.of("name", "\"fuzz\""), false, null),
                new Endpoint("GET", "/api/policies", List.of(Field.f("tags")), Map.of("tags", "\"t\""), true, null),
                new Endpoint("GET", "/api/events", List.of(Field.f("customId"), Field.f("userId"), Field.f("keyIds"), Field.f("start"), Field.f("end")),
                        Map.of("keyIds", key, "start", "1", "end", "2"), true, null),
                new Endpoint("POST", "/api/v2/events", List.of(Field.f("userIds"), Field.f("customIds"), Field.f("keyIds"), Field.f("tags"),
                        Field.f("policyIds"), Field.f("actions"), Field.f("start"), Field.f("end"), Field.f("limit"), Field.f("offset"),
                        Field.f("costOrder"), Field.f("dateOrder"), Field.f("returnCount"), Field.f("status")),
                        Map.of("start", "1", "end", "2000000000"), false, null),
                new Endpoint("POST", "/api/reporting/events", reporting, Map.of("start", "1", "end", "3600", "increment", "60"), false, null),
                new Endpoint("POST", "/api/reporting/events-by-day", reporting, Map.of("start", "1", "end", "2000000000"), false, null),
                new Endpoint("POST", "/api/reporting/top-keys", List.of(Field.f("tags"), Field.f("keyIds"), Field.f("order"), Field.f("start"),
                        Field.f("end"), Field.f("limit"), Field.f("offset"), Field.f("name"), Field.f("revoked")),
                        Map.of("start", "1", "end", "2000000000"), false, null),
                new Endpoint("GET", "/api/reporting/keys/KEY", List.of(), Map.of(), true, null),
                new Endpoint("GET", "/api/reporting/user-ids", List.of(Field.f("keyId")), Map.of("keyId", key), true, null),
                new Endpoint("GET", "/api/reporting/custom-ids", List.of(Field.f("keyId")), Map.of("keyId", key), true, null));
    }

    // ---- generators

    /** Random calls from one seeded {@link Random}: the same seed gives the same calls. */
    static final class Generator {
        final Random rnd;
        final List<String> plausible = PLAUSIBLE.get();

        Generator(Random rnd) {
            this.rnd = rnd;
        }

        Call call(Endpoint e) {
            String body = body(e);
            String path = pathOf(e);
            if (!e.query()) return new Call(e, path, body);
            return new Call(e, path + (path.contains("?") ? "&" : "?") + toQuery(body), null);
        }

        /** Mostly the fixture the path names; sometimes an unknown or strange id. */
        String pathOf(Endpoint e) {
            String known = e.path();
            for (var f : FIXTURES.entrySet()) known = known.replace(f.getKey(), f.getValue());
            if (known.equals(e.path()) || e.path().contains("?") || rnd.nextInt(10) < 8) return known;
            return known.substring(0, known.lastIndexOf('/') + 1)
                    + pick(List.of("no-such-id", "%20", "%00", "..%2F..", "x".repeat(300), "%F0%9F%98%80", "a%2Fb"));
        }

        /** A valid body, one with one to three fields mutated, a random subset of the fields with junk, or junk. */
        String body(Endpoint e) {
            int kind = rnd.nextInt(20);
            String unique = "f" + Long.toHexString(rnd.nextLong());
            if (kind <= 2) return object(base(e, unique));
            if (kind == 3) return junk(3);
            List<Field> fields = e.fields().isEmpty() ? List.of(Field.f("extra")) : e.fields();
            Map<String, String> m;
            if (kind <= 12) {
                m = base(e, unique);
                for (int n = 1 + rnd.nextInt(3); n > 0; n--) {
                    Field f = pick(fields);
                    m.put(f.name(), value(f, 2));
                }
            } else {
                m = fieldsOf(fields, 2);
            }
            if (rnd.nextInt(10) == 0) m.put(string(), junk(1)); // a field no endpoint knows
            return object(m);
        }

        Map<String, String> fieldsOf(List<Field> fields, int depth) {
            Map<String, String> m = new LinkedHashMap<>();
            for (Field f : fields) if (rnd.nextBoolean()) m.put(f.name(), value(f, depth));
            return m;
        }

        /** A value for a field: plausible for its shape (an object or list of objects of its sub-fields) or junk. */
        String value(Field f, int depth) {
            if (f.shape() == Shape.SCALAR || depth == 0 || rnd.nextInt(4) == 0) return junk(depth);
            Supplier<String> one = () -> object(fieldsOf(f.sub(), depth - 1));
            if (f.shape() == Shape.OBJECT) return one.get();
            List<String> items = new ArrayList<>();
            for (int n = rnd.nextInt(4); n > 0; n--) items.add(one.get());
            return "[" + String.join(",", items) + "]";
        }

        /** Any JSON value: scalars of every kind, and lists and objects of them up to {@code depth} levels. */
        String junk(int depth) {
            int kind = rnd.nextInt(depth <= 0 ? 10 : 17);
            if (kind < 10) return scalar();
            if (kind < 13) {
                List<String> items = new ArrayList<>();
                for (int n = rnd.nextInt(5); n > 0; n--) items.add(junk(depth - 1));
                return "[" + String.join(",", items) + "]";
            }
            if (kind < 16) {
                List<String> parts = new ArrayList<>();
                for (int n = rnd.nextInt(4); n > 0; n--) parts.add(Json.write(string()) + ":" + junk(depth - 1));
                return "{" + String.join(",", parts) + "}";
            }
            return pick(HUGE);
        }

        String scalar() {
            return switch (rnd.nextInt(5)) {
                case 0 -> pick(List.of("null", "true", "false", "0", "-1", "1", "2147483648", "-2147483649", "9223372036854775808",
                        "1e400", "-1e400", "1.5", "-0.0", "1E-400", "123456789012345678901234567890", "0.000001"));
                case 1 -> String.valueOf(rnd.nextInt());
                case 2 -> String.valueOf(rnd.nextDouble() * Math.pow(10, rnd.nextInt(40) - 10));
                default -> Json.write(string());
            };
        }

        String string() {
            if (rnd.nextInt(4) > 0) return pick(plausible);
            StringBuilder sb = new StringBuilder();
            for (int n = rnd.nextInt(40); n > 0; n--) {
                sb.appendCodePoint(switch (rnd.nextInt(4)) {
                    case 0 -> rnd.nextInt(0x20);          // control characters
                    case 1 -> 0x20 + rnd.nextInt(0x5F);   // printable ASCII
                    case 2 -> 0xA0 + rnd.nextInt(0x2F00); // accents, symbols, other scripts
                    default -> 0x1F300 + rnd.nextInt(0x300); // emoji beyond the BMP
                });
            }
            return sb.toString();
        }

        <T> T pick(List<T> options) {
            return options.get(rnd.nextInt(options.size()));
        }
    }

    static final List<String> HUGE = List.of(
            "[" + String.join(",", Collections.nCopies(1_001, "\"a\"")) + "]",
            "[" + "[".repeat(1_500) + "]".repeat(1_500) + "]",
            "[" + String.join(",", Collections.nCopies(200, "null")) + "]",
            Json.write("z".repeat(70_000)));

    static final Supplier<List<String>> PLAUSIBLE = () -> {
        List<String> plausible = new ArrayList<>(List.of("", " ", "openai", "azure", "anthropic", "vllm", "bedrock", "deepinfra",
                "fuzzed", "m", "gpt-4o", "1h", "5m", "1ns", "-1s", "0", "d", "h", "mo", "s", "asc", "desc", "ASC", "block", "allow",
                "allow_but_redact", "email", "phone", "all", "model", "keyId", "userId", "/p", "/api/x", "http://127.0.0.1:9/x",
                "ftp://x", "http://", "t", "\u0000", "a\u0001b", "../../etc/passwd", "a/b", "\uD83D\uDE00", "\u202Egnp.exe", "\uD800",
                "x".repeat(300), "(a+)+$", "[", "\\", "\"", "<script>", "'; DROP TABLE keys; --"));
        plausible.addAll(FIXTURES.values());
        return plausible;
    };

    /** The endpoint's valid body; UNIQUE and UNIQUE_PATH become fresh values, fixture names their ids. */
    static Map<String, String> base(Endpoint e, String unique) {
        Map<String, String> m = new LinkedHashMap<>();
        e.base().forEach((k, v) -> m.put(k, switch (v) {
            case "UNIQUE" -> Json.write("fuzz-" + unique);
            case "UNIQUE_PATH" -> Json.write("/fuzz/" + unique);
            default -> replaceFixtures(v);
        }));
        return m;
    }

    static String replaceFixtures(String raw) {
        for (var f : FIXTURES.entrySet()) raw = raw.replace("\"" + f.getKey() + "\"", "\"" + f.getValue() + "\"");
        return raw;
    }

    static String object(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> Json.write(e.getKey()) + ":" + e.getValue()).collect(Collectors.joining(",", "{", "}"));
    }

    /** Fields as query parameters: lists repeat the parameter, other values are sent as their text. */
    static String toQuery(String body) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(body);
        } catch (Exception e) {
            return "q=" + enc(body);
        }
        if (n == null || !n.isObject()) return "q=" + enc(body);
        List<String> parts = new ArrayList<>();
        n.properties().forEach(e -> {
            if (e.getValue().isArray()) e.getValue().forEach(v -> parts.add(enc(e.getKey()) + "=" + enc(v.isTextual() ? v.textValue() : v.toString())));
            else parts.add(enc(e.getKey()) + "=" + enc(e.getValue().isTextual() ? e.getValue().textValue() : e.getValue().toString()));
        });
        return String.join("&", parts);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
