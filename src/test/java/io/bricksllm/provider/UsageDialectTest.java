package io.bricksllm.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.metering.AnthropicStreamObserver;
import io.bricksllm.metering.GeminiStreamObserver;
import io.bricksllm.metering.OpenAiStreamObserver;
import io.bricksllm.metering.TokenCounter;
import io.bricksllm.metering.Usage;
import io.bricksllm.store.Json;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What each dialect does differently, asked of the dialect rather than switched on by its callers. */
class UsageDialectTest {

    static JsonNode json(String text) {
        return Json.read(text, JsonNode.class);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eachDialectReadsItsOwnUsage() {
        byte[] openai = bytes("{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2}}");
        byte[] anthropic = bytes("{\"model\":\"claude\",\"usage\":{\"input_tokens\":10,\"output_tokens\":2,\"cache_read_input_tokens\":5}}");
        byte[] gemini = bytes("{\"usageMetadata\":{\"promptTokenCount\":10,\"candidatesTokenCount\":2,\"thoughtsTokenCount\":3},"
                + "\"modelVersion\":\"gemini-2.5-flash\"}");

        assertThat(UsageDialect.OPENAI.readResponse(openai).usage()).contains(Usage.of(10, 2));
        assertThat(UsageDialect.ANTHROPIC.readResponse(anthropic).usage()).contains(new Usage(15, 2, 5, 0));
        assertThat(UsageDialect.GEMINI.readResponse(gemini).usage()).contains(new Usage(10, 5, 0, 0, 3)); // thoughts: output, and its reasoning part
        assertThat(UsageDialect.GEMINI.readResponse(gemini).model()).contains("gemini-2.5-flash");
        assertThat(UsageDialect.GEMINI.readResponse(bytes("not json")).usage()).isEqualTo(Optional.empty());
        assertThat(UsageDialect.BEDROCK.readResponse(anthropic).usage()).contains(new Usage(15, 2, 5, 0));
    }

    @Test
    void eachDialectObservesItsOwnStreams() {
        assertThat(UsageDialect.OPENAI.streamObserver()).isInstanceOf(OpenAiStreamObserver.class);
        assertThat(UsageDialect.CUSTOM.streamObserver()).isInstanceOf(OpenAiStreamObserver.class);
        assertThat(UsageDialect.ANTHROPIC.streamObserver()).isInstanceOf(AnthropicStreamObserver.class);
        assertThat(UsageDialect.BEDROCK.streamObserver()).isInstanceOf(AnthropicStreamObserver.class);
        assertThat(UsageDialect.GEMINI.streamObserver()).isInstanceOf(GeminiStreamObserver.class);
    }

    @Test
    void onlyOpenAiStreamsMustBeAskedForTheirUsage() {
        for (UsageDialect d : UsageDialect.values()) assertThat(d.asksStreamUsage()).as(d.name()).isEqualTo(d == UsageDialect.OPENAI);
    }

    @Test
    void refusalsTakeTheShapeTheCallersSdkParses() {
        assertThat(json(UsageDialect.OPENAI.errorBody(429, "too many requests", "rate_limit_error")).at("/error/code").asText()).isEqualTo("429");
        assertThat(json(UsageDialect.ANTHROPIC.errorBody(429, "too many requests", "rate_limit_error")).path("type").asText()).isEqualTo("error");
        assertThat(json(UsageDialect.BEDROCK.errorBody(429, "x", "rate_limit_error")).path("type").asText()).isEqualTo("error");
        JsonNode google = json(UsageDialect.GEMINI.errorBody(429, "too many requests", "rate_limit_error")).path("error");
        assertThat(google.path("code").asInt()).isEqualTo(429);
        assertThat(google.path("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(google.path("message").asText()).isEqualTo("[BricksLLM] too many requests");
    }

    @Test
    void aCutStreamEndsTheWayEachDialectsSdkNotices() {
        assertThat(UsageDialect.OPENAI.cutStreamTail("upstream \"gone\"")).endsWith("data: [DONE]\n\n").contains("upstream 'gone'");
        assertThat(UsageDialect.ANTHROPIC.cutStreamTail("gone")).startsWith("event: error\n").contains("message_stop");
        String gemini = UsageDialect.GEMINI.cutStreamTail("upstream \"gone\"");
        assertThat(gemini).startsWith("data: ").endsWith("\n\n").doesNotContain("[DONE]");
        assertThat(json(gemini.substring("data: ".length())).at("/error/message").asText()).isEqualTo("upstream \"gone\"");
    }

    @Test
    void geminiCountsTheTextsOfItsOwnRequestsAndAnswers() {
        JsonNode request = json("{\"systemInstruction\":{\"parts\":[{\"text\":\"Be brief. \"}]},"
                + "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hello\"},{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"AAAA\"}}]}]}");
        JsonNode answer = json("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hm. \",\"thought\":true},{\"text\":\"Hi!\"}]}}]}");
        TokenCounter tokens = new TokenCounter();

        assertThat(UsageDialect.GEMINI.promptTokens(tokens, "gemini-2.5-flash", request))
                .isEqualTo(tokens.countText("gemini-2.5-flash", "Be brief. Hello"));
        assertThat(UsageDialect.GEMINI.answerText(answer)).isEqualTo("Hm. Hi!");
        assertThat(UsageDialect.OPENAI.answerText(json("{\"choices\":[{\"message\":{\"content\":\"Hi\"}}]}"))).isEqualTo("Hi");
    }
}
