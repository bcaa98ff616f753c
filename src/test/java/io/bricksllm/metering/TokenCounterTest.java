package io.bricksllm.metering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenCounterTest {

    static final TokenCounter COUNTER = new TokenCounter().warmUp();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The OpenAI cookbook's "How to count tokens with tiktoken" example, whose counts the API confirmed. */
    private static final String COOKBOOK_MESSAGES = """
            [
              {"role": "system", "content": "You are a helpful, pattern-following assistant that translates corporate jargon into plain English."},
              {"role": "system", "name": "example_user", "content": "New synergies will help drive top-line growth."},
              {"role": "system", "name": "example_assistant", "content": "Things working well together will increase revenue."},
              {"role": "system", "name": "example_user", "content": "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage."},
              {"role": "system", "name": "example_assistant", "content": "Let's talk later when we're less busy about how to do better."},
              {"role": "user", "content": "This late pivot means we don't have time to boil the ocean for the client deliverable."}
            ]
            """;

    @ParameterizedTest
    @CsvSource({
            "gpt-4o, O200K_BASE",
            "gpt-4o-mini-2024-07-18, O200K_BASE",
            "chatgpt-4o-latest, O200K_BASE",
            "gpt-4.1-nano, O200K_BASE",
            "o1-preview, O200K_BASE",
            "o3-mini, O200K_BASE",
            "o4-mini, O200K_BASE",
            "gpt-5, O200K_BASE",
            "ft:gpt-4o-mini-2024-07-18:acme::x, O200K_BASE",
            "gpt-4, CL100K_BASE",
            "gpt-4-turbo-2024-04-09, CL100K_BASE",
            "gpt-3.5-turbo-0125, CL100K_BASE",
            "gpt-35-turbo, CL100K_BASE",
            "text-embedding-ada-002, CL100K_BASE",
            "text-embedding-3-small, CL100K_BASE",
            "text-davinci-003, P50K_BASE",
            "code-davinci-002, P50K_BASE",
            "davinci, R50K_BASE",
            "text-ada-001, R50K_BASE",
            "ada, R50K_BASE",
            "meta-llama/Llama-3-8b, CL100K_BASE",
            "'', CL100K_BASE",
    })
    void picks_the_encoding_openai_uses_for_the_model(String model, EncodingType expected) {
        assertThat(COUNTER.encodingFor(model)).isEqualTo(expected);
    }

    @Test
    void counts_text_like_tiktoken() {
        assertThat(COUNTER.countText("gpt-4", "hello world")).isEqualTo(2);
        assertThat(COUNTER.countText("gpt-4o", "hello world")).isEqualTo(2);
        assertThat(COUNTER.countText("gpt-3.5-turbo", "tiktoken is great!")).isEqualTo(6); // t|ik|token| is| great|!
        assertThat(COUNTER.countText("gpt-4", "")).isZero();
        assertThat(COUNTER.countText("gpt-4", null)).isZero();
    }

    @Test
    void special_token_text_is_counted_not_rejected() {
        assertThat(COUNTER.countText("gpt-4", "<|endoftext|>")).isGreaterThan(1);
    }

    @Test
    void chat_prompt_formula_matches_the_counts_the_openai_api_reported() throws Exception {
        JsonNode messages = JSON.readTree(COOKBOOK_MESSAGES);

        assertThat(COUNTER.countChatPrompt("gpt-3.5-turbo-0613", messages)).isEqualTo(129);
        assertThat(COUNTER.countChatPrompt("gpt-4-0613", messages)).isEqualTo(129);
        assertThat(COUNTER.countChatPrompt("gpt-4o", messages)).isEqualTo(124);
    }

    @Test
    void array_content_counts_its_text_parts_only() throws Exception {
        JsonNode asString = JSON.readTree("[{\"role\":\"user\",\"content\":\"hello world\"}]");
        JsonNode asParts = JSON.readTree("""
                [{"role":"user","content":[{"type":"text","text":"hello world"},
                  {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]}]""");

        int expected = 3 + 3 + COUNTER.countText("gpt-4", "user") + 2;
        assertThat(COUNTER.countChatPrompt("gpt-4", asString)).isEqualTo(expected);
        assertThat(COUNTER.countChatPrompt("gpt-4", asParts)).isEqualTo(expected);
    }

    @Test
    void function_role_and_calls_follow_the_formula() throws Exception {
        JsonNode messages = JSON.readTree("""
                [{"role":"assistant","content":null,"function_call":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                 {"role":"function","name":"get_weather","content":"sunny"}]""");
        int call = COUNTER.countText("gpt-4", "get_weather") + COUNTER.countText("gpt-4", "{\"city\":\"Paris\"}") + 3;
        int first = 3 + COUNTER.countText("gpt-4", "assistant") + call;
        int second = 3 + COUNTER.countText("gpt-4", "function") + COUNTER.countText("gpt-4", "sunny")
                + COUNTER.countText("gpt-4", "get_weather") + 1 - 2;

        assertThat(COUNTER.countChatPrompt("gpt-4", messages)).isEqualTo(3 + first + second);
    }

    @Test
    void empty_or_missing_messages_cost_the_reply_primer_only() {
        assertThat(COUNTER.countChatPrompt("gpt-4", null)).isEqualTo(3);
        assertThat(COUNTER.countChatPrompt("gpt-4", JSON.createArrayNode())).isEqualTo(3);
    }

    @Test
    void one_counter_is_safe_to_share_between_threads() throws Exception {
        String text = "The quick brown fox jumps over the lazy dog. ".repeat(50);
        int expected = COUNTER.countText("gpt-4o", text);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> tasks = IntStream.range(0, 64)
                    .<Callable<Integer>>mapToObj(i -> () -> COUNTER.countText("gpt-4o", text))
                    .toList();
            for (Future<Integer> result : pool.invokeAll(tasks)) {
                assertThat(result.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
