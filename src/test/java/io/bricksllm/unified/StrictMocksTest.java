package io.bricksllm.unified;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.bedrock.AwsCredentials;
import io.bricksllm.dialect.bedrock.BedrockSigner;
import io.bricksllm.testing.MockUpstream.Received;
import io.vertx.core.MultiMap;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The strict upstream mocks themselves: they accept every golden request of their dialect (what the real APIs
 * accept) and refuse what the real APIs refuse, and the Bedrock mock accepts exactly the correctly signed requests.
 * Without this a mock bug would read as a gateway bug.
 */
class StrictMocksTest {

    @ParameterizedTest
    @ValueSource(strings = {"images", "json-object", "json-schema", "legacy-functions", "multi-turn-merge", "plain", "reasoning-effort",
            "system-and-sampling", "tools-round-trip"})
    void theAnthropicMockAcceptsEveryGoldenRequest(String name) {
        assertThat(AnthropicApi.problem(Golden.json("/dialect/anthropic/requests/" + name + ".anthropic.json"))).isEmpty();
    }

    @Test
    void theAnthropicMockRefusesWhatAnthropicRefuses() {
        assertThat(AnthropicApi.problem(Golden.parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")))
                .hasValueSatisfying(p -> assertThat(p).contains("max_tokens"));
        assertThat(AnthropicApi.problem(Golden.parse("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"assistant\",\"content\":\"hi\"}]}")))
                .isPresent();
        assertThat(AnthropicApi.problem(Golden.parse("{\"model\":\"m\",\"max_tokens\":5,\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")))
                .hasValueSatisfying(p -> assertThat(p).isEqualTo("n: Extra inputs are not permitted"));
        assertThat(AnthropicApi.problem(Golden.parse("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"a\"},"
                + "{\"role\":\"user\",\"content\":\"b\"}]}"))).hasValueSatisfying(p -> assertThat(p).contains("alternate"));
        assertThat(AnthropicApi.problem(Golden.parse("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"a\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"f\",\"input\":{}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t2\",\"content\":\"x\"}]}]}")))
                .hasValueSatisfying(p -> assertThat(p).contains("t2"));
        assertThat(AnthropicApi.problem(Golden.parse("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"a\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"f\",\"input\":{}}]},"
                + "{\"role\":\"user\",\"content\":\"no result\"}]}"))).hasValueSatisfying(p -> assertThat(p).contains("t1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"images", "json-object", "json-schema", "legacy-functions", "multi-turn-merge", "plain", "reasoning-effort",
            "system-and-sampling", "tools-round-trip"})
    void theGeminiMockAcceptsEveryGoldenRequest(String name) {
        assertThat(GeminiApi.problem(Golden.json("/dialect/gemini/requests/" + name + ".gemini.json"))).isEmpty();
    }

    @Test
    void theGeminiMockRefusesAFunctionResponseThatAnswersNoCall() {
        assertThat(GeminiApi.problem(Golden.parse("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"f\",\"response\":{}}}]}]}")))
                .isPresent();
        assertThat(GeminiApi.problem(Golden.parse("{\"contents\":[{\"role\":\"assistant\",\"parts\":[{\"text\":\"x\"}]}]}"))).isPresent();
        assertThat(GeminiApi.problem(Golden.parse("{\"contents\":[]}"))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"images", "json-object", "json-schema", "multi-turn-merge", "plain", "reasoning-effort",
            "system-and-sampling", "tool-choice-none", "tools-round-trip"})
    void theBedrockMockAcceptsEveryGoldenRequest(String name) {
        assertThat(BedrockApi.problem(Golden.json("/dialect/bedrock/requests/" + name + ".bedrock.json"))).isEmpty();
    }

    static final BedrockApi.Credentials CREDS = new BedrockApi.Credentials("AKIDTEST", "s3cr/et+key", "eu-west-1", Optional.empty());

    /** A request as the gateway's own signer (the AWS SDK's) signs it now, as the mock would receive it. */
    static Received signed(BedrockApi.Credentials c, String path, byte[] body) {
        URI uri = URI.create("http://127.0.0.1:4567" + path);
        Map<String, String> headers = Map.of("Content-Type", "application/json");
        Map<String, String> added = new BedrockSigner(Clock.systemUTC()).sign("POST", uri, headers, body, c.region(),
                new AwsCredentials(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
        MultiMap all = MultiMap.caseInsensitiveMultiMap().add("Host", "127.0.0.1:4567").add("Content-Type", "application/json")
                .add("Content-Length", String.valueOf(body.length));
        added.forEach(all::set);
        return new Received("POST", path, null, all, body);
    }

    @Test
    void theBedrockMockAcceptsAnSdkSignedRequestAndRefusesATamperedOne() {
        byte[] body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}".getBytes(StandardCharsets.UTF_8);
        String path = BedrockApi.converse("anthropic.claude-3-5-sonnet-20241022-v2:0");
        Received ok = signed(CREDS, path, body);
        assertThat(BedrockApi.refuseSignature(ok, CREDS)).isEmpty();

        Received otherBody = new Received("POST", path, null, ok.headers(), "{\"messages\":[]}".getBytes(StandardCharsets.UTF_8));
        Received otherPath = new Received("POST", BedrockApi.converseStream("anthropic.claude-3-5-sonnet-20241022-v2:0"), null, ok.headers(), body);
        BedrockApi.Credentials otherSecret = new BedrockApi.Credentials(CREDS.accessKeyId(), "wrong", CREDS.region(), Optional.empty());
        BedrockApi.Credentials otherRegion = new BedrockApi.Credentials(CREDS.accessKeyId(), CREDS.secretAccessKey(), "us-east-1", Optional.empty());
        Stream.of(BedrockApi.refuseSignature(otherBody, CREDS), BedrockApi.refuseSignature(otherPath, CREDS),
                BedrockApi.refuseSignature(ok, otherSecret), BedrockApi.refuseSignature(ok, otherRegion))
                .forEach(refusal -> assertThat(refusal).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(403)));
    }

    @Test
    void theBedrockMockChecksTheSessionToken() {
        BedrockApi.Credentials temporary = new BedrockApi.Credentials("ASIATEST", "t", "us-east-1", Optional.of("tok"));
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        Received ok = signed(temporary, BedrockApi.invoke("amazon.titan-embed-text-v2:0"), body);
        assertThat(BedrockApi.refuseSignature(ok, temporary)).isEmpty();
        assertThat(BedrockApi.refuseSignature(ok, new BedrockApi.Credentials("ASIATEST", "t", "us-east-1", Optional.of("other")))).isPresent();
    }

    @Test
    void theBedrockEventStreamIsReadableByTheGatewaysDecoderFraming() {
        JsonNode transcript = Golden.json("/dialect/bedrock/streams/tool-calls.bedrock.json");
        byte[] bytes = BedrockApi.eventStream(transcript).body().getBytes();
        java.util.List<String> types = new java.util.ArrayList<>();
        new software.amazon.awssdk.eventstream.MessageDecoder(m -> types.add(m.getHeaders().get(":event-type").getString()))
                .feed(bytes);
        assertThat(types).hasSize(transcript.size()).startsWith("messageStart").endsWith("metadata");
    }
}
