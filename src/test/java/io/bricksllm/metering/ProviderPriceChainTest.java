package io.bricksllm.metering;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.provider.Providers;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The price book as the gateway loads it: each provider says which price-book ids price its models, so a model is
 * found whether the caller names the gateway provider or its price-book id.
 */
class ProviderPriceChainTest {

    static final PriceBook BOOK = PriceBook.load(Optional.empty(), PriceBookTest.NOW, Providers.defaults()::priceChain);

    /** Columns: the name priced under, model, the price-book provider that priced it, entry id, input USD per million. */
    @ParameterizedTest(name = "{0} {1} -> {2}/{3}")
    @CsvSource({
            // Bedrock: AWS's table, cross-region ids included (BEHAVIOUR.md §9a.4: their third dot-separated part)
            "aws,     us.anthropic.claude-3-5-sonnet-20241022-v2:0,  aws,       regional.anthropic.claude-3-5-sonnet-20241022-v2:0, 3",
            "bedrock, us.anthropic.claude-3-5-sonnet-20241022-v2:0,  aws,       regional.anthropic.claude-3-5-sonnet-20241022-v2:0, 3",
            "aws,     anthropic.claude-3-haiku-20240307-v1:0,        aws,       regional.anthropic.claude-3-haiku-20240307-v1:0,    0.25",
            // … then Anthropic's, for the Claude models AWS no longer lists (BEHAVIOUR.md §9a.5)
            "aws,     anthropic.claude-v2:1,                         anthropic, claude-2,           8",
            "bedrock, anthropic.claude-instant-v1,                   anthropic, claude-instant,     0.8",
            // Gemini: Google's table
            "gemini,  gemini-2.5-flash,                              google,    gemini-2.5-flash,   0.3",
            "google,  gemini-2.5-flash,                              google,    gemini-2.5-flash,   0.3",
            // Azure: its own table, then OpenAI's
            "azure,   gpt-4-vision,                                  azure,     gpt-4-vision,       60",
            "azure,   gpt-4o-2024-08-06,                             openai,    gpt-4o,             2.5",
            // an OpenAI-compatible provider by its gateway name (xai) and its price-book id (x-ai)
            "xai,     grok-3,                                        x-ai,      grok-3,             3",
            "x-ai,    grok-3,                                        x-ai,      grok-3,             3",
    })
    void everyProviderIsPricedWithItsPriceBookIds(String provider, String model, String pricedBy, String entryId, String input) {
        ModelPrice price = BOOK.find(provider, model).orElseThrow(() -> new AssertionError("no price for " + provider + " " + model));
        assertThat(price.provider()).isEqualTo(pricedBy);
        assertThat(price.modelId()).isEqualTo(entryId);
        assertThat(price.input().perMillion(1000)).isEqualByComparingTo(input);
    }

    @ParameterizedTest
    @CsvSource({"bedrock, gpt-4o", "gemini, claude-nonexistent-9", "vllm, gpt-4o", "acme, gpt-4o"})
    void aModelOutsideTheProvidersPriceBookIdsHasNoPrice(String provider, String model) {
        assertThat(BOOK.find(provider, model)).isEmpty();
    }
}
