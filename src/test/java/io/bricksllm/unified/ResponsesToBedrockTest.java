package io.bricksllm.unified;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import io.bricksllm.testing.MockUpstream.Reply;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.TestGateway;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/responses} for {@code bedrock/<model id>}: the official openai-java SDK's Responses calls translated to
 * Converse / ConverseStream (SigV4-checking mock, event-stream frames) and back, metered at AWS's prices.
 */
class ResponsesToBedrockTest {
    static final String MODEL = "anthropic.claude-3-5-sonnet-20241022-v2:0";
    static final String UNIFIED = "bedrock/" + MODEL;
    static final BedrockApi.Credentials AWS = new BedrockApi.Credentials("AKIDRESPONSESE2E", "responses/secret+KEY", "eu-west-1", Optional.empty());
    static final String GATEWAY_KEY = "gw-responses-bedrock";
    static MockUpstream upstream;
    static TestGateway gw;
    static OpenAIClient sdk;
    static String keyId;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        String s = gw.admin.createSetting("bedrock", Map.of("awsAccessKeyId", AWS.accessKeyId(), "awsSecretAccessKey", AWS.secretAccessKey(),
                "awsRegion", AWS.region(), "url", upstream.url("")));
        keyId = gw.admin.createKey("{\"name\":\"b\",\"key\":\"" + GATEWAY_KEY + "\",\"settingIds\":[\"" + s + "\"]}").get("keyId").asText();
        sdk = Sdk.client(gw, GATEWAY_KEY);
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    static void answer(Function<JsonNode, Reply> answer) {
        upstream.on("POST", BedrockApi.converse(MODEL), BedrockApi.converse(AWS, answer));
    }

    static void answerStream(Function<JsonNode, Reply> answer) {
        upstream.on("POST", BedrockApi.converseStream(MODEL), BedrockApi.converse(AWS, answer));
    }

    @Test
    void aResponsesRequestBecomesAConverseCallAndItsAnswerAResponse() {
        answer(body -> Reply.json(200, BedrockApi.textAnswer("Hi there!", 9101, 17)));

        Response r = sdk.responses().create(ResponsesSdk.create(UNIFIED).instructions("Be brief.").input("Hello")
                .maxOutputTokens(300L).build());

        assertThat(r.status()).hasValue(ResponseStatus.COMPLETED);
        assertThat(ResponsesSdk.outputText(r)).isEqualTo("Hi there!");
        assertThat(r.usage().orElseThrow().inputTokens()).isEqualTo(9101);
        JsonNode body = Golden.parse(upstream.last().body());
        assertThat(body.get("system").toString()).as("instructions").contains("Be brief.");
        assertThat(body.get("inferenceConfig").get("maxTokens").asInt()).as("max_output_tokens").isEqualTo(300);
        assertThat(body.get("messages").get(0).toString()).contains("Hello");
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 9101), "bedrock", MODEL, 9101, 17, "aws");
    }

    @Test
    void aConverseStreamIsReadByTheSdkAsResponsesEvents() {
        answerStream(body -> BedrockApi.textEventStream(List.of("Hel", "lo", " world"), 9201, 9));

        List<ResponseStreamEvent> events = ResponsesSdk.stream(sdk, ResponsesSdk.create(UNIFIED).input("Say hello").build());

        Response done = ResponsesSdk.assertWellFormed(events);
        assertThat(ResponsesSdk.deltas(events)).isEqualTo("Hello world");
        assertThat(ResponsesSdk.outputText(done)).isEqualTo("Hello world");
        assertThat(done.usage().orElseThrow().outputTokens()).isEqualTo(9);
        Metering.assertMetered(Metering.eventWithPrompt(gw.admin, keyId, 9201), "bedrock", MODEL, 9201, 9, "aws");
    }
}
