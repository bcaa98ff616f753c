package io.bricksllm.admin;

import static io.bricksllm.admin.AdminAssertions.assertError;
import static io.bricksllm.admin.AdminAssertions.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.AdminClient.Reply;
import io.bricksllm.testing.TestGateway;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A caller's mistake is always a 4xx with the admin error shape, never a 500 (DECISIONS.md). */
class AdminBadInputTest {
    static TestGateway gw;
    static AdminClient admin;
    static String setting;
    static String keyId;

    @BeforeAll
    static void start() {
        gw = TestGateway.start();
        admin = gw.admin;
        setting = admin.createSetting("openai", Map.of("apikey", "sk-upstream-0123456789"));
        keyId = admin.createKey("""
                {"name":"k","key":"%s","settingId":"%s"}""".formatted(unique("sk"), setting)).get("keyId").asText();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    /** Every admin call that reads a JSON body, as (method, path). */
    static Stream<Arguments> jsonEndpoints() {
        return Stream.of(
                arguments("PUT", "/api/key-management/keys"),
                arguments("PATCH", "/api/key-management/keys/KEY"),
                arguments("POST", "/api/v2/key-management/keys"),
                arguments("PUT", "/api/provider-settings"),
                arguments("PATCH", "/api/provider-settings/SETTING"));
    }

    static Reply send(String method, String path, String body) {
        return admin.send(method, path.replace("KEY", keyId).replace("SETTING", setting), body);
    }

    static Stream<Arguments> malformedBodies() {
        return jsonEndpoints().flatMap(e -> Stream.of("{\"name\":", "{name: 1}", "not json", "{\"a\":1}}", "{\"a\":1} trailing",
                "[]", "[{\"name\":\"x\"}]", "\"text\"", "42", "null", "{\"a\":1}{\"b\":2}")
                .map(b -> arguments(e.get()[0], e.get()[1], b)));
    }

    @ParameterizedTest(name = "{0} {1} <- {2}")
    @MethodSource("malformedBodies")
    void malformedOrNonObjectJsonIsA400(String method, String path, String body) {
        assertError(send(method, path, body), 400, "/errors/json-unmarshal");
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                arguments("PUT", "/api/key-management/keys", "{\"name\":5,\"key\":\"k\",\"settingId\":\"SETTING\"}", "name"),
                arguments("PUT", "/api/key-management/keys", "{\"name\":true,\"key\":\"k\",\"settingId\":\"SETTING\"}", "name"),
                arguments("PUT", "/api/key-management/keys", "{\"name\":\"n\",\"key\":123,\"settingId\":\"SETTING\"}", "key"),
                arguments("PUT", "/api/key-management/keys", "{\"name\":\"n\",\"key\":\"k\",\"settingId\":\"SETTING\",\"costLimitInUsd\":\"5\"}", "costLimitInUsd"),
                arguments("PUT", "/api/key-management/keys", "{\"name\":\"n\",\"key\":\"k\",\"settingId\":\"SETTING\",\"costLimitInUsdOverTime\":true}", "costLimitInUsdOverTime"),
                arguments("PUT", "/api/key-management/keys", "{\"name\":\"n\",\"key\":\"k\",\"settingId\":\"SETTING\",\"rateLimitOverTime\":1.5,\"rateLimitUnit\":\"m\"}", "rateLimitOverTime"),
                arguments("PUT", "/api/key-management/keys", "{\"name\":\"n\",\"key\":\"k\",\"settingId\":\"SETTING\",\"rateLimitOverTime\":\"10\",\"rateLimitUnit\":\"m\"}", "rateLimitOverTime"),
                arguments("PUT", "/api/key-management/keys", "{\"name\":\"n\",\"key\":\"k\",\"settingId\":\"SETTING\",\"rateLimitOverTime\":10000000000,\"rateLimitUnit\":\"m\"}", "rateLimitOverTime"),
                arguments("PUT", "/api/key-management/keys", "{\"name\":\"n\",\"key\":\"k\",\"settingId\":\"SETTING\",\"rateLimitUnit\":1}", "rateLimitUnit"),
                arguments("PUT", "/api/key-management/keys", "{\"name\":\"n\",\"key\":\"k\",\"settingId\":\"SETTING\",\"tags\":\"a\"}", "tags"),
                arguments("PUT", "/api/key-management/keys", "{\"name\":\"n\",\"key\":\"k\",\"settingId\":\"SETTING\",\"tags\":[1]}", "tags"),
                arguments("PUT", "/api/key-management/keys", "{\"name\":\"n\",\"key\":\"k\",\"settingId\":\"SETTING\",\"tags\":{\"a\":1}}", "tags"),
                arguments("PUT", "/api/key-management/keys", "{\"name\":\"n\",\"key\":\"k\",\"settingId\":5}", "settingId"),
                arguments("PUT", "/api/key-management/keys", "{\"name\":\"n\",\"key\":\"k\",\"settingIds\":\"SETTING\"}", "settingIds"),
                arguments("PUT", "/api/key-management/keys", "{\"name\":\"n\",\"key\":\"k\",\"settingId\":\"SETTING\",\"ttl\":3600}", "ttl"),
                arguments("PUT", "/api/key-management/keys", "{\"name\":\"n\",\"key\":\"k\",\"settingId\":\"SETTING\",\"shouldLogRequest\":\"true\"}", "shouldLogRequest"),
                arguments("PUT", "/api/key-management/keys", "{\"name\":\"n\",\"key\":\"k\",\"settingId\":\"SETTING\",\"rotationEnabled\":1}", "rotationEnabled"),
                arguments("PUT", "/api/key-management/keys", "{\"name\":\"n\",\"key\":\"k\",\"settingId\":\"SETTING\",\"isKeyNotHashed\":\"yes\"}", "isKeyNotHashed"),
                arguments("PUT", "/api/key-management/keys", "{\"name\":\"n\",\"key\":\"k\",\"settingId\":\"SETTING\",\"allowedPaths\":{\"path\":\"/p\"}}", "allowedPaths"),
                arguments("PUT", "/api/key-management/keys", "{\"name\":\"n\",\"key\":\"k\",\"settingId\":\"SETTING\",\"allowedPaths\":[{\"path\":5,\"method\":\"GET\"}]}", "allowedPaths[0].path"),
                arguments("PUT", "/api/key-management/keys", "{\"name\":\"n\",\"key\":\"k\",\"settingId\":\"SETTING\",\"allowedPaths\":[\"/p\"]}", "allowedPaths[0]"),
                arguments("PATCH", "/api/key-management/keys/KEY", "{\"revoked\":\"yes\"}", "revoked"),
                arguments("PATCH", "/api/key-management/keys/KEY", "{\"costLimitInUsd\":\"1\"}", "costLimitInUsd"),
                arguments("PATCH", "/api/key-management/keys/KEY", "{\"rateLimitOverTime\":2.5,\"rateLimitUnit\":\"m\"}", "rateLimitOverTime"),
                arguments("PATCH", "/api/key-management/keys/KEY", "{\"name\":[\"x\"]}", "name"),
                arguments("PATCH", "/api/key-management/keys/KEY", "{\"policyId\":7}", "policyId"),
                arguments("POST", "/api/v2/key-management/keys", "{\"limit\":\"10\"}", "limit"),
                arguments("POST", "/api/v2/key-management/keys", "{\"limit\":1.5}", "limit"),
                arguments("POST", "/api/v2/key-management/keys", "{\"offset\":true}", "offset"),
                arguments("POST", "/api/v2/key-management/keys", "{\"order\":1}", "order"),
                arguments("POST", "/api/v2/key-management/keys", "{\"revoked\":\"false\"}", "revoked"),
                arguments("POST", "/api/v2/key-management/keys", "{\"returnCount\":0}", "returnCount"),
                arguments("POST", "/api/v2/key-management/keys", "{\"keyIds\":\"a\"}", "keyIds"),
                arguments("PUT", "/api/provider-settings", "{\"provider\":5,\"setting\":{\"apikey\":\"k\"}}", "provider"),
                arguments("PUT", "/api/provider-settings", "{\"provider\":\"openai\",\"setting\":\"apikey\"}", "setting"),
                arguments("PUT", "/api/provider-settings", "{\"provider\":\"openai\",\"setting\":{\"apikey\":12345}}", "setting.apikey"),
                arguments("PUT", "/api/provider-settings", "{\"provider\":\"openai\",\"setting\":{\"apikey\":\"k\"},\"name\":5}", "name"),
                arguments("PUT", "/api/provider-settings", "{\"provider\":\"openai\",\"setting\":{\"apikey\":\"k\"},\"allowedModels\":\"gpt\"}", "allowedModels"),
                arguments("PUT", "/api/provider-settings", "{\"provider\":\"openai\",\"setting\":{\"apikey\":\"k\"},\"costMap\":{\"promptCostPerModel\":{\"m\":\"1\"}}}", "costMap.promptCostPerModel.m"),
                arguments("PUT", "/api/provider-settings", "{\"provider\":\"openai\",\"setting\":{\"apikey\":\"k\"},\"costMap\":[]}", "costMap"),
                arguments("PATCH", "/api/provider-settings/SETTING", "{\"setting\":[\"x\"]}", "setting"),
                arguments("PATCH", "/api/provider-settings/SETTING", "{\"allowedModels\":[1,2]}", "allowedModels"),
                arguments("PATCH", "/api/provider-settings/SETTING", "{\"name\":false}", "name"));
    }

