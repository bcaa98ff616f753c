package io.bricksllm.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Error classes read from the providers' own error bodies, as they send them. */
class ErrorClassTest {
    static final String OPENAI_CONTEXT = """
            {"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 130532 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""";
    static final String OPENAI_CONTENT = """
            {"error":{"message":"Your request was rejected as a result of our safety system.","type":"invalid_request_error","param":null,"code":"content_policy_violation"}}""";
    static final String OPENAI_RATE = """
            {"error":{"message":"Rate limit reached for gpt-4o-mini in organization org-x on tokens per min (TPM): Limit 200000, Used 199000, Requested 3000.","type":"tokens","param":null,"code":"rate_limit_exceeded"}}""";
    static final String ANTHROPIC_CONTEXT = """
            {"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 208310 tokens > 200000 maximum"}}""";
    static final String ANTHROPIC_OVERLOADED = """
            {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""";
    static final String ANTHROPIC_RATE = """
            {"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}""";
    static final String GEMINI_CONTEXT = """
            {"error":{"code":400,"message":"The input token count (1210000) exceeds the maximum number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}}""";
    static final String GEMINI_RATE = """
            {"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}""";
    static final String AZURE_CONTENT = """
            {"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry.","type":null,"param":"prompt","code":"content_filter","status":400,"innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":{"hate":{"filtered":false,"severity":"safe"},"violence":{"filtered":true,"severity":"medium"}}}}}""";
    static final String BEDROCK_CONTEXT = """
            {"message":"Input is too long for requested model."}""";

    static Optional<ErrorClass> of(int status, String body) {
        return ErrorClass.of(status, Buffer.buffer(body));
    }

    @Test
    void contextWindowErrorsOfEveryProvider() {
        assertThat(of(400, OPENAI_CONTEXT)).contains(ErrorClass.CONTEXT_WINDOW_EXCEEDED);
        assertThat(of(400, ANTHROPIC_CONTEXT)).contains(ErrorClass.CONTEXT_WINDOW_EXCEEDED);
        assertThat(of(400, GEMINI_CONTEXT)).contains(ErrorClass.CONTEXT_WINDOW_EXCEEDED);
        assertThat(of(400, BEDROCK_CONTEXT)).contains(ErrorClass.CONTEXT_WINDOW_EXCEEDED);
    }

    @Test
    void contentPolicyRefusalsOfOpenAiAndAzure() {
        assertThat(of(400, OPENAI_CONTENT)).contains(ErrorClass.CONTENT_POLICY);
        assertThat(of(400, AZURE_CONTENT)).contains(ErrorClass.CONTENT_POLICY);
    }

    @Test
    void rateLimitsAndOverloadOfEveryProvider() {
        assertThat(of(429, OPENAI_RATE)).contains(ErrorClass.RATE_LIMITED);
        assertThat(of(429, ANTHROPIC_RATE)).contains(ErrorClass.RATE_LIMITED);
        assertThat(of(529, ANTHROPIC_OVERLOADED)).contains(ErrorClass.RATE_LIMITED);
        assertThat(of(429, GEMINI_RATE)).contains(ErrorClass.RATE_LIMITED);
        assertThat(of(400, "{\"message\":\"Too many requests\",\"__type\":\"ThrottlingException\"}")).contains(ErrorClass.RATE_LIMITED);
    }

    @Test
    void otherErrorsHaveNoClass() {
        assertThat(of(400, "{\"error\":{\"message\":\"bad field\",\"type\":\"invalid_request_error\"}}")).isEmpty();
        assertThat(of(500, "{\"error\":{\"message\":\"boom\"}}")).isEmpty();
        assertThat(of(401, "{\"error\":{\"message\":\"Incorrect API key provided\",\"code\":\"invalid_api_key\"}}")).isEmpty();
        assertThat(of(200, OPENAI_CONTEXT)).isEmpty();
    }
}
