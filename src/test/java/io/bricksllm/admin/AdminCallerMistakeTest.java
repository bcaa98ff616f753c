package io.bricksllm.admin;

import static io.bricksllm.admin.AdminAssertions.assertError;
import static io.bricksllm.admin.AdminAssertions.assertValidation;
import static io.bricksllm.admin.AdminAssertions.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.AdminClient.Reply;
import io.bricksllm.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 16.5: a caller's mistake on any admin endpoint is a 400 naming the field, never a 500 or a dropped connection. */
class AdminCallerMistakeTest {
    static TestGateway gw;
    static AdminClient admin;
    static String setting;
    static String keyId;
    static String userId;
    static String routeId;
    static String policyId;
    static String providerId;

    @BeforeAll
    static void start() {
        gw = TestGateway.start();
        admin = gw.admin;
        setting = admin.createSetting("openai", Map.of("apikey", "sk-upstream-0123456789"));
        keyId = admin.createKey("""
                {"name":"k","key":"%s","settingId":"%s"}""".formatted(unique("sk"), setting)).get("keyId").asText();
        userId = ok(admin.post("/api/users", "{\"name\":\"u\"}")).get("id").asText();
        routeId = ok(admin.post("/api/routes", """
                {"name":"r","path":"/mistakes","keyIds":["%s"],"steps":[{"provider":"openai","model":"gpt-4o"}],
                 "cacheConfig":{"enabled":false}}""".formatted(keyId))).get("id").asText();
        policyId = ok(admin.post("/api/policies", "{\"name\":\"p\",\"tags\":[\"t\"]}")).get("id").asText();
        providerId = ok(admin.post("/api/custom/providers", "{\"provider\":\"mistakes\",\"route_configs\":[{\"path\":\"/x\","
                + "\"target_url\":\"http://u.example/x\",\"model_location\":\"model\",\"request_prompt_location\":\"p\","
                + "\"response_completion_location\":\"c\"}]}")).get("id").asText();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static JsonNode ok(Reply r) {
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return r.json();
    }

    static Reply send(String method, String path, String body) {
        return admin.send(method, path.replace("KEY", keyId).replace("SETTING", setting).replace("USER", userId)
                .replace("ROUTE", routeId).replace("POLICY", policyId).replace("PROVIDER", providerId), body);
    }

    /** (method, path, body, field the error must name). */
    static Stream<Arguments> nullElements() {
        return Stream.of(
                arguments("POST", "/api/v2/key-management/keys", "{\"tags\":[null]}", "tags[0]"),
                arguments("POST", "/api/v2/key-management/keys", "{\"keyIds\":[\"a\",null]}", "keyIds[1]"),
                arguments("PUT", "/api/key-management/keys", "{\"name\":\"n\",\"key\":\"k\",\"settingIds\":[null]}", "settingIds[0]"),
                arguments("PATCH", "/api/key-management/keys/KEY", "{\"tags\":[null]}", "tags[0]"),
                arguments("PATCH", "/api/key-management/keys/KEY", "{\"allowedPaths\":[null]}", "allowedPaths[0]"),
                arguments("POST", "/api/users", "{\"name\":\"n\",\"keyIds\":[null]}", "keyIds[0]"),
                arguments("PATCH", "/api/users/USER", "{\"allowedModels\":[null]}", "allowedModels[0]"),
                arguments("POST", "/api/policies", "{\"tags\":[null]}", "tags[0]"),
                arguments("PATCH", "/api/policies/POLICY", "{\"tags\":[\"a\",null]}", "tags[1]"),
                arguments("POST", "/api/policies", "{\"config\":{\"rules\":{\"email\":null}}}", "config.rules.email"),
                arguments("POST", "/api/policies", "{\"regexConfig\":{\"rules\":[null]}}", "regexConfig.rules[0]"),
                arguments("POST", "/api/routes", "{\"name\":\"n\",\"path\":\"/n\",\"keyIds\":[null],\"steps\":[],\"cacheConfig\":{}}", "keyIds[0]"),
                arguments("POST", "/api/routes", "{\"name\":\"n\",\"path\":\"/n\",\"keyIds\":[\"KEY\"],\"steps\":[null],\"cacheConfig\":{}}", "steps[0]"),
                arguments("PATCH", "/api/routes/ROUTE", "{\"retryOn\":[500,null]}", "retryOn[1]"),
                arguments("PATCH", "/api/routes/ROUTE", "{\"steps\":[{\"provider\":\"openai\",\"model\":\"m\",\"params\":{\"a\":null}}]}", "steps[0].params.a"),
                arguments("POST", "/api/custom/providers", "{\"provider\":\"p\",\"route_configs\":[null]}", "route_configs[0]"),
                arguments("PATCH", "/api/custom/providers/PROVIDER", "{\"route_configs\":[null]}", "route_configs[0]"),
                arguments("PUT", "/api/provider-settings", "{\"provider\":\"openai\",\"setting\":{\"apikey\":\"k\"},\"allowedModels\":[null]}", "allowedModels[0]"),
                arguments("POST", "/api/v2/events", "{\"start\":1,\"end\":2,\"customIds\":[null]}", "customIds[0]"),
                arguments("POST", "/api/v2/events", "{\"start\":1,\"end\":2,\"userIds\":[null]}", "userIds[0]"),
                arguments("POST", "/api/v2/events", "{\"start\":1,\"end\":2,\"actions\":[null]}", "actions[0]"),
                arguments("POST", "/api/reporting/events", "{\"start\":1,\"end\":2,\"increment\":1,\"userIds\":[null]}", "userIds[0]"),
                arguments("POST", "/api/reporting/events", "{\"start\":1,\"end\":2,\"increment\":1,\"filters\":[null]}", "filters[0]"),
                arguments("POST", "/api/reporting/events-by-day", "{\"start\":1,\"end\":2,\"keyIds\":[null]}", "keyIds[0]"),
                arguments("POST", "/api/reporting/top-keys", "{\"start\":1,\"end\":2,\"tags\":[null]}", "tags[0]"));
    }

    @ParameterizedTest(name = "{0} {1} <- {2}")
    @MethodSource("nullElements")
    void aNullInsideAListOrMapIsA400NamingIt(String method, String path, String body, String field) {
        assertValidation(send(method, path, body.replace("KEY", keyId)), "field " + field + " must not be null");
    }

    /** "" or " " where a number, flag or list belongs was bound as null and then crashed a "present" check. */
    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {" ", ""})
    void aBlankStringForANumberIsA400NamingIt(String blank) {
        Reply r = send("PATCH", "/api/users/USER", "{\"rateLimitOverTime\":\"" + blank + "\",\"rateLimitUnit\":\"m\"}");
        assertThat(assertError(r, 400, "/errors/json-unmarshal").get("detail").asText()).startsWith("field rateLimitOverTime ");
        r = send("PATCH", "/api/key-management/keys/KEY", "{\"costLimitInUsdOverTime\":\"" + blank + "\",\"costLimitInUsdUnit\":\"d\"}");
        assertThat(assertError(r, 400, "/errors/json-unmarshal").get("detail").asText()).startsWith("field costLimitInUsdOverTime ");
        r = send("PATCH", "/api/routes/ROUTE", "{\"cacheConfig\":\"" + blank + "\"}");
        assertThat(assertError(r, 400, "/errors/json-unmarshal").get("detail").asText()).startsWith("field cacheConfig ");
    }

