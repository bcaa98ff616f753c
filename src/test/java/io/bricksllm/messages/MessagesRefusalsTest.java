package io.bricksllm.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.anthropic.client.AnthropicClient;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.models.ErrorType;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.MockUpstream.Reply;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import io.bricksllm.unified.AnthropicApi;
import io.bricksllm.unified.Golden;
import io.bricksllm.unified.Metering;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the gateway itself refuses on the Messages endpoints is written in Anthropic's error shape, so the
 * anthropic-java SDK raises its own typed exceptions with Anthropic's error types, and nothing reaches the upstream.
 */
class MessagesRefusalsTest {
    static final String MODEL = "claude-sonnet-4-5";
    static final String PROVIDER_KEY = "sk-ant-refusals";
    static final String GATEWAY_KEY = "gw-messages-refusals";
    static MockUpstream upstream;
    static TestGateway gw;
    static String setting;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        setting = gw.admin.createSetting("anthropic", Map.of("apikey", PROVIDER_KEY, "url", upstream.url("/v1")));
        gw.admin.createKey("{\"name\":\"r\",\"key\":\"" + GATEWAY_KEY + "\",\"settingIds\":[\"" + setting + "\"]}");
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

    @Test
    void anInvalidKeyIsA401AuthenticationError() {
        AnthropicClient wrong = MessagesSdk.client(gw, "gw-no-such-key");
        UnauthorizedException e = catchThrowableOfType(UnauthorizedException.class,
                () -> wrong.messages().create(MessagesSdk.create("anthropic/" + MODEL).addUserMessage("hi").build()));
        assertThat(e).as("the SDK's 401 exception").isNotNull();
        assertThat(e.statusCode()).isEqualTo(401);
        assertThat(e.type()).hasValue(ErrorType.AUTHENTICATION_ERROR);
        assertThat(e.apiMessage()).isPresent();
        UnauthorizedException count = catchThrowableOfType(UnauthorizedException.class, () -> wrong.messages().countTokens(
                MessageCountTokensParams.builder().model("anthropic/" + MODEL).addUserMessage("hi").build()));
        assertThat(count).as("count_tokens refuses the same way").isNotNull();
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void noKeyAtAllIsA401InAnthropicsShape() {
        ProxyClient.Reply r = new ProxyClient(gw.proxyUrl()).send("POST", "/v1/messages", Map.of("Content-Type", "application/json",
                "anthropic-version", "2023-06-01"), ("{\"model\":\"" + MODEL + "\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(401);
        JsonNode body = Golden.parse(r.body());
        assertThat(body.get("type").asText()).as(r.text()).isEqualTo("error");
        assertThat(body.get("error").get("type").asText()).isEqualTo("authentication_error");
        assertThat(body.get("error").get("message").asText()).isNotBlank();
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void anUnknownProviderPrefixIsA400NamingIt() {
        AnthropicClient sdk = MessagesSdk.client(gw, GATEWAY_KEY);
        BadRequestException e = catchThrowableOfType(BadRequestException.class,
                () -> sdk.messages().create(MessagesSdk.create("nosuchvendor/some-model").addUserMessage("hi").build()));
        assertThat(e).isNotNull();
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.type()).hasValue(ErrorType.INVALID_REQUEST_ERROR);
        assertThat(e.apiMessage().orElseThrow()).contains("nosuchvendor");
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void aKeyThatSpentItsBudgetGetsA429RateLimitError() {
        // 2,000 input + 500 output tokens of claude-sonnet-4-5 cost $0.0135, past the $0.01 limit; max_tokens and the
        // answer's length allow 500 output tokens (the gateway bounds reported usage by both)
        String longAnswer = "pricey ".repeat(600).strip();
        upstream.on("POST", "/v1/messages", AnthropicApi.messages(PROVIDER_KEY, body -> Reply.json(200, AnthropicApi.textMessage(MODEL, longAnswer, 2000, 500))));
        String keyId = gw.admin.createKey("{\"name\":\"b\",\"key\":\"gw-messages-budget\",\"settingIds\":[\"" + setting + "\"],\"costLimitInUsd\":0.01}")
                .get("keyId").asText();
        AnthropicClient sdk = MessagesSdk.client(gw, "gw-messages-budget");
        Message first = sdk.messages().create(MessagesSdk.create("anthropic/" + MODEL).maxTokens(600).addUserMessage("hi").build());
        assertThat(MessagesSdk.text(first)).isEqualTo(longAnswer);
        JsonNode event = Metering.events(gw.admin, keyId, e -> true, 1).get(0);
        assertThat(event.get("cost_in_usd").asDouble()).as(event.toString()).isGreaterThan(0.01);

        RateLimitException e = catchThrowableOfType(RateLimitException.class,
                () -> sdk.messages().create(MessagesSdk.create("anthropic/" + MODEL).maxTokens(600).addUserMessage("again").build()));
        assertThat(e).as("the SDK's 429 exception").isNotNull();
        assertThat(e.statusCode()).isEqualTo(429);
        assertThat(e.type()).hasValue(ErrorType.RATE_LIMIT_ERROR);
        assertThat(e.apiMessage()).isPresent();
        assertThat(upstream.calls()).as("the refused request never reached Anthropic").isEqualTo(1);
    }

    @Test
    void aBodyThatIsNotJsonIsA400InvalidRequestError() {
        ProxyClient.Reply r = new ProxyClient(gw.proxyUrl()).send("POST", "/v1/messages", Map.of("Content-Type", "application/json",
                "x-api-key", GATEWAY_KEY, "anthropic-version", "2023-06-01"), "{not json".getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        JsonNode body = Golden.parse(r.body());
        assertThat(body.get("type").asText()).isEqualTo("error");
        assertThat(body.get("error").get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(upstream.calls()).isZero();
    }

    @Test
    void countTokensForAnUnknownProviderPrefixIsA400() {
        AnthropicClient sdk = MessagesSdk.client(gw, GATEWAY_KEY);
        BadRequestException e = catchThrowableOfType(BadRequestException.class, () -> sdk.messages().countTokens(
                MessageCountTokensParams.builder().model("nosuchvendor/some-model").addUserMessage("hi").build()));
        assertThat(e).isNotNull();
        assertThat(e.type()).hasValue(ErrorType.INVALID_REQUEST_ERROR);
        assertThat(e.apiMessage().orElseThrow()).contains("nosuchvendor");
    }

    @Test
    void aStreamingRequestOfAKeyOverBudgetIsA429TheSdkRaises() {
        String longAnswer = "pricey ".repeat(600).strip();
        upstream.on("POST", "/v1/messages", AnthropicApi.messages(PROVIDER_KEY, body -> Reply.json(200, AnthropicApi.textMessage(MODEL, longAnswer, 2000, 500))));
        String keyId = gw.admin.createKey("{\"name\":\"s\",\"key\":\"gw-messages-budget-stream\",\"settingIds\":[\"" + setting + "\"],\"costLimitInUsd\":0.01}")
                .get("keyId").asText();
        AnthropicClient sdk = MessagesSdk.client(gw, "gw-messages-budget-stream");
        sdk.messages().create(MessagesSdk.create("anthropic/" + MODEL).maxTokens(600).addUserMessage("hi").build());
        Metering.events(gw.admin, keyId, e -> true, 1);

        RateLimitException e = catchThrowableOfType(RateLimitException.class,
                () -> MessagesSdk.stream(sdk, MessagesSdk.create("anthropic/" + MODEL).maxTokens(600).addUserMessage("again").build()));
        assertThat(e).as("the SDK's 429 exception").isNotNull();
        assertThat(e.type()).hasValue(ErrorType.RATE_LIMIT_ERROR);
        assertThat(upstream.calls()).isEqualTo(1);
    }
}
