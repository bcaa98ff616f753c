package io.bricksllm.admin.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import org.junit.jupiter.api.Test;

/** What the audit log and the browser never receive in clear. */
class AuditMaskingTest {
    static JsonNode tree(String json) {
        return Json.read(json, JsonNode.class);
    }

    @Test
    void keySecretsSettingValuesAndSecretNamedFieldsAreMasked() {
        JsonNode masked = AuditMasking.masked(tree("""
                {"keyId":"k1","name":"n","key":"0123456789abcdef0123456789abcdef","tokenLimitOverTime":5,
                 "nested":{"clientSecret":"very-secret-value-123","password":"short","token":"tok-0123456789abcdef"},
                 "setting":{"apikey":"sk-upstream-0123456789","url":"https://x.example"}}"""));
        assertThat(masked.path("key").asText()).isEqualTo("012****");
        assertThat(masked.path("name").asText()).isEqualTo("n");
        assertThat(masked.path("tokenLimitOverTime").asInt()).isEqualTo(5);
        assertThat(masked.path("nested").path("clientSecret").asText()).isEqualTo("ver****");
        assertThat(masked.path("nested").path("password").asText()).isEqualTo("****");
        assertThat(masked.path("nested").path("token").asText()).isEqualTo("tok****");
        assertThat(masked.path("setting").path("apikey").asText()).isEqualTo("sk-****");
        assertThat(masked.toString()).doesNotContain("upstream").doesNotContain("very-secret");
    }

    @Test
    void forTheBrowserOnlyKeySecretsAreMasked() {
        Object shown = AuditMasking.keySecrets(tree("""
                [{"keyId":"k1","key":"0123456789abcdef0123456789abcdef"},{"id":"s","setting":{"url":"https://x.example"}}]"""));
        assertThat(shown.toString()).contains("012****").doesNotContain("0123456789abcdef").contains("https://x.example");
    }

    @Test
    void aKeyFieldOutsideAKeyObjectIsLeftAlone() {
        // e.g. a custom provider's mapping with a field named "key" that is no secret
        assertThat(AuditMasking.masked(tree("{\"id\":\"p\",\"key\":\"choices.0.text\"}")).path("key").asText()).isEqualTo("choices.0.text");
    }
}