    @Test
    void listsHaveDocumentedMaximumSizes() {
        String tags = Json.write(Map.of("name", "n", "key", unique("sk"), "settingId", setting,
                "tags", Stream.generate(() -> "t").limit(BodyLimits.MAX_TAGS + 1).toList()));
        assertValidation(send("PUT", "/api/key-management/keys", tags), "field tags has 101 entries; at most 100 are allowed");
        String longTag = Json.write(Map.of("tags", java.util.List.of("a", "x".repeat(BodyLimits.MAX_TAG_LENGTH + 1))));
        assertValidation(send("PATCH", "/api/key-management/keys/KEY", longTag), "field tags[1] is longer than 255 characters");
        String ids = Json.write(Map.of("keyIds", Collections.nCopies(BodyLimits.MAX_ITEMS + 1, "id")));
        assertValidation(send("POST", "/api/v2/key-management/keys", ids), "field keyIds has 1001 entries; at most 1000 are allowed");
        String steps = "{\"steps\":[" + String.join(",", Collections.nCopies(BodyLimits.MAX_ITEMS + 1, "{}")) + "]}";
        assertValidation(send("PATCH", "/api/routes/ROUTE", steps), "field steps has 1001 entries; at most 1000 are allowed");
        String atTheLimit = Json.write(Map.of("tags", Collections.nCopies(BodyLimits.MAX_TAGS, "t")));
        assertThat(send("POST", "/api/v2/key-management/keys", atTheLimit).status()).isEqualTo(200);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"a/b", "../x", "x\\\\y", "..", ".hidden", "-dash", "a\\u0001b", "a\\u007fb", "é",
            "x%2Fy", "a?b", "a#b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void customProviderNamesAreCheckedAndNothingIsStored(String name) {
        int before = admin.get("/api/custom/providers").json().size();
        Reply r = send("POST", "/api/custom/providers", "{\"provider\":\"" + name + "\",\"route_configs\":[{\"path\":\"/x\","
                + "\"target_url\":\"http://u.example/x\",\"model_location\":\"m\",\"request_prompt_location\":\"p\","
                + "\"response_completion_location\":\"c\"}]}");
        assertValidation(r, "provider must be 1 to 64 characters a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
        assertThat(admin.get("/api/custom/providers").json().size()).isEqualTo(before);
    }

    @Test
    void customProviderAuthParamAndRouteTextsAreBounded() {
        String route = "{\"path\":\"/x\",\"target_url\":\"http://u.example/x\",\"model_location\":\"m\",\"request_prompt_location\":\"p\","
                + "\"response_completion_location\":\"c\"}";
        assertValidation(send("POST", "/api/custom/providers", "{\"provider\":\"ok-name\",\"authentication_param\":\"a/b\",\"route_configs\":["
                + route + "]}"), "authentication_param must be at most 64 characters a-z, 0-9, '.', '_' or '-'");
        assertValidation(send("PATCH", "/api/custom/providers/PROVIDER", "{\"route_configs\":[" + route.replace("\"c\"", "\"c\\u0000\"") + "]}"),
                "route_configs.[0].response_completion_location must be at most 2048 characters without control characters");
        assertValidation(send("PATCH", "/api/custom/providers/PROVIDER", "{\"route_configs\":["
                + route.replace("}", ",\"stream_max_empty_messages\":-1}") + "]}"), "route_configs.[0].stream_max_empty_messages cannot be negative");
        JsonNode created = ok(send("POST", "/api/custom/providers", "{\"provider\":\"My-LLM.v2_x\",\"authentication_param\":\"X-Token\","
                + "\"route_configs\":[" + route + "]}"));
        assertThat(created.get("provider").asText()).isEqualTo("my-llm.v2_x");
        assertThat(created.get("authentication_param").asText()).isEqualTo("x-token");
    }

    /** A body whose chunked framing is broken was answered by closing the connection; now it is a JSON 400. */
    @ParameterizedTest(name = "chunk size {0}")
    @ValueSource(strings = {"zz", "-1", "fffffffffffffffffffff"})
    void aBadChunkSizeIsA400WithTheErrorBody(String size) throws IOException {
        String raw = rawExchange("PUT /api/key-management/keys HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                + "Content-Type: application/json\r\n\r\n" + size + "\r\n{}\r\n0\r\n\r\n");
        assertThat(raw).startsWith("HTTP/1.1 400 ");
        JsonNode body = Json.MAPPER.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4));
        assertThat(body.get("status").asInt()).isEqualTo(400);
        assertThat(body.get("type").asText()).isEqualTo("/errors/json-unmarshal");
        assertThat(body.get("instance").asText()).isEqualTo("/api/key-management/keys");
    }