    @ParameterizedTest(name = "{0} {1} <- {2}")
    @MethodSource("wrongTypes")
    void fieldOfTheWrongTypeIsA400NamingTheField(String method, String path, String body, String field) {
        JsonNode e = assertError(send(method, path, body.replace("SETTING", setting)), 400, "/errors/json-unmarshal");
        assertThat(e.get("detail").asText()).contains(field);
    }

    @Test
    void deeplyNestedJsonIsA400() {
        String deep = "{\"name\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertError(admin.put("/api/key-management/keys", deep), 400, "/errors/json-unmarshal");
        assertThat(admin.get("/api/health").status()).isEqualTo(200);
    }

    @Test
    void wrongTypeChangesNothing() {
        JsonNode before = gw.admin.get("/api/key-management/keys?keyIds=" + keyId).json().get(0);
        send("PATCH", "/api/key-management/keys/KEY", "{\"name\":\"changed\",\"revoked\":\"yes\"}");
        assertThat(gw.admin.get("/api/key-management/keys?keyIds=" + keyId).json().get(0)).isEqualTo(before);
    }

    @Test
    void unknownFieldsAreIgnored() {
        Reply r = admin.put("/api/key-management/keys", """
                {"name":"n","key":"%s","settingId":"%s","allowedModels":["gpt-4o"],"somethingNew":{"x":1}}""".formatted(unique("sk"), setting));
        assertThat(r.status()).isEqualTo(200);
    }

