package io.bricksllm.metering;

import java.util.Optional;

/**
 * The prices that apply to one model right now, per million tokens. Absent input or output prices
 * are zero (embeddings have no output price); absent cache prices fall back to the input price in
 * {@link CostCalculator}, because a provider that does not discount cached tokens bills them as input.
 *
 * @param provider the price-book provider id that priced the model (e.g. "openai" for an Azure call
 *                 priced through the OpenAI fallback)
 * @param modelId  the price entry's id, e.g. "gpt-4o-mini" for "gpt-4o-mini-2024-07-18"
 */
public record ModelPrice(String provider,
                         String modelId,
                         Price input,
                         Price output,
                         Optional<Price> cacheRead,
                         Optional<Price> cacheWrite) {
}
