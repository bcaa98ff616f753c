package io.bricksllm.metering;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Golden costs: known usage × the dataset's known prices = an exact amount. */
class CostCalculatorTest {

    private final CostCalculator calculator = new CostCalculator(PriceBookTest.BOOK);

    @Test
    void one_million_tokens_each_way_cost_the_per_million_prices() {
        Cost cost = calculator.cost("openai", "gpt-4o-mini", Usage.of(1_000_000, 1_000_000), CostOverride.NONE);

        assertThat(cost.usd()).isEqualByComparingTo("0.75"); // 0.15 input + 0.60 output per million
        assertThat(cost.usd().scale()).isGreaterThanOrEqualTo(9);
        assertThat(cost.unpriced()).isFalse();
    }

    @Test
    void small_calls_are_exact_not_rounded() {
        Cost cost = calculator.cost("openai", "gpt-4o-mini", Usage.of(7, 3), CostOverride.NONE);

        assertThat(cost.usd()).isEqualTo(new BigDecimal("0.000002850")); // 7 × 0.15 + 3 × 0.6 = 2.85 per million
    }

    @Test
    void openai_cached_prompt_tokens_pay_the_cache_read_price() {
        // gpt-4o: 2.5 input, 1.25 cached input, 10 output
        Cost cost = calculator.cost("openai", "gpt-4o", new Usage(10_000, 1_000, 4_000, 0), CostOverride.NONE);

        assertThat(cost.usd()).isEqualByComparingTo("0.03"); // 6000 × 2.5 + 4000 × 1.25 + 1000 × 10
    }

    @Test
    void anthropic_cache_reads_and_writes_have_their_own_prices() {
        // claude-3-5-sonnet: 3 input, 0.3 cache read, 3.75 cache write, 15 output; input 100 + 2000 read + 1000 written
        Usage usage = new Usage(3_100, 500, 2_000, 1_000);

        Cost cost = calculator.cost("anthropic", "claude-3-5-sonnet-20241022", usage, CostOverride.NONE);

        assertThat(cost.usd()).isEqualByComparingTo("0.01215"); // 300 + 600 + 3750 + 7500 per million
    }

    @Test
    void cached_tokens_without_a_cache_price_pay_the_input_price() {
        Cost cost = calculator.cost("openai", "gpt-4-turbo", new Usage(2_000, 0, 1_000, 0), CostOverride.NONE);

        assertThat(cost.usd()).isEqualByComparingTo("0.02");
    }

    @Test
    void a_tier_reached_by_the_prompt_reprices_every_token() {
        // claude-sonnet-4-5: from 200k prompt tokens input 6 (not 3) and output 22.5 (not 15)
        Cost cost = calculator.cost("anthropic", "claude-sonnet-4-5", Usage.of(250_000, 1_000), CostOverride.NONE);

        assertThat(cost.usd()).isEqualByComparingTo("1.5225");
    }

    @Test
    void fine_tuned_models_use_the_fine_tune_price_when_listed_else_the_base_model() {
        Cost listed = calculator.cost("openai", "ft:gpt-4o-mini-2024-07-18:acme::9xYz", Usage.of(1_000_000, 1_000_000), CostOverride.NONE);
        Cost base = calculator.cost("openai", "ft:gpt-4.1-nano-2025-04-14:acme::9xYz", Usage.of(1_000_000, 1_000_000), CostOverride.NONE);

        assertThat(listed.usd()).isEqualByComparingTo("1.5"); // 0.3 + 1.2
        assertThat(base.usd()).isEqualByComparingTo("0.5"); // gpt-4.1-nano 0.1 + 0.4
        assertThat(base.unpriced()).isFalse();
    }

    @Test
    void azure_prices_by_the_openai_table_when_its_own_lacks_the_model() {
        Cost cost = calculator.cost("azure", "gpt-35-turbo", Usage.of(1_000_000, 1_000_000), CostOverride.NONE);

        assertThat(cost.usd()).isEqualByComparingTo("2"); // 0.5 + 1.5
    }

    @Test
    void cost_map_prices_per_thousand_tokens_win() {
        CostOverride costMap = new CostOverride(Map.of("my-llama", 0.001), Map.of("my-llama", 0.002), Map.of());

        Cost cost = calculator.cost("vllm", "my-llama", Usage.of(1_500, 500), costMap);

        assertThat(cost.usd()).isEqualByComparingTo("0.0025"); // 1.5 × 0.001 + 0.5 × 0.002
        assertThat(cost.unpriced()).isFalse();
    }

    @Test
    void cost_map_side_overrides_only_that_side_of_a_priced_model() {
        CostOverride costMap = new CostOverride(Map.of("gpt-4o-mini", 0.01), Map.of(), Map.of());

        Cost cost = calculator.cost("openai", "gpt-4o-mini", Usage.of(1_000, 1_000_000), costMap);

        assertThat(cost.usd()).isEqualByComparingTo("0.61"); // 1 × 0.01 (map) + 0.6 (book output)
    }

