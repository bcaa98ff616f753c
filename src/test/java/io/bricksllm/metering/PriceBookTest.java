package io.bricksllm.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PriceBookTest {

    static final Clock NOW = Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC);
    static final PriceBook BOOK = PriceBook.load(Optional.empty(), NOW);

    /**
     * Every model of the original price table (BEHAVIOUR.md 9a.8) plus current ones resolves.
     * Columns: gateway provider, model, expected entry id, input, output, cache read, cache write
     * (USD per million tokens; empty = the data has no such price).
     */
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(nullValues = "-", value = {
            // OpenAI, original table
            "openai, o1,                          o1,                 15,     60,    7.5,   -",
            "openai, o1-2024-12-17,               o1,                 15,     60,    7.5,   -",
            "openai, o1-preview,                  o1,                 15,     60,    7.5,   -",
            "openai, o1-preview-2024-09-12,       o1,                 15,     60,    7.5,   -",
            "openai, gpt-4o,                      gpt-4o,             2.5,    10,    1.25,  -",
            "openai, gpt-4o-2024-08-06,           gpt-4o,             2.5,    10,    1.25,  -",
            "openai, gpt-4o-2024-05-13,           gpt-4o,             2.5,    10,    1.25,  -",
            "openai, gpt-4o-mini,                 gpt-4o-mini,        0.15,   0.6,   0.075, -",
            "openai, gpt-4o-mini-2024-07-18,      gpt-4o-mini,        0.15,   0.6,   0.075, -",
            "openai, gpt-4-turbo,                 gpt-4-turbo,        10,     30,    -,     -",
            "openai, gpt-4-turbo-2024-04-09,      gpt-4-turbo,        10,     30,    -,     -",
            "openai, gpt-4-turbo-preview,         gpt-4-turbo,        10,     30,    -,     -",
            "openai, gpt-4-1106-preview,          gpt-4-turbo,        10,     30,    -,     -",
            "openai, gpt-4-0125-preview,          gpt-4-turbo,        10,     30,    -,     -",
            "openai, gpt-4-1106-vision-preview,   gpt-4-vision-preview, 10,   30,    -,     -",
            "openai, gpt-4-vision-preview,        gpt-4-vision-preview, 10,   30,    -,     -",
            "openai, gpt-4,                       gpt-4,              30,     60,    -,     -",
            "openai, gpt-4-0314,                  gpt-4,              30,     60,    -,     -",
            "openai, gpt-4-0613,                  gpt-4,              30,     60,    -,     -",
            "openai, gpt-4-32k,                   gpt-4-32k,          60,     120,   -,     -",
            "openai, gpt-4-32k-0613,              gpt-4-32k,          60,     120,   -,     -",
            "openai, gpt-4-32k-0314,              gpt-4-32k,          60,     120,   -,     -",
            "openai, gpt-3.5-turbo,               gpt-3.5-turbo,      0.5,    1.5,   -,     -",
            "openai, gpt-3.5-turbo-1106,          gpt-3.5-turbo-1106, 1,      2,     -,     -",
            "openai, gpt-3.5-turbo-0125,          gpt-3.5-turbo,      0.5,    1.5,   -,     -",
            "openai, gpt-3.5-turbo-0301,          gpt-3.5-0301,       1.5,    2,     -,     -",
            "openai, gpt-3.5-turbo-0613,          gpt-3.5-turbo-0613, 1.5,    2,     -,     -",
            "openai, gpt-3.5-turbo-instruct,      gpt-3.5-turbo-instruct, 1.5, 2,    -,     -",
            "openai, gpt-3.5-turbo-16k,           gpt-3.5-turbo-16k,  3,      4,     -,     -",
            "openai, gpt-3.5-turbo-16k-0613,      gpt-3.5-turbo-16k,  3,      4,     -,     -",
            "openai, text-davinci-003,            text-davinci-003,   20,     20,    -,     -",
            "openai, text-davinci-002,            text-davinci-002,   20,     20,    -,     -",
            "openai, code-davinci-002,            code-davinci-002,   120,    0,     -,     -",
            "openai, davinci,                     davinci,            20,     20,    -,     -",
            "openai, text-curie-001,              curie,              2,      2,     -,     -",
            "openai, curie,                       curie,              2,      2,     -,     -",
            "openai, text-babbage-001,            text-babbage-001,   2.4,    0,     -,     -",
            "openai, babbage,                     babbage,            0.5,    0.5,   -,     -",
            "openai, text-ada-001,                ada,                0.4,    0.4,   -,     -",
            "openai, ada,                         ada,                0.4,    0.4,   -,     -",
            "openai, babbage-002,                 babbage-002,        0.4,    0.4,   -,     -",
            "openai, davinci-002,                 davinci-002,        2,      2,     -,     -",
            "openai, ft:gpt-4-0613:acme::8abc,    gpt-4,              30,     60,    -,     -",
            "openai, ft:gpt-3.5-turbo-0125:acme::x, ft:gpt-3.5-turbo-, 3,     6,     -,     -",
            "openai, ft:gpt-3.5-turbo-1106:acme::x, ft:gpt-3.5-turbo-, 3,     6,     -,     -",
            "openai, ft:gpt-3.5-turbo-0613:acme::x, ft:gpt-3.5-turbo-, 3,     6,     -,     -",
            "openai, ft:babbage-002:acme::x,      ft:babbage-002,     1.6,    1.6,   -,     -",
            "openai, ft:davinci-002:acme::x,      ft:davinci-002,     12,     12,    -,     -",
            "openai, ft:gpt-4o-mini-2024-07-18:org::id, ft:gpt-4o-mini, 0.3,  1.2,   -,     -",
            "openai, ft:gpt-4.1-mini-2025-04-14:org::id, gpt-4.1-mini,  0.4,  1.6,   0.1,   -",
            "openai, text-embedding-ada-002,      text-embedding-ada-002, 0.1, 0,    -,     -",
            "openai, text-embedding-3-small,      text-embedding-3-small, 0.02, 0,   -,     -",
            "openai, text-embedding-3-large,      text-embedding-3-large, 0.13, 0,   -,     -",
            // OpenAI, current
            "openai, gpt-4.1,                     gpt-4.1,            2,      8,     0.5,   -",
            "openai, gpt-4.1-2025-04-14,          gpt-4.1,            2,      8,     0.5,   -",
            "openai, gpt-4.1-mini,                gpt-4.1-mini,       0.4,    1.6,   0.1,   -",
            "openai, gpt-4.1-nano,                gpt-4.1-nano,       0.1,    0.4,   0.025, -",
            "openai, o3,                          o3,                 2,      8,     0.5,   -",
            "openai, o3-2025-04-16,               o3,                 2,      8,     0.5,   -",
            "openai, o3-mini,                     o3-mini,            1.1,    4.4,   0.55,  -",
            "openai, o4-mini,                     o4-mini,            1.1,    4.4,   0.275, -",
            "openai, o4-mini-2025-04-16,          o4-mini,            1.1,    4.4,   0.275, -",
            "openai, gpt-4o-2031-01-01,           gpt-4o,             2.5,    10,    1.25,  -",
            // Azure: its own table, then OpenAI's
            "azure,  gpt-35-turbo,                gpt-3.5-turbo,      0.5,    1.5,   -,     -",
            "azure,  gpt-35-turbo-16k,            gpt-3.5-turbo-16k,  3,      4,     -,     -",
            "azure,  gpt-35-turbo-instruct,       gpt-35-turbo-instruct, 1.5, 2,     -,     -",
            "azure,  gpt-35-turbo-1106,           gpt-3.5-turbo-1106, 1,      2,     -,     -",
            "azure,  gpt-4-vision,                gpt-4-vision,       60,     120,   -,     -",
            "azure,  gpt-4o,                      gpt-4o,             2.5,    10,    1.25,  -",
            "azure,  gpt-4o-2024-08-06,           gpt-4o,             2.5,    10,    1.25,  -",
            "azure,  gpt-4,                       gpt-4,              30,     60,    -,     -",
            "azure,  o1,                          o1,                 15,     60,    7.5,   -",
            "azure,  ada,                         ada,                0.1,    0,     -,     -",
            "azure,  text-embedding-3-small,      text-embedding-3-small, 0.02, 0,   -,     -",
            // Anthropic
            "anthropic, claude-3-opus-20240229,   claude-3-opus-latest, 15,   75,    1.5,   18.75",
            "anthropic, claude-3-sonnet-20240229, claude-3-sonnet,    3,      15,    0.3,   3.75",
            "anthropic, claude-3-haiku-20240307,  claude-3-haiku,     0.25,   1.25,  0.03,  0.3",
            "anthropic, claude-3-5-sonnet-20241022, claude-3-5-sonnet, 3,     15,    0.3,   3.75",
            "anthropic, claude-3-5-sonnet-latest, claude-3-5-sonnet,  3,      15,    0.3,   3.75",
            "anthropic, claude-3.5-sonnet,        claude-3-5-sonnet,  3,      15,    0.3,   3.75",
            "anthropic, claude-3-5-haiku-20241022, claude-3-5-haiku-latest, 0.8, 4,  0.08,  1",
            "anthropic, claude-3-7-sonnet-20250219, claude-3-7-sonnet-latest, 3, 15, 0.3,   3.75",
            "anthropic, claude-sonnet-4-20250514, claude-sonnet-4-0,  3,      15,    0.3,   3.75",
            "anthropic, claude-sonnet-4,          claude-sonnet-4-0,  3,      15,    0.3,   3.75",
            "anthropic, claude-opus-4-20250514,   claude-opus-4-0,    15,     75,    1.5,   18.75",
            "anthropic, claude-opus-4,            claude-opus-4-0,    15,     75,    1.5,   18.75",
            "anthropic, claude-2.1,               claude-2,           8,      24,    -,     -",
            "anthropic, claude-instant-1.2,       claude-instant,     0.8,    2.4,   -,     -",
            "anthropic, us.anthropic.claude-3-5-sonnet-20240620-v1:0, claude-3-5-sonnet, 3, 15, 0.3, 3.75",
            // Bedrock (aws): its own entries, cross-region ids included; Claude models it lacks at Anthropic's prices
            "aws, anthropic.claude-3-5-sonnet-20241022-v2:0, regional.anthropic.claude-3-5-sonnet-20241022-v2:0, 3, 15, 0.3, 3.75",
            "aws, us.anthropic.claude-3-5-sonnet-20241022-v2:0, regional.anthropic.claude-3-5-sonnet-20241022-v2:0, 3, 15, 0.3, 3.75",
            "aws, us.anthropic.claude-3-5-haiku-20241022-v1:0, regional.anthropic.claude-3-5-haiku-20241022-v1:0, 0.8, 4, 0.08, 1",
            "aws, anthropic.claude-3-haiku-20240307-v1:0, regional.anthropic.claude-3-haiku-20240307-v1:0, 0.25, 1.25, -, -",
            "aws, anthropic.claude-v2:1,           claude-2,           8,      24,    -,     -",
            "aws, anthropic.claude-instant-v1,     claude-instant,     0.8,    2.4,   -,     -",
            // Deepinfra embeddings (built-in), lower-cased
            "deepinfra, BAAI/bge-large-en-v1.5,   baai/bge-large-en-v1.5, 0.01, 0,   -,     -",
            "deepinfra, thenlper/gte-base,        thenlper/gte-base,  0.005,  0,     -,     -",
    })
    void resolves_every_known_model(String provider, String model, String entryId, BigDecimal input,
                                    BigDecimal output, BigDecimal cacheRead, BigDecimal cacheWrite) {
        ModelPrice price = BOOK.find(provider, model).orElseThrow(() -> new AssertionError("no price for " + model));

        assertThat(price.modelId()).isEqualTo(entryId);
        assertThat(price.input().perMillion(1000)).isEqualByComparingTo(input);
        assertThat(price.output().perMillion(1000)).isEqualByComparingTo(output);
        assertOptionalPrice(price.cacheRead(), cacheRead);
        assertOptionalPrice(price.cacheWrite(), cacheWrite);
    }

    private static void assertOptionalPrice(Optional<Price> actual, BigDecimal expected) {
        if (expected == null) {
            assertThat(actual).isEmpty();
        } else {
            assertThat(actual.orElseThrow().perMillion(1000)).isEqualByComparingTo(expected);
        }
    }

    @ParameterizedTest
    @CsvSource({
            "vllm, meta-llama/Llama-3-8b",
            "deepinfra, meta-llama/Meta-Llama-3-70B-Instruct",
            "openai, no-such-model",
            "anthropic, gpt-4o",
            "openai, claude-3-5-sonnet-20241022",
            "custom, gpt-4o",
    })
    void has_no_price_for_models_outside_the_providers_data(String provider, String model) {
        assertThat(BOOK.find(provider, model)).isEmpty();
    }

    @Test
    void dated_prices_switch_on_their_start_date() {
        PriceBook before = PriceBook.load(Optional.empty(), Clock.fixed(Instant.parse("2025-06-09T23:59:59Z"), ZoneOffset.UTC));
        PriceBook after = PriceBook.load(Optional.empty(), Clock.fixed(Instant.parse("2025-06-10T00:00:00Z"), ZoneOffset.UTC));

        assertThat(before.find("openai", "o3").orElseThrow().input().perMillion(0)).isEqualByComparingTo("10");
        assertThat(after.find("openai", "o3").orElseThrow().input().perMillion(0)).isEqualByComparingTo("2");
    }

    @Test
    void tiered_price_applies_from_the_tier_start_on() {
        Price input = BOOK.find("anthropic", "claude-sonnet-4-5-20250929").orElseThrow().input();

        assertThat(input.perMillion(199_999)).isEqualByComparingTo("3");
        assertThat(input.perMillion(200_000)).isEqualByComparingTo("6");
        assertThat(input.perMillion(1_000_000)).isEqualByComparingTo("6");
    }

    @Test
    void override_file_wins_for_its_models_and_keeps_the_rest(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("prices.json");
        Files.writeString(file, """
                [{"id": "openai", "name": "mine", "api_pattern": "x", "models": [
                  {"id": "cheap-4o", "match": {"starts_with": "gpt-4o-mini"}, "prices": {"input_mtok": 0.01, "output_mtok": 0.02}},
                  {"id": "local", "match": {"regex": "^my-(small|big)$"}, "prices": {"input_mtok": 1}}
                 ]},
                 {"id": "vllm", "name": "vllm", "api_pattern": "x", "models": [
                  {"id": "llama", "match": {"and": [{"contains": "llama"}, {"ends_with": "instruct"}]}, "prices": {"input_mtok": 0.1, "output_mtok": 0.2}}
                 ]}]
                """);
        PriceBook book = PriceBook.load(Optional.of(file), NOW);

        assertThat(book.find("openai", "gpt-4o-mini").orElseThrow().modelId()).isEqualTo("cheap-4o");
        assertThat(book.find("openai", "gpt-4o").orElseThrow().modelId()).isEqualTo("gpt-4o");
        assertThat(book.find("openai", "my-big").orElseThrow().modelId()).isEqualTo("local");
        assertThat(book.find("openai", "my-bigger")).isEmpty();
        assertThat(book.find("vllm", "meta-llama-3-instruct").orElseThrow().output().perMillion(0)).isEqualByComparingTo("0.2");
        assertThat(BOOK.find("openai", "gpt-4o-mini").orElseThrow().modelId()).as("other books unaffected").isEqualTo("gpt-4o-mini");
    }

    @Test
    void a_broken_override_file_fails_the_load(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("prices.json");
        Files.writeString(file, "[{\"id\": \"openai\", \"models\": [{\"id\": \"x\", \"match\": {\"nope\": 1}, \"prices\": {}}]}]");

        assertThatThrownBy(() -> PriceBook.load(Optional.of(file), NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown match rule");
    }

    @Test
    void audio_prices() {
        assertThat(BOOK.perMinute("whisper-1")).contains(new BigDecimal("0.006"));
        assertThat(BOOK.perMillionChars("tts-1")).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("15"));
        assertThat(BOOK.perMillionChars("tts-1-hd")).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("30"));
        assertThat(BOOK.perMinute("tts-1")).isEmpty();
    }
}
