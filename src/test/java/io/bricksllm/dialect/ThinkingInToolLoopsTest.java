package io.bricksllm.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bricksllm.dialect.anthropic.AnthropicRequestEncoder;
import io.bricksllm.dialect.bedrock.BedrockRequestEncoder;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Claude refuses extended thinking for a request that continues a tool loop whose assistant turn does not start with
 * signed thinking; callers of another API (OpenAI chat, the Responses API) cannot send Claude's signature back, so the
 * translation drops thinking for such a request instead of having Anthropic (or Bedrock) refuse it.
 */
class ThinkingInToolLoopsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final AnthropicRequestEncoder ANTHROPIC = new AnthropicRequestEncoder(JSON, 4096);
    static final BedrockRequestEncoder BEDROCK = new BedrockRequestEncoder(JSON);
    static final String CLAUDE_ON_BEDROCK = "anthropic.claude-sonnet-4-5-20250929-v1:0";

    static ChatRequest request(Message assistant) {
        return new ChatRequest("m", List.of(Message.text(Role.USER, "Weather in Paris?"), assistant,
                new Message(Role.TOOL, List.of(new Part.ToolResult("call_1", "18C")))),
                List.of(new Tool("get_weather", Optional.empty(), JSON.createObjectNode().put("type", "object"), false)),
                Optional.empty(), Optional.empty(), new ResponseFormat.Text(),
                new Sampling(OptionalInt.of(20000), OptionalDouble.empty(), OptionalDouble.empty(), List.of(), OptionalInt.empty(),
                        Optional.of(ReasoningEffort.HIGH)), Optional.empty(), Streaming.OFF);
    }

    static final Part.ToolCall CALL = new Part.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}");

    @Test
    void anUnsignedToolLoopIsSentWithoutThinking() {
        ChatRequest r = request(new Message(Role.ASSISTANT, List.of(new Part.Reasoning("let me look it up", Optional.empty()), CALL)));

        assertThat(ANTHROPIC.encode(r, "claude-sonnet-4-5").body().has("thinking")).isFalse();
        assertThat(BEDROCK.encode(r, CLAUDE_ON_BEDROCK).body().has("additionalModelRequestFields")).isFalse();
    }

    @Test
    void aToolLoopWhoseTurnStartsWithSignedThinkingKeepsThinking() {
        ChatRequest r = request(new Message(Role.ASSISTANT, List.of(new Part.Reasoning("let me look it up", Optional.of("sig-1")), CALL)));

        assertThat(ANTHROPIC.encode(r, "claude-sonnet-4-5").body().path("thinking").path("type").asText()).isEqualTo("enabled");
        assertThat(BEDROCK.encode(r, CLAUDE_ON_BEDROCK).body().at("/additionalModelRequestFields/thinking/type").asText()).isEqualTo("enabled");
    }

    @Test
    void aConversationWithoutToolCallsKeepsThinking() {
        ChatRequest r = request(Message.text(Role.ASSISTANT, "Which city?"));

        assertThat(ANTHROPIC.encode(r, "claude-sonnet-4-5").body().path("thinking").path("budget_tokens").asInt()).isPositive();
    }
}
