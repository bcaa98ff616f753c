package io.bricksllm.dialect.responses;

import static io.bricksllm.dialect.DialectFixtures.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.InvalidChatRequestException;
import io.bricksllm.dialect.Message;
import io.bricksllm.dialect.Part;
import io.bricksllm.dialect.Role;
import io.bricksllm.dialect.Streaming;
import io.bricksllm.dialect.UnsupportedByDialectException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Responses API requests as the caller's dialect → canonical: accepted shapes, refusals and malformed input. */
class ResponsesRequestDecoderTest {

    private final ResponsesRequestDecoder decoder = new ResponsesRequestDecoder(JSON);

    private ChatRequest decode(String body) {
        return decoder.decode(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void messagesWithoutATypeAndAssistantSideItemsJoiningOneTurn() {
        ChatRequest request = decode("""
                {"model":"m","input":[
                  {"role":"user","content":"hi"},
                  {"type":"function_call","call_id":"c0","name":"f","arguments":"{}"},
                  {"type":"function_call_output","call_id":"c0","output":"r0"},
                  {"type":"reasoning","id":"rs","summary":[],"content":[{"type":"reasoning_text","text":"think"}]},
                  {"role":"assistant","content":"first"},
                  {"role":"assistant","content":[{"type":"refusal","refusal":"no"}]},
                  {"type":"function_call","call_id":"c1","name":"g","arguments":""},
                  {"type":"reasoning","id":"rs2","summary":[],"encrypted_content":"opaque"},
                  {"role":"user","content":"next"}]}""");

        assertThat(request.messages()).containsExactly(
                Message.text(Role.USER, "hi"),
                new Message(Role.ASSISTANT, List.of(new Part.ToolCall("c0", "f", "{}"))),
                new Message(Role.TOOL, List.of(new Part.ToolResult("c0", "r0"))),
                new Message(Role.ASSISTANT, List.of(new Part.Reasoning("think", Optional.empty()),
                        new Part.Text("first"), new Part.Text("no"), new Part.ToolCall("c1", "g", ""))),
                Message.text(Role.USER, "next"));
        assertThat(request.streaming()).isEqualTo(Streaming.OFF);
        assertThat(request.toolChoice()).isEmpty();
        assertThat(request.parallelToolCalls()).isEmpty();
    }

    @Test
    void harmlessFieldsAreIgnored() {
        ChatRequest request = decode("""
                {"model":"m","input":"hi","metadata":{"a":"b"},"truncation":"auto","service_tier":"flex",
                 "include":["reasoning.encrypted_content"],"prompt_cache_key":"k","background":false,"store":false,
                 "previous_response_id":null,"conversation":null,"stream":true}""");

        assertThat(request.messages()).containsExactly(Message.text(Role.USER, "hi"));
        assertThat(request.streaming()).isEqualTo(new Streaming(true, true));
    }

    @Test
    void aRequestBuiltByTheSdkDecodes() throws Exception {
        var params = com.openai.models.responses.ResponseCreateParams.builder().model("anthropic/claude")
                .instructions("Be brief.").input("hi").maxOutputTokens(100L).temperature(0.5).build();

        ChatRequest request = decoder.decode(JSON.readTree(com.openai.core.ObjectMappers.jsonMapper()
                .writeValueAsBytes(params._body())));

        assertThat(request.messages()).containsExactly(Message.text(Role.SYSTEM, "Be brief."),
                Message.text(Role.USER, "hi"));
        assertThat(request.sampling().maxOutputTokens().getAsInt()).isEqualTo(100);
        assertThat(request.sampling().temperature().getAsDouble()).isEqualTo(0.5);
    }

    @Test
    void theEchoRepeatsInstructionsAndMetadataAsSent() {
        var body = io.bricksllm.dialect.DialectFixtures.json("responses/requests/agent-turn.responses.json");
        ResponsesEcho echo = ResponsesEcho.of(body, decoder.decode(body));

        assertThat(echo.instructions()).contains("You are a coding agent.");
        assertThat(echo.metadata().path("ticket").asText()).isEqualTo("BUG-12");
        assertThat(echo.parallelToolCalls()).isFalse();
        assertThat(echo.tools()).hasSize(2);
    }

    /** Translated requests are stateless: what points at stored state is refused, and the refusal says why. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"previous_response_id\":\"resp_1\"|previous_response_id",
            "\"store\":true|store",
            "\"conversation\":\"conv_1\"|conversation",
            "\"conversation\":{\"id\":\"conv_1\"}|conversation",
            "\"prompt\":{\"id\":\"pmpt_1\"}|prompt",
            "\"background\":true|background"})
    void statefulRequestsAreRefusedNamingTheField(String field, String name) {
        assertThatThrownBy(() -> decode("{\"model\":\"m\",\"input\":\"hi\"," + field + "}"))
                .isInstanceOfSatisfying(UnsupportedByDialectException.class, e -> {
                    assertThat(e.field()).isEqualTo(name);
                    assertThat(e.getMessage()).contains("stateless");
                });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"tools\":[{\"type\":\"function\",\"name\":\"f\"},{\"type\":\"web_search\"}]|tools[1].type",
            "\"tools\":[{\"type\":\"file_search\",\"vector_store_ids\":[\"vs\"]}]|tools[0].type",
            "\"tools\":[{\"type\":\"computer_use_preview\",\"display_width\":1,\"display_height\":1,\"environment\":\"linux\"}]|tools[0].type",
            "\"tool_choice\":{\"type\":\"web_search_preview\"}|tool_choice.type",
            "\"input\":[{\"role\":\"user\",\"content\":\"a\"},{\"type\":\"web_search_call\",\"id\":\"ws\",\"status\":\"completed\"}]|input[1].type",
            "\"input\":[{\"type\":\"no_such_item\"}]|input[0].type",
            "\"input\":[{\"type\":\"item_reference\",\"id\":\"msg_1\"}]|input[0].type",
            "\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"a\"},{\"type\":\"input_image\",\"file_id\":\"file-1\"}]}]|input[0].content[1].file_id",
            "\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_file\",\"file_id\":\"file-1\"}]}]|input[0].content[0].type",
            "\"input\":[{\"type\":\"function_call_output\",\"call_id\":\"c\",\"output\":[{\"type\":\"input_image\",\"image_url\":\"https://x\"}]}]|input[0].output[0].type"})
    void whatCannotBeTranslatedIsRefusedNamingTheField(String fields, String name) {
        String body = "{\"model\":\"m\"," + (fields.startsWith("\"input\"") ? "" : "\"input\":\"hi\",") + fields + "}";
        assertThatThrownBy(() -> decode(body)).isInstanceOfSatisfying(UnsupportedByDialectException.class,
                e -> assertThat(e.field()).isEqualTo(name));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"input\":\"hi\"}|model",
            "{\"model\":\"m\"}|input",
            "{\"model\":\"m\",\"input\":5}|input",
            "[1]|body",
            "{\"model\":\"m\",\"input\":[\"hi\"]}|input[0]",
            "{\"model\":\"m\",\"input\":[{\"content\":\"x\"}]}|input[0].type",
            "{\"model\":\"m\",\"input\":[{\"role\":\"tool\",\"content\":\"x\"}]}|input[0].role",
            "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"user\",\"content\":7}]}|input[1].content",
            "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}]}|input[0].content[0].type",
            "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\"}]}]}|input[0].content[0].text",
            "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_video\"}]}]}|input[0].content[0].type",
            "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\"}]}]}|input[0].content[0].image_url",
            "{\"model\":\"m\",\"input\":[{\"type\":\"function_call\",\"name\":\"f\",\"arguments\":\"{}\"}]}|input[0].call_id",
            "{\"model\":\"m\",\"input\":[{\"type\":\"function_call\",\"call_id\":\"c\",\"arguments\":\"{}\"}]}|input[0].name",
            "{\"model\":\"m\",\"input\":[{\"type\":\"function_call\",\"call_id\":\"c\",\"name\":\"f\",\"arguments\":{}}]}|input[0].arguments",
            "{\"model\":\"m\",\"input\":[{\"type\":\"function_call_output\",\"output\":\"x\"}]}|input[0].call_id",
            "{\"model\":\"m\",\"input\":[{\"type\":\"function_call_output\",\"call_id\":\"c\",\"output\":3}]}|input[0].output",
            "{\"model\":\"m\",\"input\":[{\"type\":\"reasoning\",\"summary\":[{\"type\":\"summary_text\"}]}]}|input[0].summary[0].text",
            "{\"model\":\"m\",\"input\":\"hi\",\"tools\":{}}|tools",
            "{\"model\":\"m\",\"input\":\"hi\",\"tools\":[{\"name\":\"f\"}]}|tools[0].type",
            "{\"model\":\"m\",\"input\":\"hi\",\"tools\":[{\"type\":\"function\"}]}|tools[0].name",
            "{\"model\":\"m\",\"input\":\"hi\",\"tools\":[{\"type\":\"function\",\"name\":\"f\",\"parameters\":\"{}\"}]}|tools[0].parameters",
            "{\"model\":\"m\",\"input\":\"hi\",\"tools\":[{\"type\":\"function\",\"name\":\"f\",\"strict\":\"yes\"}]}|tools[0].strict",
            "{\"model\":\"m\",\"input\":\"hi\",\"tool_choice\":\"maybe\"}|tool_choice",
            "{\"model\":\"m\",\"input\":\"hi\",\"tool_choice\":{\"type\":\"function\"}}|tool_choice.name",
            "{\"model\":\"m\",\"input\":\"hi\",\"text\":{\"format\":{\"type\":\"xml\"}}}|text.format.type",
            "{\"model\":\"m\",\"input\":\"hi\",\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"n\"}}}|text.format.schema",
            "{\"model\":\"m\",\"input\":\"hi\",\"text\":{\"format\":{\"type\":\"json_schema\",\"schema\":{}}}}|text.format.name",
            "{\"model\":\"m\",\"input\":\"hi\",\"max_output_tokens\":0}|max_output_tokens",
            "{\"model\":\"m\",\"input\":\"hi\",\"temperature\":\"hot\"}|temperature",
            "{\"model\":\"m\",\"input\":\"hi\",\"reasoning\":{\"effort\":\"extreme\"}}|reasoning.effort",
            "{\"model\":\"m\",\"input\":\"hi\",\"stream\":\"yes\"}|stream",
            "{\"model\":\"m\",\"input\":\"hi\",\"store\":\"yes\"}|store",
            "{\"model\":\"m\",\"input\":\"hi\",\"user\":5}|user",
            "{\"model\":\"m\",\"input\":\"hi\",\"parallel_tool_calls\":1}|parallel_tool_calls"})
    void malformedInputNamesTheField(String body, String field) {
        assertThatThrownBy(() -> decode(body)).isInstanceOfSatisfying(InvalidChatRequestException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }
}
