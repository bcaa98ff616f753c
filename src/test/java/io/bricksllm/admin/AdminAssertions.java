package io.bricksllm.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import io.bricksllm.testing.AdminClient.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Shared checks for admin replies: the error shape of DECISIONS.md and small body builders. */
final class AdminAssertions {
    private AdminAssertions() {}

    /** Asserts the admin error shape with a real HTTP status, and returns the error body. */
    static JsonNode assertError(Reply r, int status, String type) {
        assertThat(r.status()).as("status of %s", r).isEqualTo(status);
        JsonNode e = r.json();
        assertThat(fieldNames(e)).as("error fields of %s", r).containsExactlyInAnyOrder("status", "title", "type", "detail", "instance");
        assertThat(e.get("status").asInt()).isEqualTo(status);
        assertThat(e.get("type").asText()).isEqualTo(type);
        assertThat(e.get("title").asText()).isNotBlank();
        assertThat(e.get("instance").asText()).startsWith("/");
        return e;
    }

    static void assertValidation(Reply r, String detail) {
        assertThat(assertError(r, 400, "/errors/validation").get("detail").asText()).isEqualTo(detail);
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static String json(Map<String, ?> body) {
        return Json.write(body);
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }
}