    @Test
    void cost_map_double_prices_keep_their_decimal_value() {
        CostOverride costMap = new CostOverride(Map.of("m", 0.1), Map.of("m", 0.3), Map.of());

        Cost cost = calculator.cost("vllm", "m", Usage.of(3, 3), costMap);

        assertThat(cost.usd()).isEqualTo(new BigDecimal("0.001200000"));
    }

    @Test
    void embeddings_use_the_embeddings_cost_map_or_the_input_price() {
        CostOverride costMap = new CostOverride(Map.of("text-embedding-3-small", 99.0), Map.of(), Map.of("text-embedding-3-small", 0.0001));

        Cost fromBook = calculator.cost("openai", "text-embedding-3-small", Usage.of(1_000_000, 0), CostOverride.NONE, PriceKind.EMBEDDINGS);
        Cost fromMap = calculator.cost("openai", "text-embedding-3-small", Usage.of(10_000, 0), costMap, PriceKind.EMBEDDINGS);
        Cost deepinfra = calculator.cost("deepinfra", "BAAI/bge-large-en-v1.5", Usage.of(1_000_000, 0), CostOverride.NONE, PriceKind.EMBEDDINGS);

        assertThat(fromBook.usd()).isEqualByComparingTo("0.02");
        assertThat(fromMap.usd()).isEqualByComparingTo("0.001");
        assertThat(deepinfra.usd()).isEqualByComparingTo("0.01");
    }

    @Test
    void an_unknown_model_costs_nothing_is_flagged_and_warned_about_once() {
        ListAppender<ILoggingEvent> logs = captureWarnings();
        try {
            Cost first = calculator.cost("openai", "gpt-9-ultra", Usage.of(1_000, 1_000), CostOverride.NONE);
            Cost second = calculator.cost("openai", "gpt-9-ultra", Usage.of(5, 5), CostOverride.NONE);
            calculator.cost("vllm", "gpt-9-ultra", Usage.of(5, 5), CostOverride.NONE);

            assertThat(first.usd()).isEqualByComparingTo("0");
            assertThat(first.unpriced()).isTrue();
            assertThat(second.unpriced()).isTrue();
            assertThat(logs.list).hasSize(2);
            assertThat(logs.list.get(0).getFormattedMessage()).contains("gpt-9-ultra").contains("openai");
        } finally {
            release(logs);
        }
    }

    @Test
    void absurdly_long_model_names_are_unpriced_without_matching() {
        String junk = "gpt-4o-" + "x".repeat(1_000_000);

        assertThat(calculator.cost("openai", junk, Usage.of(1, 1), CostOverride.NONE).unpriced()).isTrue();
        assertThat(calculator.speech("openai", junk, 1).unpriced()).isTrue();
    }

    @Test
    void vllm_and_deepinfra_chat_are_unpriced_without_a_cost_map() {
        assertThat(calculator.cost("vllm", "meta-llama/Llama-3-8b", Usage.of(10, 10), CostOverride.NONE).unpriced()).isTrue();
        assertThat(calculator.cost("deepinfra", "meta-llama/Llama-3-8b", Usage.of(10, 10), CostOverride.NONE).unpriced()).isTrue();
    }

    @Test
    void free_models_are_priced_at_zero_not_unpriced() {
        Cost cost = calculator.cost("openai", "omni-moderation-latest", Usage.of(1_000, 0), CostOverride.NONE);

        assertThat(cost).isEqualTo(new Cost(BigDecimal.ZERO, false));
    }

    @Test
    void whisper_bills_whole_seconds_and_speech_bills_characters() {
        assertThat(calculator.transcription("openai", "whisper-1", 61.9).usd()).isEqualByComparingTo("0.0061"); // 61 s × 0.006 / 60
        assertThat(calculator.speech("openai", "tts-1", 1_000).usd()).isEqualByComparingTo("0.015");
        assertThat(calculator.speech("openai", "tts-1-hd", 1_000).usd()).isEqualByComparingTo("0.03");
        assertThat(calculator.speech("openai", "tts-9", 1_000).unpriced()).isTrue();
    }

    @Test
    void a_reloaded_price_book_is_used_without_a_new_calculator(@TempDir Path dir) throws Exception {
        AtomicReference<PriceBook> current = new AtomicReference<>(PriceBookTest.BOOK);
        CostCalculator reloading = new CostCalculator(current::get);
        Path file = dir.resolve("prices.json");
        Files.writeString(file, """
                [{"id": "vllm", "name": "v", "api_pattern": "x", "models": [
                  {"id": "mine", "match": {"equals": "mine"}, "prices": {"input_mtok": 1, "output_mtok": 2}}]}]
                """);

        assertThat(reloading.cost("vllm", "mine", Usage.of(1_000_000, 1_000_000), CostOverride.NONE).unpriced()).isTrue();
        current.set(PriceBook.load(Optional.of(file), PriceBookTest.NOW));

        assertThat(reloading.cost("vllm", "mine", Usage.of(1_000_000, 1_000_000), CostOverride.NONE).usd()).isEqualByComparingTo("3");
    }

    private static ListAppender<ILoggingEvent> captureWarnings() {
        Logger logger = (Logger) LoggerFactory.getLogger(CostCalculator.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.WARN);
        return appender;
    }

    private static void release(ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger(CostCalculator.class)).detachAppender(appender);
    }
}
