package io.bricksllm.unified;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.MockUpstream.Reply;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Policies govern the Messages and Responses APIs as they govern chat: personal data in system prompts, instructions,
 * message blocks and tool results is redacted in the caller's request before it is sent — as sent to Anthropic, and
 * before translation to another provider.
 */
class TranslatedPolicyTest {
    static final String CLAUDE = "claude-sonnet-4-5";
    static final String GEMINI = "gemini-2.5-flash";
    static final List<String> EMAILS = List.of("jane.doe@example.com", "john.roe@example.org", "ann@example.net", "bob@example.com");
    static MockUpstream upstream;
    static TestGateway gw;
    static ProxyClient proxy;
    static String secret;

    @BeforeAll
    static void start() {
        upstream = new MockUpstream();
        gw = TestGateway.start();
        proxy = new ProxyClient(gw.proxyUrl());
        String anthropic = gw.admin.createSetting("anthropic", Map.of("apikey", "sk-ant-p", "url", upstream.url("/v1")));
        String gemini = gw.admin.createSetting("gemini", Map.of("apikey", "AIza-p", "url", upstream.url("")));
        AdminClient.Reply p = gw.admin.post("/api/policies", "{\"name\":\"pii\",\"config\":{\"rules\":{\"email\":\"allow_but_redact\"}}}");
        assertThat(p.status()).as(p.body()).isEqualTo(200);
        secret = "gw-translated-policy";
        gw.admin.createKey("{\"name\":\"p\",\"key\":\"" + secret + "\",\"settingIds\":[\"" + anthropic + "\",\"" + gemini
                + "\"],\"policyId\":\"" + p.json().get("id").asText() + "\"}");
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
        upstream.on("POST", "/v1/messages", AnthropicApi.messages("sk-ant-p", body -> Reply.json(200, AnthropicApi.textMessage(CLAUDE, "ok", 20, 1))));
        upstream.on("POST", GeminiApi.generatePath(GEMINI), GeminiApi.generate("AIza-p", false,
                body -> Reply.json(200, GeminiApi.textAnswer(GEMINI, "ok", 20, 1))));
    }

    static final String MESSAGES_BODY = """
            {"model":"%s","max_tokens":100,"system":[{"type":"text","text":"Support for jane.doe@example.com"}],
             "messages":[{"role":"user","content":[{"type":"text","text":"I am john.roe@example.org"}]},
               {"role":"assistant","content":[{"type":"tool_use","id":"tu_1","name":"lookup","input":{"q":"x"}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"tu_1","content":"owner: ann@example.net"},
                 {"type":"text","text":"and bob@example.com"}]}],
             "tools":[{"name":"lookup","description":"d","input_schema":{"type":"object"}}]}""";

    @Test
    void emailsInAMessagesRequestAreRedactedBeforeAnthropicSeesThem() {
        ProxyClient.Reply r = proxy.postJson("/v1/messages", secret, MESSAGES_BODY.formatted(CLAUDE));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertNoEmailReached();
    }

    @Test
    void emailsInAMessagesRequestAreRedactedBeforeTranslationToGemini() {
        ProxyClient.Reply r = proxy.postJson("/v1/messages", secret, MESSAGES_BODY.formatted("gemini/" + GEMINI));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(upstream.last().path()).contains(GEMINI);
        assertNoEmailReached();
    }

    @Test
    void emailsInResponsesInstructionsAndToolOutputsAreRedactedBeforeTranslationToAnthropic() {
        ProxyClient.Reply r = proxy.postJson("/v1/responses", secret, """
                {"model":"anthropic/%s","instructions":"Support for jane.doe@example.com",
                 "input":[{"role":"user","content":"I am john.roe@example.org"},
                   {"type":"function_call","call_id":"c1","name":"lookup","arguments":"{\\"q\\":\\"x\\"}"},
                   {"type":"function_call_output","call_id":"c1","output":"owner: ann@example.net"},
                   {"role":"user","content":[{"type":"input_text","text":"and bob@example.com"}]}],
                 "tools":[{"type":"function","name":"lookup","parameters":{"type":"object"}}]}""".formatted(CLAUDE));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertNoEmailReached();
    }

    private static void assertNoEmailReached() {
        String sent = upstream.last().bodyText();
        assertThat(sent).as("the request reached the upstream").contains("lookup");
        for (String email : EMAILS) assertThat(sent).as("what the upstream received").doesNotContain(email);
    }
}
