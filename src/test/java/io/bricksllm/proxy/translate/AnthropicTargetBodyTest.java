package io.bricksllm.proxy.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** The native Messages path replaces the model in the caller's bytes and leaves every other byte as sent. */
class AnthropicTargetBodyTest {
    static String spliced(String body, String model) {
        Buffer b = AnthropicTarget.withModel(Buffer.buffer(body), model);
        return b == null ? null : b.toString();
    }

    @Test
    void onlyTheModelValueChangesWhateverTheRestLooksLike() {
        String body = "{ \"max_tokens\" : 1.50e3,\n\"model\":\"anthropic/claude-sonnet-4-5\" ,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"caf\u00e9 \uD83D\uDE80 \\u00e9 \\/\"}],\"metadata\":{\"model\":\"inner\"}}";
        assertThat(spliced(body, "claude-sonnet-4-5"))
                .isEqualTo(body.replace("\"model\":\"anthropic/claude-sonnet-4-5\"", "\"model\":\"claude-sonnet-4-5\""));
        assertThat(spliced("{\"model\":\"a\\\"b\",\"x\":1}", "c\"d")).isEqualTo("{\"model\":\"c\\\"d\",\"x\":1}");
    }

    @Test
    void bodiesTheTreeMustDecideAreLeftToIt() {
        assertThat(spliced("{\"model\":\"a\",\"model\":\"b\"}", "m")).as("a duplicate model").isNull();
        assertThat(spliced("{\"model\":\"a\",\"models\":[\"b\"]}", "m")).as("a models list, which is removed").isNull();
        assertThat(spliced("{\"model\":7}", "m")).isNull();
        assertThat(spliced("{\"messages\":[]}", "m")).as("no model").isNull();
        assertThat(spliced("[1]", "m")).isNull();
        assertThat(spliced("{\"model\":\"a\"} trailing", "m")).isNull();
    }
}