    @Test
    void anUndecodableRequestHeadIsA400WithTheErrorBody() throws IOException {
        String raw = rawExchange("PUT /api/key-management/keys HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}");
        assertThat(raw).startsWith("HTTP/1.1 400 ");
        assertThat(Json.MAPPER.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4)).get("type").asText()).isEqualTo("/errors/json-unmarshal");
    }

    @Test
    void anOverlongRequestLineOrHeaderGetsTheErrorBody() throws IOException {
        String line = rawExchange("GET /api/key-management/keys?tag=" + "x".repeat(9_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(line).matches("(?s)HTTP/1\\.[01] 414 .*");
        assertThat(Json.MAPPER.readTree(line.substring(line.indexOf("\r\n\r\n") + 4)).get("status").asInt()).isEqualTo(414);
        String header = rawExchange("GET /api/routes HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(9_000) + "\r\n\r\n");
        assertThat(header).matches("(?s)HTTP/1\\.[01] 431 .*");
        assertThat(Json.MAPPER.readTree(header.substring(header.indexOf("\r\n\r\n") + 4)).get("status").asInt()).isEqualTo(431);
    }

    private static String rawExchange(String request) throws IOException {
        int port = Integer.parseInt(gw.adminUrl().substring(gw.adminUrl().lastIndexOf(':') + 1));
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            s.getInputStream().transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
