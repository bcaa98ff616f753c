package io.bricksllm.telemetry.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Finish reasons as each dialect writes them, for {@code gen_ai.response.finish_reasons}. */
class FinishReasonsTest {
    private static List<String> scan(String json) {
        return FinishReasons.scan(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyDialectsFieldIsRead() {
        assertThat(scan("{\"choices\":[{\"index\":0,\"finish_reason\":\"stop\"},{\"index\":1,\"finish_reason\":\"length\"}]}"))
                .containsExactly("stop", "length");
        assertThat(scan("{\"type\":\"message\",\"content\":[{\"type\":\"text\",\"text\":\"stop_reason\"}],\"stop_reason\":\"end_turn\"}"))
                .as("a field's name, not text that looks like it").containsExactly("end_turn");
        assertThat(scan("{\"candidates\":[{\"finishReason\":\"STOP\"}],\"usageMetadata\":{}}")).containsExactly("STOP");
        assertThat(scan("{\"output\":{},\"stopReason\":\"max_tokens\"}")).containsExactly("max_tokens");
    }

    @Test
    void nullsRepeatsAndBrokenJsonAreHarmless() {
        assertThat(scan("{\"choices\":[{\"delta\":{},\"finish_reason\":null}]}")).isEmpty();
        assertThat(scan("{\"choices\":[{\"finish_reason\":\"stop\"},{\"finish_reason\":\"stop\"}]}")).containsExactly("stop");
        assertThat(scan("{\"choices\":[{\"finish_reason\":\"stop\"},{\"finish_re")).containsExactly("stop");
        assertThat(scan("not json")).isEmpty();
    }
}