    @Test
    void integerValuedFloatIsAcceptedForADoubleField() {
        Reply r = admin.put("/api/key-management/keys", """
                {"name":"n","key":"%s","settingId":"%s","costLimitInUsd":5}""".formatted(unique("sk"), setting));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("costLimitInUsd").asDouble()).isEqualTo(5.0);
    }

    @Test
    void emptyBodyIsReadAsAnEmptyObject() {
        assertThat(AdminAssertions.assertError(send("PUT", "/api/key-management/keys", ""), 400, "/errors/validation")
                .get("detail").asText()).isEqualTo("settingId is not set in either setting_id or setting_ids field");
        assertThat(AdminAssertions.assertError(send("PUT", "/api/provider-settings", ""), 400, "/errors/validation")
                .get("detail").asText()).isEqualTo("provider field cannot be empty");
        assertThat(send("PATCH", "/api/key-management/keys/KEY", "").status()).isEqualTo(200);
        assertThat(send("POST", "/api/v2/key-management/keys", "").status()).isEqualTo(200);
    }

    // ---- size limit

    @Test
    void bodyOverFiveMebibytesIsA413AndTheServerKeepsAnswering() {
        String huge = "{\"name\":\"" + "x".repeat(5 * 1024 * 1024 + 10) + "\",\"key\":\"k\",\"settingId\":\"" + setting + "\"}";
        Reply r = admin.put("/api/key-management/keys", huge);
        JsonNode e = assertError(r, 413, "/errors/request-too-large");
        assertThat(e.get("detail").asText()).contains("5242880");
        assertThat(admin.get("/api/health").status()).isEqualTo(200);
        assertThat(admin.put("/api/key-management/keys", """
                {"name":"after","key":"%s","settingId":"%s"}""".formatted(unique("sk"), setting)).status()).isEqualTo(200);
    }

    @Test
    void bodyJustUnderTheLimitIsRead() {
        String padding = "y".repeat(5 * 1024 * 1024 - 200); // a field no key has: read, then ignored
        Reply r = admin.put("/api/key-management/keys",
                "{\"name\":\"n\",\"padding\":\"" + padding + "\",\"key\":\"\",\"settingId\":\"" + setting + "\"}");
        assertThat(r.status()).as("read and validated, not refused for size").isEqualTo(400);
        assertThat(r.json().get("detail").asText()).isEqualTo("fields [key] are invalid");
    }

    @Test
    void chunkedBodyOverTheLimitIsA413() throws IOException {
        // No Content-Length: the limit must hold while streaming, too.
        try (Socket s = new Socket("127.0.0.1", gw.gateway().adminPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("PUT /api/key-management/keys HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = "a".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            String head = Integer.toHexString(chunk.length) + "\r\n";
            try {
                for (int i = 0; i < 100; i++) {
                    out.write(head.getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException closedEarly) {
                // the server may stop reading once it has answered
            }
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status).isEqualTo("HTTP/1.1 413");
        }
        assertThat(admin.get("/api/health").status()).isEqualTo(200);
    }

    // ---- routing

    @ParameterizedTest
    @ValueSource(strings = {"/api/provider-settings?ids=%ZZ", "/api/key-management/keys?tag=%E0%A4%A", "/api/key-management/keys?keyIds=%"})
    void malformedPercentEncodingInTheQueryIsA400(String target) throws IOException {
        Reply r = raw("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(r.status()).as("%s", r).isEqualTo(400);
        assertThat(r.json().get("status").asInt()).isEqualTo(400);
        assertThat(admin.get("/api/health").status()).isEqualTo(200);
    }

    /** Sends bytes the JDK client refuses to send, and reads the whole answer (the request asks to close). */
    static Reply raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", gw.gateway().adminPort())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(all.substring(9, 12));
            int bodyStart = all.indexOf("\r\n\r\n");
            return new Reply(status, bodyStart < 0 ? "" : all.substring(bodyStart + 4));
        }
    }

    @Test
    void unknownAdminPathIsA404Json() {
        JsonNode e = assertError(admin.get("/api/no-such-thing"), 404, "/errors/route-not-found");
        assertThat(e.get("instance").asText()).isEqualTo("/api/no-such-thing");
        assertError(admin.post("/", "{}"), 404, "/errors/route-not-found");
    }

    @Test
    void knownPathWithAnotherMethodIsA405Json() {
        assertError(admin.delete("/api/provider-settings"), 405, "/errors/method-not-allowed");
        assertError(admin.patch("/api/key-management/keys", "{}"), 405, "/errors/method-not-allowed");
    }

    @Test
    void healthAnswersAnEmptyOk() {
        Reply r = admin.get("/api/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
    }
}
