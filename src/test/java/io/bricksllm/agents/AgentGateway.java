package io.bricksllm.agents;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.testing.Events;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.Poll;
import io.bricksllm.testing.TestGateway;
import io.bricksllm.unified.AnthropicApi;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A gateway with one Anthropic setting whose upstream is a strict Messages API mock, and keys on that setting. */
final class AgentGateway implements AutoCloseable {
    static final String PROVIDER_KEY = "sk-ant-agents-provider";
    final MockUpstream upstream = new MockUpstream();
    final TestGateway gw = TestGateway.start();
    final String settingId = gw.admin.createSetting("anthropic", Map.of("apikey", PROVIDER_KEY, "url", upstream.url("/v1")));

    /** Answers {@code POST /v1/messages} with {@code answer(body)} once the strict checks pass. */
    void answer(Function<JsonNode, MockUpstream.Reply> answer) {
        upstream.on("POST", "/v1/messages", AnthropicApi.messages(PROVIDER_KEY, answer));
    }

    /** Creates a key on the setting; {@code extra} is more of the key's JSON (e.g. a cost limit) or empty. Returns its id. */
    String key(String key, String extra) {
        return gw.admin.createKey("{\"name\":\"" + key + "\",\"key\":\"" + key + "\",\"settingIds\":[\"" + settingId + "\"]"
                + (extra.isEmpty() ? "" : "," + extra) + "}").get("keyId").asText();
    }

    /** Exactly {@code count} events of the key, once the asynchronous writer stored them (none more after). */
    List<JsonNode> events(String keyId, int count) {
        List<JsonNode> events = Events.await(gw.admin, keyId, count, Duration.ofSeconds(30));
        if (events.size() != count) throw new AssertionError("expected " + count + " events, found " + events.size() + ": " + events);
        return events;
    }

    /** The key's spend as the admin API reports it, in micro-dollars, once it reached {@code atLeast}. */
    long spendMicros(String keyId, long atLeast) {
        long[] spend = {-1};
        Poll.until(Duration.ofSeconds(30), "spend of key " + keyId, () -> {
            spend[0] = gw.admin.get("/api/reporting/keys/" + keyId).json().get("costInMicroDollars").asLong();
            return spend[0] >= atLeast;
        });
        return spend[0];
    }

    @Override
    public void close() {
        gw.close();
        upstream.close();
    }
}
